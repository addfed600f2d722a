/**
 * Woodbury solve for a damped factored curvature F = UᵀU/N + λI with U of m rows
 * (m = N·C output directions) and P columns, cheap when m < P (THEORY §7):
 *   (VᵀV + λI)⁻¹ g = (g − Vᵀ (VVᵀ + λI)⁻¹ V g)/λ,   V = U/√N,
 * an m×m Cholesky instead of a P×P one.
 */
import { allFinite, matTVec, matVec, nanVec, rowGram, type Vec } from './dense';
import { choleskySolve, spectralSolve } from './solve';

/** x with (UᵀU/N + λI) x = g; needs λ > 0 (undamped F with m < P is singular). */
export function woodburySolve(
  U: readonly (readonly number[])[],
  N: number,
  lambda: number,
  g: readonly number[],
): Vec {
  const P = g.length;
  if (!(lambda > 0) || !allFinite(U) || !allFinite(g)) return nanVec(P);
  const K = rowGram(U, 1 / N);
  K.forEach((row, i) => (row[i] = (row[i] as number) + lambda));
  const Ug = matVec(U, g).map((v) => v / Math.sqrt(N));
  // K is SPD (λ > 0); the spectral path only guards against λ below float64 resolution.
  const z = choleskySolve(K, Ug, 0) ?? spectralSolve(K, Ug, 'pinv').x;
  const VtZ = matTVec(U, z, P).map((v) => v / Math.sqrt(N));
  return g.map((v, j) => (v - (VtZ[j] as number)) / lambda);
}
