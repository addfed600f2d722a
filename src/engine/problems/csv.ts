/**
 * The page's "load CSV" feature, engine side: text of a CSV file -> a problem's inline
 * `data`, or a message naming the file's line ("row 17: 'abc' is not a number (x1)").
 * Rows are the file's lines, 1-based, so row numbers match a text editor; a first line
 * with no number in it is a header and is skipped; blank lines are skipped. The
 * delimiter (comma, semicolon, tab, …) is detected.
 */
import Papa from 'papaparse';
import { checkRows, MAX_CLASSES, type Checked, type ClassificationData, type RegressionData } from './data';

/**
 * What the file holds: `sample` one number per line (gaussian-fit); `regression` x, y
 * (tiny-net, sine); `classification` x1, x2, label (2-D datasets).
 */
export type CsvKind = 'sample' | 'regression' | 'classification';

/** The parsed data, shaped for `problem.data`. */
export type CsvData =
  | { kind: 'sample'; data: number[] }
  | { kind: 'regression'; data: RegressionData }
  | { kind: 'classification'; data: ClassificationData };

const columnsOf: Record<CsvKind, readonly string[]> = {
  sample: ['value'],
  regression: ['x', 'y'],
  classification: ['x1', 'x2', 'label'],
};

function isNumeric(cell: string): boolean {
  return cell.trim() !== '' && Number.isFinite(Number(cell.trim()));
}

/**
 * Parse CSV text into inline data of the given kind. Labels must be integers
 * 0..classes − 1 (the problem may allow fewer classes; it checks again).
 */
export function parseCsvData(text: string, kind: CsvKind, classes = MAX_CLASSES): Checked<CsvData> {
  // Keep blank lines in the parse so that row index i is line i + 1 of the file.
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) return { ok: false, error: `row ${(quoteError.row ?? 0) + 1}: ${quoteError.message}` };
  const lines: number[] = [];
  const cells: string[][] = [];
  parsed.data.forEach((row, i) => {
    if (row.every((c) => c.trim() === '')) return;
    lines.push(i + 1);
    cells.push(row);
  });
  const first = cells[0];
  if (first && !first.some(isNumeric)) {
    cells.shift();
    lines.shift();
  }
  const res = checkRows(cells, {
    columns: columnsOf[kind],
    fromText: true,
    rowNumber: (i) => lines[i] ?? i + 1,
    ...(kind === 'classification' ? { label: { column: 2, classes } } : {}),
  });
  if (!res.ok) return res;
  const rows = res.data;
  const col = (j: number): number[] => rows.map((r) => r[j] ?? 0);
  switch (kind) {
    case 'sample':
      return { ok: true, data: { kind, data: col(0) } };
    case 'regression':
      return { ok: true, data: { kind, data: { x: col(0), y: col(1) } } };
    case 'classification':
      return { ok: true, data: { kind, data: { points: rows.map((r) => r.slice(0, 2)), labels: col(2) } } };
  }
}
