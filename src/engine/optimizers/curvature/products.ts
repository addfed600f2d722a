/**
 * Matrix-free curvature-vector products in float64, for conjugate gradient (docs/theory.md §7):
 * F v = Uᵀ(U v)/N from the Fisher factor and G v = (1/N) Σ J_nᵀ H_n (J_n v) from the
 * per-example Jacobians, both read once per step. A product costs O(mP), never O(P²).
 */
import { dot, matTVec, matVec, type Vec } from '../../linalg/dense';
import type { Factor } from './fisher';

/** v ↦ (UᵀU/N + λI) v. */
export function factorProduct(f: Factor, lambda = 0): (v: Vec) => Vec {
  return (v) => {
    const Uv = matVec(f.U, v);
    const out = matTVec(f.U, Uv, f.P);
    return out.map((x, j) => x / f.N + lambda * (v[j] as number));
  };
}

/** v ↦ (1/N) Σ_n J_nᵀ H_n J_n v + λv, with J [N][C][P] and H [N][C][C]. */
export function ggnProduct(J: number[][][], H: number[][][], P: number, lambda = 0): (v: Vec) => Vec {
  const N = J.length;
  return (v) => {
    const out = v.map((x) => lambda * x);
    J.forEach((Jn, n) => {
      const Jv = Jn.map((row) => dot(row, v));
      const HJv = (H[n] as number[][]).map((row) => dot(row, Jv));
      const back = matTVec(Jn, HJv, P);
      for (let j = 0; j < P; j++) out[j] = (out[j] as number) + (back[j] as number) / N;
    });
    return out;
  };
}

/** The diagonal of UᵀU/N: column sums of squares over N. */
export function factorDiagonal(f: Factor): Vec {
  const d = new Array<number>(f.P).fill(0);
  for (const row of f.U) for (let j = 0; j < f.P; j++) d[j] = (d[j] as number) + (row[j] as number) ** 2;
  return d.map((x) => x / f.N);
}
