/**
 * Symmetric eigen-decomposition in float64, through ml-matrix (Householder
 * tridiagonalisation + QL, the EISPACK tred2/tql2 pair). Condition numbers of metrics:
 * measure/condition.ts.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { allFinite, type Vec } from './dense';

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
