/**
 * Projection of trajectory points onto a slice: the least-squares coordinates (a, b) that
 * make c + a·d1 + b·d2 closest to the point (d1, d2 need not be orthogonal: the 2 × 2
 * normal equations with their Gram matrix), and how far the point is from the plane.
 * The distance is always returned with the coordinates, so a plot never shows a
 * projected trajectory without saying how much of it lies off the slice. Float64.
 */
import type { Slice } from './slice';
import { row, type Trajectory } from '../trajectory';

/** Points to project: rows, or a trajectory's points from `from` on (read in place). */
export type ProjectPoints = readonly (readonly number[])[] | Trajectory;

export interface Projection {
  /** (a, b) per point, flattened: point k at [2k, 2k + 1]. */
  coords: Float64Array;
  /** ‖p − (c + a·d1 + b·d2)‖ per point: the distance from the plane. */
  distance: Float64Array;
  /** distance / ‖p − c‖ per point, in [0, 1]; 0 for the centre itself. */
  relative: Float64Array;
}

/**
 * A projector for one slice (precomputes the Gram matrix). Throws when d1 and d2 are not
 * linearly independent (no plane to project on).
 */
export function makeProjector(slice: Slice): (points: ProjectPoints, from?: number) => Projection {
  const { centre, d1, d2 } = slice;
  const P = centre.length;
  let [g11, g12, g22] = [0, 0, 0];
  for (let i = 0; i < P; i++) {
    const [x, y] = [d1[i] as number, d2[i] as number];
    g11 += x * x;
    g12 += x * y;
    g22 += y * y;
  }
  const det = g11 * g22 - g12 * g12;
  if (!(det > 1e-12 * g11 * g22)) throw new Error('slice directions are not linearly independent');
  return (points, from = 0) => {
    const flat = 'dim' in points ? points : null;
    const at = (k: number): ArrayLike<number> =>
      flat ? (row(flat, from + k) as Float64Array) : (points as readonly (readonly number[])[])[from + k]!;
    const m = Math.max(0, points.length - from);
    const out: Projection = {
      coords: new Float64Array(2 * m),
      distance: new Float64Array(m),
      relative: new Float64Array(m),
    };
    const v = new Float64Array(P);
    for (let k = 0; k < m; k++) {
      const p = at(k);
      if (p.length !== P) throw new Error(`a point has ${p.length} entries; the slice lives in R^${P}`);
      let [r1, r2, vv] = [0, 0, 0];
      for (let i = 0; i < P; i++) {
        const x = (p[i] as number) - (centre[i] as number);
        v[i] = x;
        r1 += (d1[i] as number) * x;
        r2 += (d2[i] as number) * x;
        vv += x * x;
      }
      const a = (g22 * r1 - g12 * r2) / det;
      const b = (g11 * r2 - g12 * r1) / det;
      // The residual formed explicitly (not ‖v‖² − (a r1 + b r2), which cancels badly near 0).
      let rr = 0;
      for (let i = 0; i < P; i++)
        rr += ((v[i] as number) - a * (d1[i] as number) - b * (d2[i] as number)) ** 2;
      const dist = Math.sqrt(rr);
      out.coords[2 * k] = a;
      out.coords[2 * k + 1] = b;
      out.distance[k] = dist;
      out.relative[k] = vv > 0 ? Math.min(1, dist / Math.sqrt(vv)) : 0;
    }
    return out;
  };
}

/** Project points onto a slice (one-off; use `makeProjector` for repeated calls). */
export function projectOntoSlice(slice: Slice, points: ProjectPoints): Projection {
  return makeProjector(slice)(points);
}

/** The largest relative distance from the plane over the projected points (0 for none). */
export function maxRelativeError(p: Projection): number {
  let max = 0;
  for (const r of p.relative) if (r > max) max = r;
  return max;
}
