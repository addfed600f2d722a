/**
 * SVG path data for the plots that redraw while runs train, built without d3.line so that
 * it can grow incrementally and be thinned to what the screen can show. The data in the
 * store stays exact; only what is drawn is decimated. Pure functions and plain state.
 */
import { traj, type Trajectory } from '../../engine/page';

const { point } = traj;

/** A pixel coordinate rounded to 0.1 px: shorter path strings, no visible difference. */
const r = (v: number): number => Math.round(v * 10) / 10;

/** Marks a lifted pen in the output of `columnIndices`. */
export const PEN_UP = -1;

/**
 * The indices of the points to draw out of `count`: all of them while there are at most
 * two per pixel column (by `px`); beyond that, per pixel column only the first, lowest,
 * highest and last point (by `py`), in order — the drawn line is the same at screen
 * resolution. A point with `defined(i)` false or a non-finite coordinate becomes PEN_UP.
 */
export function columnIndices(
  count: number,
  px: (i: number) => number,
  py: (i: number) => number,
  defined: (i: number) => boolean = () => true,
): number[] {
  const span = count > 0 ? Math.abs(px(count - 1) - px(0)) : 0;
  const thin = count > 2 * span + 2;
  const out: number[] = [];
  // Thinning: the points of the current pixel column (first, min, max, last by index).
  let col = NaN;
  let keep: { i: number; y: number }[] = [];
  const emitColumn = (): void => {
    keep.sort((a, b) => a.i - b.i);
    let prev = -1;
    for (const k of keep) if (k.i !== prev) out.push((prev = k.i));
    keep = [];
  };
  for (let i = 0; i < count; i++) {
    const x = px(i);
    const y = defined(i) ? py(i) : NaN;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      if (thin) emitColumn();
      col = NaN;
      if (out[out.length - 1] !== PEN_UP) out.push(PEN_UP);
      continue;
    }
    if (!thin) {
      out.push(i);
      continue;
    }
    const c = Math.floor(x);
    if (c !== col) {
      emitColumn();
      col = c;
      keep = [
        { i, y },
        { i, y },
        { i, y },
        { i, y },
      ];
      continue;
    }
    const [, lo, hi] = keep as [unknown, { i: number; y: number }, { i: number; y: number }];
    if (y < lo.y) keep[1] = { i, y };
    if (y > hi.y) keep[2] = { i, y };
    keep[3] = { i, y };
  }
  if (thin) emitColumn();
  return out;
}

/** Path data through the points `indices` (PEN_UP lifts the pen), each written by `vertex`. */
export function pathThrough(indices: readonly number[], vertex: (i: number) => string): string {
  const parts: string[] = [];
  let down = false;
  for (const i of indices) {
    if (i === PEN_UP) {
      down = false;
      continue;
    }
    parts.push(`${down ? 'L' : 'M'}${vertex(i)}`);
    down = true;
  }
  return parts.join('');
}

/**
 * Path data in pixels through `count` points, thinned as `columnIndices` says;
 * `defined(i)` false (or a non-finite coordinate) lifts the pen, as d3.line's `defined`.
 */
export function columnPath(
  count: number,
  px: (i: number) => number,
  py: (i: number) => number,
  defined: (i: number) => boolean = () => true,
): string {
  return pathThrough(columnIndices(count, px, py, defined), (i) => `${r(px(i))},${r(py(i))}`);
}

/**
 * The state of one trajectory's path drawn incrementally: the committed vertices as a
 * string, and how far into the points they reach. Rebuilt from the start when the scales
 * change or the points are no longer an extension of what was drawn.
 */
export interface GrowingPath {
  /** The scales the vertices were computed with (compared by identity). */
  key: unknown;
  /** Points consumed so far. */
  n: number;
  /**
   * The buffer of the points consumed (identity): a trajectory's points only change in a
   * new buffer (engine/trajectory.ts), so another buffer means a rebuild.
   */
  buffer: unknown;
  /** Committed path data. */
  d: string;
  /** The last committed vertex (pixels), or null when the pen is up. */
  at: [number, number] | null;
  /** The newest point when it was too close to the last vertex to commit (drawn as a tail). */
  tail: [number, number] | null;
  /** Minimum distance (px) between committed vertices: 0 while the path is short. */
  minPx: number;
}

export const emptyPath = (): GrowingPath => ({
  key: null,
  n: 0,
  buffer: null,
  d: '',
  at: null,
  tail: null,
  minPx: 0,
});

/** Up to this many points every point is a vertex (the tests count one vertex per step). */
export const EXACT_POINTS = 1000;
/** Longer trajectories keep a vertex only this far (px) from the previous one. */
export const THIN_PX = 0.75;

/**
 * Bring `path` up to date with `points` drawn through `x`, `y` (`key` identifies the
 * scales), appending only the new points when possible; returns the path data to set.
 */
export function growPath(
  path: GrowingPath,
  points: Trajectory,
  key: unknown,
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  const count = points.length;
  const minPx = count > EXACT_POINTS ? THIN_PX : 0;
  const extends_ =
    path.key === key &&
    path.minPx === minPx &&
    count >= path.n &&
    (path.n === 0 || points.data === path.buffer);
  if (!extends_) Object.assign(path, emptyPath(), { key, minPx });
  let d = path.d;
  for (let i = path.n; i < count; i++) {
    const px = x(point(points, i, 0) ?? NaN);
    const py = y(point(points, i, 1) ?? NaN);
    if (!Number.isFinite(px) || !Number.isFinite(py)) {
      if (path.tail) d += `L${r(path.tail[0])},${r(path.tail[1])}`;
      path.tail = null;
      path.at = null;
      continue;
    }
    const at = path.at;
    if (at && minPx > 0 && Math.hypot(px - at[0], py - at[1]) < minPx && i > 0) {
      path.tail = [px, py];
      continue;
    }
    d += `${at ? 'L' : 'M'}${r(px)},${r(py)}`;
    path.at = [px, py];
    path.tail = null;
  }
  path.d = d;
  path.n = count;
  path.buffer = points.data;
  return path.tail ? `${d}L${r(path.tail[0])},${r(path.tail[1])}` : d;
}
