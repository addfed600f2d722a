/**
 * A dense Cholesky factorization on flat Float64Arrays, for the curvature solves that run
 * every step (Woodbury's m×m system): row-major, inner loops over contiguous memory, no
 * per-entry allocation. ml-matrix (solve.ts) stays the general path; this one is several
 * times faster on 256×256 systems.
 */

/** Lower-triangular L (row-major n×n; entries above the diagonal are not read) with L Lᵀ = A. */
export interface CholeskyFactor {
  n: number;
  L: Float64Array;
}

/**
 * Factor symmetric A given as rows (only the lower triangle is read), or null when a pivot
 * is not above rcond·max diag(A) (not numerically positive definite).
 */
export function choleskyFactor(A: readonly (readonly number[])[], rcond = 1e-12): CholeskyFactor | null {
  const n = A.length;
  const a = new Float64Array(n * n);
  A.forEach((row, i) => {
    for (let j = 0; j <= i; j++) a[i * n + j] = row[j] as number;
  });
  return choleskyInPlace(a, n, rcond);
}

/**
 * Factor the symmetric n×n matrix in `a` (row-major, only the lower triangle is read) in
 * place: its lower triangle becomes L. Null as for `choleskyFactor` (then `a` is spoilt).
 *
 * Rows i, i+1 against columns j, j+1 at a time (2×2 register blocking): each inner-loop
 * step loads four entries for four multiply-adds instead of two for one, ~1.8× faster
 * in V8 than one dot product at a time (2.8 M multiply-adds at n = 256).
 */
export function choleskyInPlace(a: Float64Array, n: number, rcond = 1e-12): CholeskyFactor | null {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, a[i * n + i] as number);
  const floor = rcond * maxDiag;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    for (let j = 0; j < i; j += 2) {
      const c0 = j * n;
      const c1 = c0 + n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      // Unrolled by two (one loop test per eight multiply-adds: ~6% faster in V8).
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const a0 = a[r0 + k] as number;
        const a1 = a[r1 + k] as number;
        const b0 = a[c0 + k] as number;
        const b1 = a[c1 + k] as number;
        const e0 = a[r0 + k + 1] as number;
        const e1 = a[r1 + k + 1] as number;
        const f0 = a[c0 + k + 1] as number;
        const f1 = a[c1 + k + 1] as number;
        s00 += a0 * b0 + e0 * f0;
        s01 += a0 * b1 + e0 * f1;
        s10 += a1 * b0 + e1 * f0;
        s11 += a1 * b1 + e1 * f1;
      }
      if (k < j) {
        const a0 = a[r0 + k] as number;
        const a1 = a[r1 + k] as number;
        const b0 = a[c0 + k] as number;
        const b1 = a[c1 + k] as number;
        s00 += a0 * b0;
        s01 += a0 * b1;
        s10 += a1 * b0;
        s11 += a1 * b1;
      }
      // Column j, then column j+1, which also needs the entries of column j just made.
      const d0 = a[c0 + j] as number;
      const l0 = ((a[r0 + j] as number) - s00) / d0;
      const l1 = ((a[r1 + j] as number) - s10) / d0;
      a[r0 + j] = l0;
      a[r1 + j] = l1;
      const lj = a[c1 + j] as number;
      const d1 = a[c1 + j + 1] as number;
      a[r0 + j + 1] = ((a[r0 + j + 1] as number) - s01 - l0 * lj) / d1;
      a[r1 + j + 1] = ((a[r1 + j + 1] as number) - s11 - l1 * lj) / d1;
    }
    // The 2×2 diagonal block.
    let d00 = 0;
    let d10 = 0;
    let d11 = 0;
    for (let k = 0; k < i; k++) {
      const a0 = a[r0 + k] as number;
      const a1 = a[r1 + k] as number;
      d00 += a0 * a0;
      d10 += a1 * a0;
      d11 += a1 * a1;
    }
    const p0 = (a[r0 + i] as number) - d00;
    if (!(p0 > floor)) return null;
    const l = Math.sqrt(p0);
    a[r0 + i] = l;
    const l10 = ((a[r1 + i] as number) - d10) / l;
    a[r1 + i] = l10;
    const p1 = (a[r1 + i + 1] as number) - d11 - l10 * l10;
    if (!(p1 > floor)) return null;
    a[r1 + i + 1] = Math.sqrt(p1);
  }
  if (i < n) {
    // The last row of an odd n, one entry at a time.
    const r = i * n;
    for (let j = 0; j <= i; j++) {
      const c = j * n;
      let s = 0;
      for (let k = 0; k < j; k++) s += (a[r + k] as number) * (a[c + k] as number);
      const v = (a[r + j] as number) - s;
      if (j < i) a[r + j] = v / (a[c + j] as number);
      else if (!(v > floor)) return null;
      else a[r + i] = Math.sqrt(v);
    }
  }
  return { n, L: a };
}

/** x with L Lᵀ x = b (a new array). */
export function choleskySolveFactor(f: CholeskyFactor, b: ArrayLike<number>): Float64Array {
  const { n, L } = f;
  const y = Float64Array.from(b);
  // L y = b, two rows per pass over y: rows i and i+1 share the loads of y[k].
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let s0 = y[i] as number;
    let s1 = y[i + 1] as number;
    for (let k = 0; k < i; k++) {
      const yk = y[k] as number;
      s0 -= (L[r0 + k] as number) * yk;
      s1 -= (L[r1 + k] as number) * yk;
    }
    const y0 = s0 / (L[r0 + i] as number);
    y[i] = y0;
    y[i + 1] = (s1 - (L[r1 + i] as number) * y0) / (L[r1 + i + 1] as number);
  }
  if (i < n) {
    const r = i * n;
    let s0 = y[i] as number;
    for (let k = 0; k < i; k++) s0 -= (L[r + k] as number) * (y[k] as number);
    y[i] = s0 / (L[r + i] as number);
  }
  // Lᵀ x = y by rows of L (column sweep: contiguous reads, not a stride of n), two rows
  // per pass over x.
  i = n - 1;
  for (; i >= 1; i -= 2) {
    const r1 = i * n;
    const r0 = r1 - n;
    const x1 = (y[i] as number) / (L[r1 + i] as number);
    const x0 = ((y[i - 1] as number) - (L[r1 + i - 1] as number) * x1) / (L[r0 + i - 1] as number);
    y[i] = x1;
    y[i - 1] = x0;
    for (let k = 0; k < i - 1; k++)
      y[k] = (y[k] as number) - (L[r1 + k] as number) * x1 - (L[r0 + k] as number) * x0;
  }
  if (i === 0) y[0] = (y[0] as number) / (L[0] as number);
  return y;
}

/**
 * In place: M (n × k, row-major) becomes (L Lᵀ)⁻¹ M, all k right-hand sides at once
 * (K-FAC solves a layer block column- and row-wise with its two small factors).
 */
export function choleskySolveColumns(f: CholeskyFactor, M: Float64Array, k: number): Float64Array {
  const { n, L } = f;
  for (let i = 0; i < n; i++) {
    subtractRows(M, k, i * k, 0, i, L, i * n, 1);
    divideRow(M, k, i * k, L[i * n + i] as number);
  }
  for (let i = n - 1; i >= 0; i--) {
    subtractRows(M, k, i * k, i + 1, n, L, (i + 1) * n + i, n);
    divideRow(M, k, i * k, L[i * n + i] as number);
  }
  return M;
}

/**
 * Row `at` of M (k wide) minus Σ_p l_p·(row p of M) for p = lo … hi−1, where l_p =
 * L[l0 + (p − lo)·step]: one subtraction at a time in increasing p for every entry (so
 * exactly the rounding of the plain loop), four rows p per pass over row `at` (a quarter
 * of its loads and stores).
 */
function subtractRows(
  M: Float64Array,
  k: number,
  at: number,
  lo: number,
  hi: number,
  L: Float64Array,
  l0: number,
  step: number,
): void {
  let p = lo;
  let l = l0;
  for (; p + 3 < hi; p += 4, l += 4 * step) {
    const a0 = L[l] as number;
    const a1 = L[l + step] as number;
    const a2 = L[l + 2 * step] as number;
    const a3 = L[l + 3 * step] as number;
    const r0 = p * k;
    const r1 = r0 + k;
    const r2 = r1 + k;
    const r3 = r2 + k;
    for (let c = 0; c < k; c++) {
      let s = M[at + c] as number;
      s -= a0 * (M[r0 + c] as number);
      s -= a1 * (M[r1 + c] as number);
      s -= a2 * (M[r2 + c] as number);
      s -= a3 * (M[r3 + c] as number);
      M[at + c] = s;
    }
  }
  for (; p < hi; p++, l += step) {
    const a = L[l] as number;
    const r = p * k;
    for (let c = 0; c < k; c++) M[at + c] = (M[at + c] as number) - a * (M[r + c] as number);
  }
}

/** Row `at` of M (k wide) divided by d. */
function divideRow(M: Float64Array, k: number, at: number, d: number): void {
  for (let c = 0; c < k; c++) M[at + c] = (M[at + c] as number) / d;
}
