/**
 * Condition numbers of symmetric positive (semi-)definite matrices in float64 — the
 * Fisher at a point, or the implied metric of a step (docs/theory.md §5). The eigen-solver is
 * ml-matrix's (the engine's float64 linear-algebra library).
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** Square with finite entries, else an error naming what is wrong. */
function check(A: readonly (readonly number[])[]): void {
  const P = A.length;
  if (P === 0 || A.some((row) => row.length !== P)) throw new Error('condition: the matrix must be square');
  if (A.some((row) => row.some((v) => !Number.isFinite(v)))) {
    throw new Error('condition: the matrix must have finite entries');
  }
}

/**
 * Eigenvalues of the symmetric part (A + Aᵀ)/2, ascending. Symmetrizing first means a
 * matrix assembled in float32 (slightly asymmetric from round-off) is read as intended.
 */
export function symmetricEigenvalues(A: readonly (readonly number[])[]): number[] {
  check(A);
  const S = A.map((row, i) => row.map((v, j) => 0.5 * (v + (A[j]?.[i] as number))));
  const evd = new EigenvalueDecomposition(new Matrix(S), { assumeSymmetric: true });
  return [...evd.realEigenvalues].sort((a, b) => a - b);
}

/**
 * κ(A) = λmax/λmin for a symmetric PSD matrix A (P rows of P numbers, float64).
 * Infinity when A is singular to working precision — λmin ≤ P·ε·λmax with ε the float64
 * machine epsilon — which also covers a round-off-negative λmin and the zero matrix.
 * An indefinite input (λmin clearly negative) is not PSD: it reports Infinity as well,
 * since no finite condition number of a metric describes it.
 */
export function conditionNumber(A: readonly (readonly number[])[]): number {
  const ev = symmetricEigenvalues(A);
  const lo = ev[0] as number;
  const hi = ev[ev.length - 1] as number;
  if (!(hi > 0) || lo <= ev.length * Number.EPSILON * hi) return Infinity;
  return hi / lo;
}
