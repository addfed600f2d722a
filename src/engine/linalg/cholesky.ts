/**
 * A dense Cholesky factorization on flat Float64Arrays, for the curvature solves that run
 * every step (Woodbury's m×m system): row-major, inner loops over contiguous memory, no
 * per-entry allocation. ml-matrix (solve.ts) stays the general path; this one is several
 * times faster on 256×256 systems.
 */

/** Lower-triangular L (row-major n×n) with L Lᵀ = A. */
export interface CholeskyFactor {
  n: number;
  L: Float64Array;
}

/**
 * Factor symmetric A (rows; only the lower triangle is read), or null when a pivot is not
 * above rcond·max diag(A) (not numerically positive definite).
 */
export function choleskyFactor(A: readonly (readonly number[])[], rcond = 1e-12): CholeskyFactor | null {
  const n = A.length;
  const L = new Float64Array(n * n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, (A[i] as readonly number[])[i] as number);
  for (let i = 0; i < n; i++) {
    const Ai = A[i] as readonly number[];
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      // Four partial sums: independent multiply-adds pipeline better than one chain.
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += (L[ri + k] as number) * (L[rj + k] as number);
        s1 += (L[ri + k + 1] as number) * (L[rj + k + 1] as number);
        s2 += (L[ri + k + 2] as number) * (L[rj + k + 2] as number);
        s3 += (L[ri + k + 3] as number) * (L[rj + k + 3] as number);
      }
      for (; k < j; k++) s0 += (L[ri + k] as number) * (L[rj + k] as number);
      const s = (Ai[j] as number) - (s0 + s1 + s2 + s3);
      if (i === j) {
        if (!(s > rcond * maxDiag)) return null;
        L[ri + i] = Math.sqrt(s);
      } else {
        L[ri + j] = s / (L[rj + j] as number);
      }
    }
  }
  return { n, L };
}

/** x with L Lᵀ x = b. */
export function choleskySolveFactor(f: CholeskyFactor, b: readonly number[]): number[] {
  const { n, L } = f;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    const ri = i * n;
    for (let k = 0; k < i; k++) s -= (L[ri + k] as number) * (y[k] as number);
    y[i] = s / (L[ri + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let k = i + 1; k < n; k++) s -= (L[k * n + i] as number) * (y[k] as number);
    y[i] = s / (L[i * n + i] as number);
  }
  return Array.from(y);
}
