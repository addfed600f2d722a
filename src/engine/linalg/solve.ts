/**
 * Dense symmetric solves in float64 (docs/theory.md §7: forming F squares the condition number,
 * so solves never run in float32). Cholesky when A + λI is numerically positive
 * definite; otherwise an eigen-decomposition, and the result says which was used.
 */
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { addDiagonal, allFinite, at, dot, nanVec, type Vec } from './dense';
import { eigh } from './eigen';

/** How a direction was obtained; shown to the user next to the step. */
export type SolveMethod =
  /** Cholesky of A + λI. */
  | 'cholesky'
  /** Eigen-decomposition: A was positive definite but too ill-conditioned for the pivot test. */
  | 'eigen'
  /** Eigen-decomposition of an invertible indefinite A: the exact solve, not a descent direction. */
  | 'indefinite'
  /** Moore–Penrose pseudo-inverse (minimum-norm solution): A was singular. */
  | 'pinv'
  /** |eigenvalue| inverse (saddle-free Newton): A was indefinite. */
  | 'abs-eigen'
  /** Woodbury identity on the factor of A (few rows). */
  | 'woodbury'
  /** Conjugate gradient on matrix-vector products. */
  | 'cg'
  /** Elementwise division by a diagonal. */
  | 'diagonal'
  /** Per-layer Kronecker factors A⁻¹ V G⁻¹ (K-FAC). */
  | 'kronecker'
  /** Non-finite input: the answer is NaN and the run diverges. */
  | 'non-finite';

/** What a CG solve did: iterations run and the relative residual ‖b − (M + λI)x‖/‖b‖ it reached. */
export interface CgReport {
  iters: number;
  residual: number;
}

export interface Solved {
  x: Vec;
  method: SolveMethod;
  /** CG only. */
  cg?: CgReport;
}

export interface SymmetricSolveOptions {
  /** λ ≥ 0 added to the diagonal (Levenberg–Marquardt). Default 0. */
  damping?: number;
  /**
   * When A + λI is not numerically positive definite: `pinv` keeps the signs and drops
   * the (near-)zero eigenvalues — the exact solve when A is invertible (method
   * 'indefinite' if it has negative eigenvalues), the minimum-norm least-squares solution
   * when it is singular ('pinv'); `abs` divides by |λᵢ| and drops near-zero ones
   * (saddle-free Newton, 'abs-eigen'). Default `pinv`.
   */
  fallback?: 'pinv' | 'abs';
  /**
   * Relative rank tolerance: eigenvalues with |λᵢ| ≤ rcond·max|λ| count as zero, and a
   * Cholesky pivot below rcond·max diag(A) sends the solve to the eigen path. Default
   * 1e-12, right for Gram matrices formed in float64; use ~1e-7 for matrices that were
   * computed in float32 (a Hessian from the backend).
   */
  rcond?: number;
}

/** x with (A + λI) x = b for symmetric A (P rows of P); never throws for bad numbers. */
export function solveSymmetric(
  A: readonly (readonly number[])[],
  b: readonly number[],
  options: SymmetricSolveOptions = {},
): Solved {
  const { damping = 0, fallback = 'pinv', rcond = 1e-12 } = options;
  if (!allFinite(A) || !allFinite(b) || !Number.isFinite(damping)) {
    return { x: nanVec(b.length), method: 'non-finite' };
  }
  const M = damping === 0 ? A.map((r) => [...r]) : addDiagonal(A, damping);
  const x = choleskySolve(M, b, rcond);
  if (x) return { x, method: 'cholesky' };
  const res = spectralSolve(M, b, fallback, rcond);
  if (fallback === 'abs') return { x: res.x, method: 'abs-eigen' };
  return { x: res.x, method: res.dropped ? 'pinv' : res.negative ? 'indefinite' : 'eigen' };
}

/**
 * Cholesky solve of symmetric A x = b, or null when A is not positive definite or its
 * smallest pivot is below rcond·max diag(A) (numerically singular: a float64 Gram matrix
 * of rank r < P passes the plain d > 0 test with pivots ~1e-17 and would give huge steps).
 */
export function choleskySolve(
  A: readonly (readonly number[])[],
  b: readonly number[],
  rcond = 1e-12,
): Vec | null {
  const P = A.length;
  if (P === 0) return [];
  const chol = new CholeskyDecomposition(new Matrix(A.map((r) => [...r])));
  if (!chol.isPositiveDefinite()) return null;
  const L = chol.lowerTriangularMatrix;
  let maxDiag = 0;
  for (let i = 0; i < P; i++) maxDiag = Math.max(maxDiag, at(A, i, i));
  for (let i = 0; i < P; i++) if (L.get(i, i) ** 2 <= rcond * maxDiag) return null;
  return chol.solve(Matrix.columnVector([...b])).getColumn(0);
}

/** A spectral solve and what it met: dropped (near-)zero or kept negative eigenvalues. */
export interface SpectralSolved {
  x: Vec;
  dropped: boolean;
  negative: boolean;
}

/**
 * x = Σᵢ vᵢ (vᵢᵀb)/dᵢ over the eigenpairs (λᵢ, vᵢ) of symmetric A with
 * |λᵢ| > rcond·max|λ|, where dᵢ = λᵢ (`pinv`) or |λᵢ| (`abs`).
 */
export function spectralSolve(
  A: readonly (readonly number[])[],
  b: readonly number[],
  mode: 'pinv' | 'abs',
  rcond = 1e-12,
): SpectralSolved {
  const P = A.length;
  const { values, vectors } = eigh(A);
  const top = Math.max(0, ...values.map(Math.abs));
  const x = new Array<number>(P).fill(0);
  if (top === 0) return { x, dropped: P > 0, negative: false };
  let dropped = false;
  let negative = false;
  values.forEach((lam, i) => {
    if (Math.abs(lam) <= rcond * top) {
      dropped = true;
      return;
    }
    if (lam < 0) negative = true;
    const v = vectors[i] as Vec;
    const c = dot(v, b) / (mode === 'abs' ? Math.abs(lam) : lam);
    for (let j = 0; j < P; j++) x[j] = (x[j] as number) + c * (v[j] as number);
  });
  return { x, dropped, negative };
}
