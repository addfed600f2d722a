/**
 * `random-mixing`: θ = Aφ with A = U diag(s) Vᵀ, U and V seeded random orthogonal
 * matrices and singular values s geometrically spaced from 1 to `cond`, so κ(A) = cond
 * exactly. It mixes every coordinate with every other: only the optimizers that are
 * natural for all invertible linear maps (Newton, NGD, Gauss-Newton) ignore it.
 */
import type { z } from 'zod';
import { Matrix, QrDecomposition } from 'ml-matrix';
import { makeRng, subSeed, type Rng } from '../random';
import { affineMap } from './linear';
import type { Reparam } from './reparam';
import { randomMixingParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { randomMixingParams };

/** A Haar-distributed random orthogonal n×n matrix: QR of a Gaussian matrix, signs fixed by diag(R). */
export function randomOrthogonal(n: number, rng: Rng): number[][] {
  const G = Matrix.from1DArray(
    n,
    n,
    Array.from({ length: n * n }, () => rng.normal()),
  );
  const qr = new QrDecomposition(G);
  const Q = qr.orthogonalMatrix;
  const R = qr.upperTriangularMatrix;
  for (let c = 0; c < n; c++) {
    if (R.get(c, c) < 0) for (let r = 0; r < n; r++) Q.set(r, c, -Q.get(r, c));
  }
  return Q.to2DArray();
}

/** U diag(s) Vᵀ with s from 1 to `cond` (geometric) and random orthogonal U, V from `rng`. */
export function randomConditioned(n: number, cond: number, rng: Rng): number[][] {
  const U = new Matrix(randomOrthogonal(n, rng));
  const V = new Matrix(randomOrthogonal(n, rng));
  const s = Array.from({ length: n }, (_, k) => (n === 1 ? 1 : cond ** (k / (n - 1))));
  return U.mmul(Matrix.diag(s)).mmul(V.transpose()).to2DArray();
}

/** Build `random-mixing`; the matrix is drawn from makeRng(subSeed(seed, 'reparam')). */
export function randomMixingMap(P: number, seed: number, p: z.output<typeof randomMixingParams>): Reparam {
  return affineMap('random-mixing', randomConditioned(P, p.cond, makeRng(subSeed(seed, 'reparam'))));
}
