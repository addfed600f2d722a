/**
 * Affine maps θ = Aφ + b, the class of docs/theory.md §3's naturalizer table. Inverse and
 * Jacobian in float64 through ml-matrix. Other linear maps (`scale`, `rotation`, …) are
 * built from this one.
 */
import { LuDecomposition, Matrix, inverse as matInverse } from 'ml-matrix';
import { tf, type Tensor2D } from '../tf';
import { ReparamError, type Reparam } from './reparam';

/** θ = Aφ + b for an invertible P×P matrix A (rows of numbers) and optional offset b. */
export function affineMap(id: string, A: readonly (readonly number[])[], b?: readonly number[]): Reparam {
  const P = A.length;
  if (P === 0 || A.some((row) => row.length !== P || row.some((v) => !Number.isFinite(v)))) {
    throw new ReparamError(`${id}: the matrix must be square with finite entries`);
  }
  const m = new Matrix(A.map((r) => [...r]));
  // Smallest LU pivot relative to the largest entry: unlike |det| against scale^P, this
  // neither overflows nor underflows for P in the hundreds (network-shaped maps).
  // (reduce, not Math.max(...): spreading P² numbers overflows the call stack.)
  const scale = A.reduce((s, row) => row.reduce((t, v) => Math.max(t, Math.abs(v)), s), 0);
  const U = new LuDecomposition(m).upperTriangularMatrix;
  let minPivot = Infinity;
  for (let k = 0; k < P; k++) minPivot = Math.min(minPivot, Math.abs(U.get(k, k)));
  if (!(minPivot > 1e-12 * scale)) throw new ReparamError(`${id}: the matrix is not invertible`);
  const inv = matInverse(m).to2DArray();
  const offset = b ? [...b] : new Array<number>(P).fill(0);
  // Rows are parameter vectors, so θ_rows = φ_rows Aᵀ + b.
  const At = A[0] ? A.map((_, j) => A.map((row) => row[j] as number)) : [];
  const apply = (M: readonly (readonly number[])[], v: readonly number[]): number[] =>
    M.map((row) => row.reduce((s, a, j) => s + a * (v[j] as number), 0));
  return {
    id,
    P,
    Q: P,
    affine: true,
    forward: (phi) =>
      tf.tidy(() =>
        tf.add(tf.matMul(phi, tf.tensor2d(At.map((r) => [...r]))), tf.tensor1d(offset)),
      ) as Tensor2D,
    forward64: (phi) => apply(A, phi).map((v, i) => v + (offset[i] as number)),
    inverse64: (theta) =>
      apply(
        inv,
        theta.map((v, i) => v - (offset[i] as number)),
      ),
    jacobian64: () => A.map((r) => [...r]),
    domainError: () => null,
  };
}

/** Planar rotation by `angle` radians acting on coordinates (i, j) of R^P. */
export function rotationMatrix(P: number, angle: number, i = 0, j = 1): number[][] {
  const R = Array.from({ length: P }, (_, r) => Array.from({ length: P }, (_, c) => (r === c ? 1 : 0)));
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  (R[i] as number[])[i] = c;
  (R[i] as number[])[j] = -s;
  (R[j] as number[])[i] = s;
  (R[j] as number[])[j] = c;
  return R;
}

/** Diagonal matrix from factors. */
export function diagonalMatrix(factors: readonly number[]): number[][] {
  return factors.map((f, r) => factors.map((_, c) => (r === c ? f : 0)));
}
