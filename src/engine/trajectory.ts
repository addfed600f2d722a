/**
 * A run's points, flat: `length` points of `dim` coordinates each, point k's coordinate i at
 * `data[k·dim + i]`. `data` holds room for more points than `length` (its capacity doubles
 * when full), so appending a telemetry delta copies the new values only: no array per point.
 * Tensor-free; the page reaches it through engine/page.ts.
 *
 * THE BUFFER RULE. Appending keeps the points already in `data`, or moves them into a new,
 * larger buffer; nothing here rewrites a point in place: `truncate` to fewer points moves the
 * kept ones into a new buffer. A reader that has drawn points 0..n−1 of a trajectory whose
 * `data` is still the same buffer and whose `length` is at least n may therefore draw only
 * points n.. (ui/plots/path-data.ts).
 *
 * Rows (`number[][]`, one array per point) are for human-readable formats only: `toRows` and
 * `fromRows` convert at those boundaries (JSON records, checkpoints, CSV).
 */
export interface Trajectory {
  /** Coordinates per point (P for θ, Q for φ, 2 for a slice's (a, b)). */
  readonly dim: number;
  /** Points stored. */
  length: number;
  /** The coordinates, point after point; only the first `length · dim` values are points. */
  data: Float64Array;
}

/** An empty trajectory of points with `dim` coordinates, with room for `capacity` points. */
export function emptyTrajectory(dim: number, capacity = 0): Trajectory {
  if (!Number.isInteger(dim) || dim < 0)
    throw new Error(`trajectory: dim must be a whole number ≥ 0, got ${dim}`);
  return { dim, length: 0, data: new Float64Array(Math.max(0, capacity) * dim) };
}

/** Make room for `n` points in all (the capacity at least doubles when it grows). */
function reserve(t: Trajectory, n: number): void {
  if (n * t.dim <= t.data.length) return;
  const capacity = Math.max(n, 2 * (t.dim > 0 ? t.data.length / t.dim : 0), 8);
  const data = new Float64Array(capacity * t.dim);
  data.set(t.data.subarray(0, t.length * t.dim));
  t.data = data;
}

/**
 * Append `count` points given flat (`count · dim` values, point after point); `count`
 * defaults to `flat.length / dim` (it must be given when dim is 0).
 */
export function appendFlat(t: Trajectory, flat: ArrayLike<number>, count?: number): void {
  const n = count ?? (t.dim > 0 ? flat.length / t.dim : 0);
  if (!Number.isInteger(n) || flat.length < n * t.dim)
    throw new Error(`trajectory: ${flat.length} values are not whole points of ${t.dim} coordinates`);
  reserve(t, t.length + n);
  const at = t.length * t.dim;
  if (flat instanceof Float64Array || flat instanceof Float32Array)
    t.data.set(flat.subarray(0, n * t.dim), at);
  else for (let j = 0; j < n * t.dim; j++) t.data[at + j] = flat[j] as number;
  t.length += n;
}

/** Append one point (`p.length` must be `dim`). */
export function appendPoint(t: Trajectory, p: ArrayLike<number>): void {
  if (p.length !== t.dim)
    throw new Error(`trajectory: a point of ${p.length} coordinates, expected ${t.dim}`);
  appendFlat(t, p, 1);
}

/**
 * Keep the first `n` points. Fewer than stored: the kept points move into a new buffer
 * (the buffer rule above), so later appends never overwrite what a reader has seen.
 */
export function truncate(t: Trajectory, n: number): void {
  if (n >= t.length) return;
  const keep = Math.max(0, n);
  t.data = t.data.slice(0, keep * t.dim);
  t.length = keep;
}

/** Coordinate `i` of point `k` (undefined outside the points or the coordinates). */
export function point(t: Trajectory, k: number, i: number): number | undefined {
  if (k < 0 || k >= t.length || i < 0 || i >= t.dim) return undefined;
  return t.data[k * t.dim + i];
}

/** Point `k` as a view into the buffer (not a copy: valid until the next append), or undefined. */
export function row(t: Trajectory, k: number): Float64Array | undefined {
  if (!Number.isInteger(k) || k < 0 || k >= t.length) return undefined;
  return t.data.subarray(k * t.dim, (k + 1) * t.dim);
}

/** The last point as a view, or undefined when empty. */
export const lastRow = (t: Trajectory): Float64Array | undefined => row(t, t.length - 1);

/** All stored coordinates as one view (`length · dim` values). */
export const values = (t: Trajectory): Float64Array => t.data.subarray(0, t.length * t.dim);

/** The first `n` points as a trajectory sharing this one's buffer (read-only use: a plot's cursor). */
export const prefix = (t: Trajectory, n: number): Trajectory => ({
  dim: t.dim,
  length: Math.max(0, Math.min(n, t.length)),
  data: t.data,
});

/** An independent copy of the first `n` points (all by default), with no spare room. */
export function copyTrajectory(t: Trajectory, n = t.length): Trajectory {
  const keep = Math.max(0, Math.min(n, t.length));
  return { dim: t.dim, length: keep, data: t.data.slice(0, keep * t.dim) };
}

/**
 * A trajectory from rows (human-readable formats: JSON records, checkpoints). Every row
 * must have `dim` coordinates (by default the first row's length; 0 for no rows).
 */
export function fromRows(rows: readonly (readonly number[])[], dim = rows[0]?.length ?? 0): Trajectory {
  const t = emptyTrajectory(dim, rows.length);
  rows.forEach((p, k) => {
    if (p.length !== dim)
      throw new Error(`trajectory: point ${k} has ${p.length} coordinates, expected ${dim}`);
    t.data.set(p, k * dim);
  });
  t.length = rows.length;
  return t;
}

/**
 * Points `from` … `to − 1` (all by default) as rows, one plain array per point: for
 * human-readable formats, and for row-taking numerics on a few points at a time.
 */
export function toRows(t: Trajectory, from = 0, to = t.length): number[][] {
  const out: number[][] = [];
  for (let k = Math.max(0, from); k < Math.min(to, t.length); k++)
    out.push(Array.from(t.data.subarray(k * t.dim, (k + 1) * t.dim)));
  return out;
}

/** Whether every coordinate of point `k` is finite (false outside the points). */
export function finiteAt(t: Trajectory, k: number): boolean {
  if (k < 0 || k >= t.length) return false;
  for (let i = k * t.dim; i < (k + 1) * t.dim; i++) if (!Number.isFinite(t.data[i])) return false;
  return true;
}

/** A record with its `theta` (and `phi`) points as rows. */
export type WithRows<T> = Omit<T, 'theta' | 'phi'> & { theta: number[][]; phi?: number[][] };

/**
 * A run record with its points as rows, in the record's own key order (`phi` left out when
 * the run has none): the JSON the command line writes, and what tests compare.
 */
export function withRows<T extends { theta: Trajectory; phi?: Trajectory | null }>(r: T): WithRows<T> {
  const out: Record<string, unknown> = {
    ...r,
    theta: toRows(r.theta),
    phi: r.phi ? toRows(r.phi) : undefined,
  };
  if (!r.phi) delete out.phi;
  return out as WithRows<T>;
}
