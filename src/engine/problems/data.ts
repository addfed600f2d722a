/**
 * Inline data checks shared by the problems' `data` option and the CSV loader.
 * Every rejection names the row, 1-based, so a user can find it: "row 17: 'abc' is not a
 * number (x1)". Rows are points of inline data, or lines of a CSV file (header = row 1).
 */
import { z } from 'zod';

/** Fewest and most points a problem accepts. */
export const MIN_POINTS = 2;
export const MAX_POINTS = 10_000;
/** Most classes a classification data set may have (labels 0..MAX_CLASSES − 1). */
export const MAX_CLASSES = 10;

export type Checked<T> = { ok: true; data: T } | { ok: false; error: string };

/** 1-D regression data: inputs and targets of equal length. */
export interface RegressionData {
  x: number[];
  y: number[];
}

/** Classification data: points of `dims` coordinates, integer labels 0..C − 1. */
export interface ClassificationData {
  points: number[][];
  labels: number[];
}

/** How a cell looks in a message. */
function show(cell: unknown): string {
  if (cell === undefined || cell === null) return 'a missing value';
  if (typeof cell === 'string') return cell.trim() === '' ? 'an empty cell' : `'${cell}'`;
  return typeof cell === 'number' ? String(cell) : JSON.stringify(cell);
}

/** A finite number from a cell (numbers; numeric strings only when `fromText`), else null. */
function toNumber(cell: unknown, fromText: boolean): number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : null;
  if (fromText && typeof cell === 'string' && cell.trim() !== '') {
    const v = Number(cell.trim());
    return Number.isFinite(v) ? v : null;
  }
  return null;
}

export interface RowSpec {
  /** Column names, in order; used in messages. */
  columns: readonly string[];
  /** Index of the integer label column, if any, and the number of classes allowed. */
  label?: { column: number; classes: number };
  /** The row number shown for cell row i (default i + 1). */
  rowNumber?: (i: number) => number;
  /** Accept numeric strings (CSV text); inline JSON data must hold numbers. */
  fromText?: boolean;
}

/** Check a table of cells row by row; the first bad row is named in the error. */
export function checkRows(cells: readonly (readonly unknown[])[], spec: RowSpec): Checked<number[][]> {
  const rowNumber = spec.rowNumber ?? ((i: number) => i + 1);
  const k = spec.columns.length;
  if (cells.length < MIN_POINTS)
    return { ok: false, error: `needs at least ${MIN_POINTS} points (got ${cells.length})` };
  if (cells.length > MAX_POINTS) {
    return {
      ok: false,
      error: `row ${rowNumber(MAX_POINTS)}: more than ${MAX_POINTS} points (got ${cells.length})`,
    };
  }
  const rows: number[][] = [];
  for (let i = 0; i < cells.length; i++) {
    const row = cells[i] ?? [];
    const at = `row ${rowNumber(i)}`;
    if (row.length !== k) {
      return {
        ok: false,
        error: `${at}: expected ${k} values (${spec.columns.join(', ')}), got ${row.length}`,
      };
    }
    const out: number[] = [];
    for (let j = 0; j < k; j++) {
      const v = toNumber(row[j], spec.fromText ?? false);
      if (v === null)
        return { ok: false, error: `${at}: ${show(row[j])} is not a number (${spec.columns[j]})` };
      if (spec.label?.column === j && !(Number.isInteger(v) && v >= 0 && v < spec.label.classes)) {
        return {
          ok: false,
          error: `${at}: label ${show(row[j])} is not an integer 0..${spec.label.classes - 1}`,
        };
      }
      out.push(v);
    }
    rows.push(out);
  }
  return { ok: true, data: rows };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check `{x: [...], y: [...]}` (1-D regression). */
export function checkRegression(raw: unknown): Checked<RegressionData> {
  if (!isRecord(raw) || !Array.isArray(raw.x) || !Array.isArray(raw.y)) {
    return { ok: false, error: 'expected {"x": [...], "y": [...]}' };
  }
  const { x, y } = raw as { x: unknown[]; y: unknown[] };
  if (x.length !== y.length) {
    const i = Math.min(x.length, y.length);
    return { ok: false, error: `row ${i + 1}: x has ${x.length} values but y has ${y.length}` };
  }
  const res = checkRows(
    x.map((v, i) => [v, y[i]]),
    { columns: ['x', 'y'] },
  );
  if (!res.ok) return res;
  return { ok: true, data: { x: res.data.map((r) => r[0] ?? 0), y: res.data.map((r) => r[1] ?? 0) } };
}

/** Check `{points: [[x1, …, x_dims], …], labels: [...]}` with labels in 0..classes − 1. */
export function checkClassification(
  raw: unknown,
  dims: number,
  classes: number,
): Checked<ClassificationData> {
  if (!isRecord(raw) || !Array.isArray(raw.points) || !Array.isArray(raw.labels)) {
    return { ok: false, error: 'expected {"points": [[x1, x2], ...], "labels": [...]}' };
  }
  const { points, labels } = raw as { points: unknown[]; labels: unknown[] };
  if (points.length !== labels.length) {
    const i = Math.min(points.length, labels.length);
    return { ok: false, error: `row ${i + 1}: ${points.length} points but ${labels.length} labels` };
  }
  const columns = [...Array.from({ length: dims }, (_, j) => `x${j + 1}`), 'label'];
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (!Array.isArray(p) || p.length !== dims) {
      return { ok: false, error: `row ${i + 1}: expected a point of ${dims} numbers, got ${show(p)}` };
    }
  }
  const res = checkRows(
    points.map((p, i) => [...(p as unknown[]), labels[i]]),
    { columns, label: { column: dims, classes } },
  );
  if (!res.ok) return res;
  return {
    ok: true,
    data: { points: res.data.map((r) => r.slice(0, dims)), labels: res.data.map((r) => r[dims] ?? 0) },
  };
}

/** A zod schema from a check: rejects with the check's row-naming message. */
export function checkedSchema<T>(check: (raw: unknown) => Checked<T>): z.ZodType<T, unknown> {
  return z.unknown().transform((raw, ctx) => {
    const res = check(raw);
    if (res.ok) return res.data;
    ctx.addIssue({ code: 'custom', message: res.error });
    return z.NEVER;
  });
}

/** Inline 1-D regression data `{x, y}` as a problem option. */
export const regressionDataSchema = checkedSchema(checkRegression);

/** Inline 2-D classification data `{points, labels}` with labels 0..classes − 1. */
export function classificationDataSchema(classes: number, dims = 2): z.ZodType<ClassificationData, unknown> {
  return checkedSchema((raw) => checkClassification(raw, dims, classes));
}
