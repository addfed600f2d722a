/**
 * A trajectory as the recorder draws it: its points in pixels, thinned once to what the
 * frame can show (a point is kept when it lies at least `minPx` from the last kept one, or
 * next to a gap), so that a frame of a 100,000-step run draws a few hundred vertices. A
 * frame at step k draws the kept points up to k and then point k itself. Pure.
 */

export interface ThinPath {
  /** Pixel coordinates of every point (NaN: not drawable, the pen lifts). */
  x: Float64Array;
  y: Float64Array;
  /** Indices of the kept points, increasing. */
  kept: Int32Array;
}

export function thinPath(
  count: number,
  px: (i: number) => number,
  py: (i: number) => number,
  minPx = 0.75,
): ThinPath {
  const x = new Float64Array(count);
  const y = new Float64Array(count);
  const kept: number[] = [];
  let lx = NaN;
  let ly = NaN;
  let prevFinite = false;
  for (let i = 0; i < count; i++) {
    const a = px(i);
    const b = py(i);
    const finite = Number.isFinite(a) && Number.isFinite(b);
    x[i] = finite ? a : NaN;
    y[i] = finite ? b : NaN;
    if (!finite) {
      // Keep the gap and the point before it, so the line stops where the data stops.
      if (prevFinite && kept[kept.length - 1] !== i - 1) kept.push(i - 1);
      kept.push(i);
      lx = ly = NaN;
    } else if (!Number.isFinite(lx) || Math.hypot(a - lx, b - (ly as number)) >= minPx) {
      kept.push(i);
      lx = a;
      ly = b;
    }
    prevFinite = finite;
  }
  return { x, y, kept: Int32Array.from(kept) };
}

/** How many kept points lie at or before step k (binary search). */
export function keptUpTo(path: ThinPath, k: number): number {
  let lo = 0;
  let hi = path.kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((path.kept[mid] as number) <= k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The vertices of the path up to step k as runs of [x, y] pairs (one array per pen-down
 * stretch), ending exactly at point k when it is drawable.
 */
export function segmentsUpTo(path: ThinPath, k: number): number[][] {
  const last = Math.min(k, path.x.length - 1);
  const n = keptUpTo(path, last);
  const out: number[][] = [];
  let cur: number[] = [];
  const push = (i: number): void => {
    const a = path.x[i] as number;
    const b = path.y[i] as number;
    if (Number.isNaN(a)) {
      if (cur.length > 0) out.push(cur);
      cur = [];
    } else cur.push(a, b);
  };
  for (let j = 0; j < n; j++) push(path.kept[j] as number);
  if (last >= 0 && (n === 0 || path.kept[n - 1] !== last)) push(last);
  if (cur.length > 0) out.push(cur);
  return out;
}
