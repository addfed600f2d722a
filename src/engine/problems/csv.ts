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
 * (tiny-net, sine); `classification` x1, x2, label (2-D datasets); `images` 64 pixels
 * then a label per row (digits: the layout of the bundled digits.csv.gz).
 */
export type CsvKind = 'sample' | 'regression' | 'classification' | 'images';

/** Pixels per row of an `images` CSV (8×8 digits, row by row), before the label. */
export const IMAGE_PIXELS = 64;

/** The parsed data, shaped for `problem.data`. */
export type CsvData =
  | { kind: 'sample'; data: number[] }
  | { kind: 'regression'; data: RegressionData }
  | { kind: 'classification'; data: ClassificationData }
  | { kind: 'images'; data: ClassificationData };

const columnsOf: Record<CsvKind, readonly string[]> = {
  sample: ['value'],
  regression: ['x', 'y'],
  classification: ['x1', 'x2', 'label'],
  images: [...Array.from({ length: IMAGE_PIXELS }, (_, j) => `pixel ${j + 1}`), 'label'],
};

/**
 * An `images` row of the wrong width, named by row and column: the first missing column,
 * or the first column too many. Null when every row has 64 pixels and a label.
 */
function imageWidthError(cells: readonly string[][], lines: readonly number[]): string | null {
  const k = IMAGE_PIXELS + 1;
  for (let i = 0; i < cells.length; i++) {
    const n = cells[i]?.length ?? 0;
    if (n === k) continue;
    const at = `row ${lines[i] ?? i + 1}, column ${Math.min(n, k) + 1}`;
    const what =
      n < k ? `${n === IMAGE_PIXELS ? 'the label' : `pixel ${n + 1}`} is missing` : 'one value too many';
    return `${at}: ${what} (expected ${k} values: ${IMAGE_PIXELS} pixels, then the label; got ${n})`;
  }
  return null;
}

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
  if (kind === 'images') {
    const wrong = imageWidthError(cells, lines);
    if (wrong) return { ok: false, error: wrong };
  }
  const res = checkRows(cells, {
    columns: columnsOf[kind],
    fromText: true,
    rowNumber: (i) => lines[i] ?? i + 1,
    ...(kind === 'classification' ? { label: { column: 2, classes } } : {}),
    ...(kind === 'images' ? { label: { column: IMAGE_PIXELS, classes } } : {}),
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
    case 'images':
      return {
        ok: true,
        data: {
          kind,
          data: { points: rows.map((r) => r.slice(0, IMAGE_PIXELS)), labels: col(IMAGE_PIXELS) },
        },
      };
  }
}
