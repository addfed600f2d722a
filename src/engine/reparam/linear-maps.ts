/**
 * The linear maps of docs/theory.md §3's naturalizer table, θ = Aφ, built on `affineMap`:
 * `scale` (diagonal), `rotation` (planar, orthogonal), `shear`, `signed-permutation`
 * and `linear` (any invertible matrix).
 */
import type { z } from 'zod';
import { diagonalMap } from './blockwise';
import { affineMap, rotationMatrix } from './linear';
import { resolveCoords, resolvePair } from './params';
import { ReparamError, type Reparam } from './reparam';
import {
  scaleParams,
  rotationParams,
  shearParams,
  signedPermutationParams,
  linearParams,
  defaultLinearMatrix,
} from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { scaleParams, rotationParams, shearParams, signedPermutationParams, linearParams };

const eye = (P: number): number[][] =>
  Array.from({ length: P }, (_, r) => Array.from({ length: P }, (_, c) => (r === c ? 1 : 0)));

export function scaleMap(P: number, p: z.output<typeof scaleParams>): Reparam {
  const coords = resolveCoords('scale', P, p.coords);
  const factors = p.factors ?? coords.map((_, k) => (k % 2 === 0 ? 10 : 0.1));
  if (factors.length !== coords.length) {
    throw new ReparamError(
      `scale.factors: expected ${coords.length} numbers, one per coordinate (got ${factors.length})`,
    );
  }
  const d = new Array<number>(P).fill(1);
  coords.forEach((c, k) => (d[c] = factors[k] as number));
  return diagonalMap('scale', d);
}

export function rotationMap(P: number, p: z.output<typeof rotationParams>): Reparam {
  const [i, j] = resolvePair('rotation', P, p.coords);
  return affineMap('rotation', rotationMatrix(P, p.angle, i, j));
}

export function shearMap(P: number, p: z.output<typeof shearParams>): Reparam {
  const [i, j] = resolvePair('shear', P, p.coords);
  const A = eye(P);
  (A[i] as number[])[j] = p.k;
  return affineMap('shear', A);
}

export function signedPermutationMap(P: number, p: z.output<typeof signedPermutationParams>): Reparam {
  const id = 'signed-permutation';
  const perm = p.perm ?? Array.from({ length: P }, (_, i) => P - 1 - i);
  const signs = p.signs ?? new Array<number>(P).fill(1);
  if (perm.length !== P) throw new ReparamError(`${id}.perm: expected ${P} indices (got ${perm.length})`);
  if (signs.length !== P) throw new ReparamError(`${id}.signs: expected ${P} signs (got ${signs.length})`);
  perm.forEach((v, k) => {
    if (v >= P || perm.indexOf(v) !== k) {
      throw new ReparamError(`${id}.perm: not a permutation of 0..${P - 1} (entry ${k} is ${v})`);
    }
  });
  const A = perm.map((src, r) => Array.from({ length: P }, (_, c) => (c === src ? (signs[r] as number) : 0)));
  return affineMap(id, A);
}

export function linearMap(P: number, p: z.output<typeof linearParams>): Reparam {
  const A = p.matrix ?? defaultLinearMatrix(P);
  if (A.length !== P || A.some((row) => row.length !== P)) {
    throw new ReparamError(`linear.matrix: expected ${P}×${P} numbers`);
  }
  return affineMap('linear', A);
}
