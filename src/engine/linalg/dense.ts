/**
 * Plain float64 vectors and matrices for the CPU side of the curvature solvers. Matrices
 * are row arrays (`Mat[i][j]`, P rows of P); the heavy decompositions go through ml-matrix
 * (solve.ts, eigen.ts), the cheap products stay here as loops.
 */

/** A float64 vector. */
export type Vec = number[];
/** A float64 matrix as rows. */
export type Mat = number[][];

/** Row i, column j, with the index checks `noUncheckedIndexedAccess` wants in one place. */
export function at(A: readonly (readonly number[])[], i: number, j: number): number {
  return (A[i] as readonly number[])[j] as number;
}

/** aᵀb. */
export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/** A v. */
export function matVec(A: readonly (readonly number[])[], v: readonly number[]): Vec {
  return A.map((row) => dot(row, v));
}

/** Aᵀ v for A with m rows: a P-vector. */
export function matTVec(A: readonly (readonly number[])[], v: readonly number[], P: number): Vec {
  const out = new Array<number>(P).fill(0);
  A.forEach((row, i) => {
    const vi = v[i] as number;
    if (vi !== 0) for (let j = 0; j < P; j++) out[j] = (out[j] as number) + vi * (row[j] as number);
  });
  return out;
}

/** scale · UᵀU for U with m rows of P: the P×P Gram matrix (exactly symmetric). */
export function gram(U: readonly (readonly number[])[], P: number, scale = 1): Mat {
  const G: Mat = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  for (const row of U) {
    for (let i = 0; i < P; i++) {
      const ri = row[i] as number;
      if (ri === 0) continue;
      const Gi = G[i] as number[];
      for (let j = i; j < P; j++) Gi[j] = (Gi[j] as number) + ri * (row[j] as number);
    }
  }
  for (let i = 0; i < P; i++)
    for (let j = i; j < P; j++) {
      const v = at(G, i, j) * scale;
      (G[i] as number[])[j] = v;
      (G[j] as number[])[i] = v;
    }
  return G;
}

/** scale · UUᵀ for U with m rows: the m×m Gram of the rows. */
export function rowGram(U: readonly (readonly number[])[], scale = 1): Mat {
  const m = U.length;
  const K: Mat = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < m; i++)
    for (let j = i; j < m; j++) {
      const v = dot(U[i] as number[], U[j] as number[]) * scale;
      (K[i] as number[])[j] = v;
      (K[j] as number[])[i] = v;
    }
  return K;
}

/** A + λI (a new matrix). */
export function addDiagonal(A: readonly (readonly number[])[], lambda: number): Mat {
  return A.map((row, i) => row.map((v, j) => (i === j ? v + lambda : v)));
}

/** Xᵀ (an m × n matrix's n × m transpose). */
export function transpose(X: readonly (readonly number[])[]): Mat {
  return (X[0] ?? []).map((_, j) => X.map((r) => r[j] as number));
}

/** The m × n matrix stored row-major in `data` from `offset` (e.g. a tensor's read values), as rows. */
export function rowsOf(data: ArrayLike<number>, offset: number, m: number, n: number): Mat {
  const rows: Mat = new Array<number[]>(m);
  for (let i = 0; i < m; i++) {
    const r = new Array<number>(n);
    for (let j = 0; j < n; j++) r[j] = data[offset + i * n + j] as number;
    rows[i] = r;
  }
  return rows;
}

/** (A + Aᵀ)/2: removes the float32 asymmetry of a Hessian read from the backend. */
export function symmetrize(A: readonly (readonly number[])[]): Mat {
  return A.map((row, i) => row.map((v, j) => 0.5 * (v + at(A, j, i))));
}

/** The n×n identity. */
export function eye(n: number): Mat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/** True when every entry is a finite number. */
export function allFinite(values: readonly number[] | readonly (readonly number[])[]): boolean {
  // An indexed loop: curvature steps check several P-vectors a step (no iterator per call).
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number | readonly number[];
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return false;
    } else if (!allFinite(v)) return false;
  }
  return true;
}

/** A vector of NaN: what a solve returns for non-finite input (the run is then diverged). */
export function nanVec(n: number): Vec {
  return new Array<number>(n).fill(Number.NaN);
}
