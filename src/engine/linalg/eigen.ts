/**
 * Symmetric eigen-decomposition and condition numbers in float64, through ml-matrix
 * (Householder tridiagonalisation + QL, the EISPACK tred2/tql2 pair).
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { allFinite, type Mat, type Vec } from './dense';

/** A = V diag(values) Vᵀ, eigenvalues ascending; `vectors[i]` is the i-th eigenvector. */
export interface SymmetricEigen {
  values: Vec;
  vectors: Vec[];
}

/** Eigen-decomposition of a symmetric matrix (only its symmetric part is used). */
export function eigh(A: readonly (readonly number[])[]): SymmetricEigen {
  if (!allFinite(A)) {
    // Never hand NaN to the iterative QL: the caller's run is diverging anyway.
    return { values: A.map(() => Number.NaN), vectors: A.map((_, i) => A.map((__, j) => (i === j ? 1 : 0))) };
  }
  const evd = new EigenvalueDecomposition(new Matrix(A.map((r) => [...r])), { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  const pairs = evd.realEigenvalues.map((value, i) => ({ value, vector: V.getColumn(i) }));
  pairs.sort((a, b) => a.value - b.value);
  return { values: pairs.map((p) => p.value), vectors: pairs.map((p) => p.vector) };
}

/**
 * The 2-norm condition number κ(A) = σ_max/σ_min (for a symmetric matrix,
 * max|λ|/min|λ|). Infinity for a singular matrix, NaN for non-finite entries.
 */
export function condition(A: readonly (readonly number[])[]): number {
  if (!allFinite(A)) return Number.NaN;
  if (A.length === 0) return 1;
  const s = new SingularValueDecomposition(new Matrix(A.map((r) => [...r])), {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: false,
    autoTranspose: true,
  }).diagonal;
  const max = Math.max(...s);
  const min = Math.min(...s);
  if (max === 0) return Number.POSITIVE_INFINITY;
  return min > 0 ? max / min : Number.POSITIVE_INFINITY;
}

/** Eigenvalues of a symmetric matrix, ascending. */
export function eigenvalues(A: Mat): Vec {
  return eigh(A).values;
}
