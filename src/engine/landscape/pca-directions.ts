/**
 * The top two principal directions of the trajectories (Li et al. 2018, §7): the rows
 * p − c for every point p of every run, centred on the slice centre c (not on their mean,
 * so the plane passes through c), and their two leading right singular vectors, in
 * float64 through ml-matrix's SVD. The directions are orthonormal, so slice coordinates
 * are in parameter units.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import type { Slice } from './slice';

/** Beyond this many points an evenly spaced subset is used (the SVD costs m·P²). */
export const PCA_MAX_POINTS = 2000;

export interface PcaSlice {
  slice: Slice;
  /** Fraction of Σ‖p − c‖² along d1 and along d2 (over the points used). */
  explained: [number, number];
}

/**
 * Principal directions of `points` (all runs' θ points, any order) about `centre`.
 * Each direction's sign puts the point farthest from the centre at a non-negative
 * coordinate. Throws when the points span fewer than two dimensions around the centre.
 */
export function pcaDirections(points: readonly (readonly number[])[], centre: readonly number[]): PcaSlice {
  const P = centre.length;
  const stride = Math.max(1, Math.ceil(points.length / PCA_MAX_POINTS));
  const rows = points
    .filter((_, k) => k % stride === 0)
    .map((p) => {
      if (p.length !== P) throw new Error(`a trajectory point has ${p.length} entries, not ${P}`);
      return p.map((v, i) => v - (centre[i] as number));
    });
  if (rows.length < 2) throw new Error('PCA directions need points that span two dimensions');
  const svd = new SingularValueDecomposition(new Matrix(rows), {
    computeLeftSingularVectors: false,
    autoTranspose: true,
  });
  const s = svd.diagonal;
  const [s1, s2] = [s[0] ?? 0, s[1] ?? 0];
  if (!(s1 > 0) || !(s2 > 1e-10 * s1))
    throw new Error('PCA directions need points that span two dimensions around the centre');
  const total = s.reduce((t, v) => t + v * v, 0);
  const V = svd.rightSingularVectors;
  let far = rows[0] as number[];
  let farNorm = -1;
  for (const r of rows) {
    const n = r.reduce((t, v) => t + v * v, 0);
    if (n > farNorm) [far, farNorm] = [r, n];
  }
  const column = (k: number): Float64Array => {
    const d = Float64Array.from(V.getColumn(k));
    const side = d.reduce((t, v, i) => t + v * (far[i] as number), 0);
    return side < 0 ? d.map((v) => -v) : d;
  };
  return {
    slice: {
      kind: 'pca',
      label: 'principal directions of the trajectories',
      centre: Float64Array.from(centre),
      d1: column(0),
      d2: column(1),
    },
    explained: [(s1 * s1) / total, (s2 * s2) / total],
  };
}
