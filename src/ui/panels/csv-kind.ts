/**
 * Which CSV layout a problem reads as `problem.data`, and how many points an
 * experiment's inline data holds. Pure: the panel shows the columns and the count.
 */
import { type CsvKind, MAX_CLASSES } from '../../engine/page';

export interface CsvFormat {
  kind: CsvKind;
  /** Largest number of classes the labels may name (classification only). */
  classes?: number;
  /** The columns, as shown next to the file input. */
  columns: string;
}

const sample: CsvFormat = { kind: 'sample', columns: 'one number per row' };
const regression: CsvFormat = { kind: 'regression', columns: 'columns x, y' };
const classification = (classes: number): CsvFormat => ({
  kind: 'classification',
  classes,
  columns: `columns x1, x2, label (0–${classes - 1})`,
});

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * The CSV layout for a problem entry of an experiment, or null when the problem takes no
 * data from a file. `mlp` reads x, y when it is a regression (the `sine` set, or inline
 * `{x, y}`), else x1, x2, label.
 */
export function csvFormatOf(problem: { id: string } & Record<string, unknown>): CsvFormat | null {
  switch (problem.id) {
    case 'gaussian-fit':
      return sample;
    case 'tiny-net':
      return regression;
    case 'logistic-2d':
      return classification(2);
    case 'digits':
      return {
        kind: 'images',
        classes: 10,
        columns: '65 columns: 64 pixels 0–16 (8×8, row by row), then the label (0–9)',
      };
    case 'mlp': {
      const data = problem.data;
      if (isRecord(data)) return 'x' in data ? regression : classification(MAX_CLASSES);
      return problem.dataset === 'sine' ? regression : classification(MAX_CLASSES);
    }
    default:
      return null;
  }
}

/** Points in inline data (a list, `{x, y}` or `{points, labels}`), or null when there is none. */
export function inlinePoints(data: unknown): number | null {
  if (Array.isArray(data)) return data.length;
  if (!isRecord(data)) return null;
  if (Array.isArray(data.x)) return data.x.length;
  if (Array.isArray(data.labels)) return data.labels.length;
  return null;
}
