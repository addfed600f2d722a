/**
 * Woodbury solve for a damped factored curvature F = UᵀU/N + λI with U of m rows
 * (m = N·r output directions) and P columns, cheap when m < P (docs/theory.md §7):
 *   (VᵀV + λI)⁻¹ g = (g − Vᵀ (VVᵀ + λI)⁻¹ V g)/λ,   V = U/√N,
 * an m×m Cholesky instead of a P×P one.
 *
 * Forming VVᵀ in float64 costs m²P/2 multiply-adds (11 M for the 2-16-16-1 MLP), more than
 * the rest of a natural-gradient step. When the backend's float32 UUᵀ is given, its
 * Cholesky is used as a preconditioner and the m×m system is solved to float64 accuracy
 * by iterative refinement against U itself (residuals by two float64 products per
 * iteration, never the float64 Gram). Without it, or if refinement does not converge,
 * the float64 Gram is formed as before.
 *
 * U and the Gram may come as the backend's flat row-major arrays (`RowMajor`, read once,
 * never copied into nested arrays) or as rows.
 */
import { allFinite, nanVec, rowGram, type Mat, type Vec } from './dense';
import { choleskyInPlace, choleskySolveFactor } from './cholesky';
import { choleskySolve, spectralSolve } from './solve';

/** A dense rows×cols matrix in one row-major typed array (how the backend returns a tensor). */
export interface RowMajor {
  rows: number;
  cols: number;
  data: Float32Array | Float64Array;
}

/**
 * Refinement stops when the next correction is predicted below this fraction of the
 * solution (max norms), i.e. at float64 round-off for a well-conditioned m×m system.
 */
const REFINE_TOL = 1e-12;
/** Stalled corrections this small are round-off, not a failed preconditioner. */
const STALL_TOL = 1e-10;
const REFINE_MAX = 10;

/**
 * Rows, or a float32 RowMajor, as a float64 RowMajor (a float64 one as it is): V8 reads a
 * Float64Array about twice as fast in the products below, which the refinement repeats.
 */
export function rowMajor(A: readonly (readonly number[])[] | RowMajor, cols: number): RowMajor {
  if (!Array.isArray(A)) {
    const flat = A as RowMajor;
    return flat.data instanceof Float64Array ? flat : { ...flat, data: Float64Array.from(flat.data) };
  }
  const rows = A as readonly (readonly number[])[];
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, i) => {
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j] as number;
  });
  return { rows: rows.length, cols, data };
}

/** A RowMajor as nested rows (float64). */
export function rowsOf(A: RowMajor): Mat {
  return Array.from({ length: A.rows }, (_, i) => Array.from(A.data.subarray(i * A.cols, (i + 1) * A.cols)));
}

/**
 * A v (an m-vector), in float64. Four rows at a time, as in `rowsTransposeTimes`: four
 * independent sums per loaded v_j run ~2× faster in V8 than one row after another.
 */
export function rowsTimes(A: RowMajor, v: ArrayLike<number>): Float64Array {
  const { rows, cols, data } = A;
  const out = new Float64Array(rows);
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const o0 = i * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < cols; j++) {
      const x = v[j] as number;
      s0 += (data[o0 + j] as number) * x;
      s1 += (data[o1 + j] as number) * x;
      s2 += (data[o2 + j] as number) * x;
      s3 += (data[o3 + j] as number) * x;
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += (data[o + j] as number) * (v[j] as number);
    out[i] = s;
  }
  return out;
}

/** Aᵀ z (a cols-vector), in float64, added into `out` when given; four rows per pass. */
export function rowsTransposeTimes(
  A: RowMajor,
  z: ArrayLike<number>,
  out: Float64Array = new Float64Array(A.cols),
): Float64Array {
  const { rows, cols, data } = A;
  let i = 0;
  for (; i + 3 < rows; i += 4) {
    const z0 = z[i] as number;
    const z1 = z[i + 1] as number;
    const z2 = z[i + 2] as number;
    const z3 = z[i + 3] as number;
    const o0 = i * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    for (let j = 0; j < cols; j++) {
      out[j] =
        (out[j] as number) +
        z0 * (data[o0 + j] as number) +
        z1 * (data[o1 + j] as number) +
        z2 * (data[o2 + j] as number) +
        z3 * (data[o3 + j] as number);
    }
  }
  for (; i < rows; i++) {
    const zi = z[i] as number;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + zi * (data[o + j] as number);
  }
  return out;
}

/**
 * z with (UUᵀ/N + λI) z = b, refined from the float32 Gram, and Uᵀz (kept up to date
 * through the corrections, so the caller needs no further product); null when it does not
 * converge.
 */
function refinedSolve(
  U: RowMajor,
  N: number,
  lambda: number,
  gram32: RowMajor,
  b: Float64Array,
): { z: Float64Array; Utz: Float64Array } | null {
  const m = U.rows;
  if (gram32.rows !== m || gram32.cols !== m) return null;
  const K = new Float64Array(m * m);
  const G = gram32.data;
  const inv = 1 / N;
  // The lower triangle is all the factorization reads.
  for (let i = 0; i < m; i++) {
    const o = i * m;
    for (let j = 0; j <= i; j++) K[o + j] = (G[o + j] as number) * inv;
    K[o + i] = (K[o + i] as number) + lambda;
  }
  // Non-finite or not positive definite entries make the factorization refuse.
  const chol = choleskyInPlace(K, m, 1e-14);
  if (!chol) return null;
  const z = choleskySolveFactor(chol, b);
  const Utz = rowsTransposeTimes(U, z);
  let previous = 0;
  for (let it = 0; it < REFINE_MAX; it++) {
    // r = b − (U(Uᵀz)/N + λz), all in float64 against U itself.
    const UUz = rowsTimes(U, Utz);
    const r = new Float64Array(m);
    for (let i = 0; i < m; i++)
      r[i] = (b[i] as number) - (UUz[i] as number) * inv - lambda * (z[i] as number);
    const dz = choleskySolveFactor(chol, r);
    rowsTransposeTimes(U, dz, Utz);
    let dn = 0;
    let zn = 0;
    for (let i = 0; i < m; i++) {
      z[i] = (z[i] as number) + (dz[i] as number);
      dn = Math.max(dn, Math.abs(dz[i] as number));
      zn = Math.max(zn, Math.abs(z[i] as number));
    }
    if (!Number.isFinite(dn) || !Number.isFinite(zn)) return null;
    if (dn <= REFINE_TOL * zn) return { z, Utz };
    // Corrections shrink by a factor ρ per iteration, measured from the last two: the
    // next one would be ρ·dn, so stop once that is below the tolerance. Without
    // contraction (ρ ≥ ½) the corrections have either stalled at the float64 round-off of
    // an ill-conditioned system (small: the float64 Gram would be no more accurate) or the
    // float32 factor is too poor a preconditioner (use the float64 Gram).
    if (it > 0) {
      const rho = dn / previous;
      if (rho >= 0.5) return dn <= STALL_TOL * zn ? { z, Utz } : null;
      if (rho * dn <= REFINE_TOL * zn) return { z, Utz };
    }
    previous = dn;
  }
  return null;
}

/** z with (UUᵀ/N + λI) z = b from the float64 Gram (m²P/2 multiply-adds). */
function gramSolve(U: RowMajor, N: number, lambda: number, b: Float64Array): Vec {
  const K = rowGram(rowsOf(U), 1 / N);
  K.forEach((row, i) => (row[i] = (row[i] as number) + lambda));
  const bv = Array.from(b);
  // K is SPD (λ > 0); the spectral path only guards against λ below float64 resolution.
  return choleskySolve(K, bv, 0) ?? spectralSolve(K, bv, 'pinv').x;
}

/** True when every entry is finite. */
function finite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i] as number)) return false;
  return true;
}

/**
 * x with (UᵀU/N + λI) x = g; needs λ > 0 (undamped F with m < P is singular). `gram32`:
 * UUᵀ computed in float32 (optional; see above).
 */
export function woodburySolve(
  U: readonly (readonly number[])[] | RowMajor,
  N: number,
  lambda: number,
  g: readonly number[],
  gram32?: readonly (readonly number[])[] | RowMajor,
): Vec {
  const P = g.length;
  const Uf = rowMajor(U, P);
  if (!(lambda > 0) || Uf.cols !== P || !allFinite(g)) return nanVec(P);
  const scale = 1 / Math.sqrt(N);
  const Ug = rowsTimes(Uf, g).map((v) => v * scale);
  // Every entry of U enters some (Ug)_i, and a NaN or ±∞ there stays non-finite (∞·0 is
  // NaN), so this checks U in m reads instead of m·P.
  if (!finite(Ug)) return nanVec(P);
  // The Gram is read once: a float32 RowMajor is used as it is.
  const K32 = !gram32 ? null : Array.isArray(gram32) ? rowMajor(gram32, Uf.rows) : (gram32 as RowMajor);
  const refined = K32 ? refinedSolve(Uf, N, lambda, K32, Ug) : null;
  const Utz = refined ? refined.Utz : rowsTransposeTimes(Uf, gramSolve(Uf, N, lambda, Ug));
  return g.map((v, j) => (v - (Utz[j] as number) * scale) / lambda);
}
