/**
 * Text <-> value conversions for the panels' inputs. Parsing is lenient about spaces;
 * anything else is left to the engine's validation, whose message names the field.
 */

/** "1, 2.5 -3" -> [1, 2.5, -3]; null when a part is not a number. */
export function parseList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  const nums = parts.map(Number);
  return nums.every(Number.isFinite) ? nums : null;
}

/** "1 0; 0 2" -> [[1, 0], [0, 2]]; null when a row is not a list of numbers. */
export function parseMatrix(text: string): number[][] | null {
  const rows = text.split(';').map((r) => parseList(r));
  return rows.every((r): r is number[] => r !== null && r.length > 0) ? rows : null;
}

export const formatList = (v: unknown): string => (Array.isArray(v) ? v.join(', ') : '');
export const formatMatrix = (v: unknown): string =>
  Array.isArray(v) ? v.map((r) => (Array.isArray(r) ? r.join(' ') : '')).join('; ') : '';

/** One editable parameter of a map. */
export interface MapField {
  key: string;
  label: string;
  kind: 'number' | 'list' | 'matrix' | 'exprs';
  hint?: string;
}

/** The parameters each map offers in the panel (ids and keys as in the Experiment). */
export const mapFields: Record<string, MapField[]> = {
  identity: [],
  scale: [{ key: 'factors', label: 'factors', kind: 'list', hint: 'one per coordinate, e.g. 10, 0.1' }],
  rotation: [{ key: 'angle', label: 'angle (rad)', kind: 'number' }],
  shear: [{ key: 'k', label: 'k', kind: 'number' }],
  'signed-permutation': [
    { key: 'perm', label: 'permutation', kind: 'list', hint: 'e.g. 1, 0' },
    { key: 'signs', label: 'signs', kind: 'list', hint: 'e.g. 1, -1' },
  ],
  linear: [
    {
      key: 'matrix',
      label: 'matrix A',
      kind: 'matrix',
      hint: 'rows separated by ;  empty: 2 on the diagonal, 1 above, 0.5 below',
    },
  ],
  'random-mixing': [{ key: 'cond', label: 'condition number', kind: 'number' }],
  cubic: [
    { key: 'a', label: 'a in θ = φ + aφ³', kind: 'number' },
    { key: 'coords', label: 'coordinates', kind: 'list', hint: 'indices from 0; empty: all' },
  ],
  sinh: [{ key: 'coords', label: 'coordinates', kind: 'list' }],
  exp: [{ key: 'coords', label: 'coordinates', kind: 'list', hint: 'e.g. 1 for σ = e^s' }],
  softplus: [{ key: 'coords', label: 'coordinates', kind: 'list' }],
  polar: [],
  swirl: [{ key: 'strength', label: 'strength', kind: 'number' }],
  'relu-rescale': [{ key: 'spread', label: 'spread', kind: 'number' }],
  'weight-norm': [],
  'layer-scale': [{ key: 'cond', label: 'condition number', kind: 'number' }],
  custom: [{ key: 'expr', label: 'θ = f(φ)', kind: 'exprs', hint: 'in p1, p2, …; e.g. p1 + 0.3*p1^3' }],
};
