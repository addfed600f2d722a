/**
 * Woodbury solve for a damped factored curvature F = UᵀU/N + λI with U of m rows
 * (m = N·r output directions) and P columns, cheap when m < P (THEORY §7):
 *   (VᵀV + λI)⁻¹ g = (g − Vᵀ (VVᵀ + λI)⁻¹ V g)/λ,   V = U/√N,
 * an m×m Cholesky instead of a P×P one.
 *
 * Forming VVᵀ in float64 costs m²P/2 multiply-adds (11 M for the 2-16-16-1 MLP), more than
 * the rest of a natural-gradient step. When the backend's float32 UUᵀ is given, its
 * Cholesky is used as a preconditioner and the m×m system is solved to float64 accuracy
 * by iterative refinement against U itself (residuals by two float64 products per
 * iteration, never the float64 Gram). Without it, or if refinement does not converge,
 * the float64 Gram is formed as before.
 */
import { allFinite, matTVec, matVec, nanVec, rowGram, type Vec } from './dense';
import { choleskyFactor, choleskySolveFactor } from './cholesky';
import { choleskySolve, spectralSolve } from './solve';

/** Refinement stops when a correction is below this fraction of the solution. */
const REFINE_TOL = 1e-12;
const REFINE_MAX = 10;

/** U as one row-major Float64Array [m·P] (tight loops for the refinement's products). */
function flatten(U: readonly (readonly number[])[], P: number): Float64Array {
  const out = new Float64Array(U.length * P);
  U.forEach((row, i) => {
    for (let j = 0; j < P; j++) out[i * P + j] = row[j] as number;
  });
  return out;
}

/** (UUᵀ/N + λI) z from the flat U, in float64: U(Uᵀz)/N + λz. */
function gramTimes(Uf: Float64Array, m: number, P: number, N: number, lambda: number, z: Vec): Vec {
  const t = new Float64Array(P);
  for (let i = 0; i < m; i++) {
    const zi = z[i] as number;
    const o = i * P;
    for (let j = 0; j < P; j++) t[j] = (t[j] as number) + zi * (Uf[o + j] as number);
  }
  const out = new Array<number>(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    const o = i * P;
    for (let j = 0; j < P; j++) s += (Uf[o + j] as number) * (t[j] as number);
    out[i] = s / N + lambda * (z[i] as number);
  }
  return out;
}

/** z with (UUᵀ/N + λI) z = b, refined from the float32 Gram; null when it does not converge. */
function refinedSolve(
  U: readonly (readonly number[])[],
  N: number,
  lambda: number,
  gram32: readonly (readonly number[])[],
  b: Vec,
): Vec | null {
  const m = U.length;
  const P = U[0]?.length ?? 0;
  if (gram32.length !== m) return null;
  const K: number[][] = new Array<number[]>(m);
  for (let i = 0; i < m; i++) {
    const src = gram32[i] as readonly number[];
    const row = new Array<number>(m);
    for (let j = 0; j < m; j++) row[j] = (src[j] as number) / N;
    row[i] = (row[i] as number) + lambda;
    K[i] = row;
  }
  // Non-finite or not positive definite entries make the factorization refuse.
  const chol = choleskyFactor(K, 1e-14);
  if (!chol) return null;
  const Uf = flatten(U, P);
  const z = choleskySolveFactor(chol, b);
  for (let it = 0; it < REFINE_MAX; it++) {
    const Kz = gramTimes(Uf, m, P, N, lambda, z);
    const dz = choleskySolveFactor(
      chol,
      b.map((v, i) => v - (Kz[i] as number)),
    );
    let dn = 0;
    let zn = 0;
    for (let i = 0; i < m; i++) {
      z[i] = (z[i] as number) + (dz[i] as number);
      dn = Math.max(dn, Math.abs(dz[i] as number));
      zn = Math.max(zn, Math.abs(z[i] as number));
    }
    if (!Number.isFinite(dn)) return null;
    if (dn <= REFINE_TOL * zn) return z;
  }
  return null;
}

/**
 * x with (UᵀU/N + λI) x = g; needs λ > 0 (undamped F with m < P is singular). `gram32`:
 * UUᵀ computed in float32 (optional; see above).
 */
export function woodburySolve(
  U: readonly (readonly number[])[],
  N: number,
  lambda: number,
  g: readonly number[],
  gram32?: readonly (readonly number[])[],
): Vec {
  const P = g.length;
  if (!(lambda > 0) || !allFinite(U) || !allFinite(g)) return nanVec(P);
  const Ug = matVec(U, g).map((v) => v / Math.sqrt(N));
  let z = gram32 ? refinedSolve(U, N, lambda, gram32, Ug) : null;
  if (!z) {
    const K = rowGram(U, 1 / N);
    K.forEach((row, i) => (row[i] = (row[i] as number) + lambda));
    // K is SPD (λ > 0); the spectral path only guards against λ below float64 resolution.
    z = choleskySolve(K, Ug, 0) ?? spectralSolve(K, Ug, 'pinv').x;
  }
  const VtZ = matTVec(U, z, P).map((v) => v / Math.sqrt(N));
  return g.map((v, j) => (v - (VtZ[j] as number)) / lambda);
}
