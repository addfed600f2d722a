/**
 * General (non-symmetric) square solves in float64: LU with partial pivoting through
 * ml-matrix. Used to transport tangent vectors by J⁻¹ when a run changes coordinates.
 */
import { LuDecomposition, Matrix } from 'ml-matrix';
import { allFinite, nanVec, type Vec } from './dense';

/**
 * x with A x = b for a square A (n rows of n); NaN entries when A is not square, not
 * finite, or numerically singular (|det| tiny relative to the scale of A, pivot test).
 */
export function solveSquare(A: readonly (readonly number[])[], b: readonly number[], rcond = 1e-13): Vec {
  const n = A.length;
  if (b.length !== n || A.some((r) => r.length !== n) || !allFinite(A) || !allFinite(b)) return nanVec(n);
  if (n === 0) return [];
  const lu = new LuDecomposition(new Matrix(A.map((r) => [...r])));
  const U = lu.upperTriangularMatrix;
  let scale = 0;
  for (const r of A) for (const v of r) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < n; i++) if (!(Math.abs(U.get(i, i)) > rcond * scale)) return nanVec(n);
  return lu.solve(Matrix.columnVector([...b])).getColumn(0);
}
