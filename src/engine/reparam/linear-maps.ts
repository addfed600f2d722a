/**
 * The linear maps of THEORY §3's naturalizer table, θ = Aφ, built on `affineMap`:
 * `scale` (diagonal), `rotation` (planar, orthogonal), `shear`, `signed-permutation`
 * and `linear` (any invertible matrix).
 */
import { z } from 'zod';
import { affineMap, diagonalMatrix, rotationMatrix } from './linear';
import { coordsSchema, finite, pairSchema, resolveCoords, resolvePair } from './params';
import { ReparamError, type Reparam } from './reparam';

const eye = (P: number): number[][] =>
  Array.from({ length: P }, (_, r) => Array.from({ length: P }, (_, c) => (r === c ? 1 : 0)));

/** `scale`: θᵢ = fᵢφᵢ on `coords`; factors default to 10, 0.1, 10, … (THEORY §3's example). */
export const scaleParams = z.strictObject({
  factors: z
    .array(finite.refine((v) => v !== 0, 'a factor must be nonzero'))
    .min(1)
    .optional(),
  coords: coordsSchema,
});

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
  return affineMap('scale', diagonalMatrix(d));
}

/** `rotation`: by `angle` radians in the plane of `coords` (default the first two). */
export const rotationParams = z.strictObject({ angle: finite.default(Math.PI / 6), coords: pairSchema });

export function rotationMap(P: number, p: z.output<typeof rotationParams>): Reparam {
  const [i, j] = resolvePair('rotation', P, p.coords);
  return affineMap('rotation', rotationMatrix(P, p.angle, i, j));
}

/** `shear`: θᵢ = φᵢ + kφⱼ for coords [i, j] (default [0, 1]). */
export const shearParams = z.strictObject({ k: finite.default(1), coords: pairSchema });

export function shearMap(P: number, p: z.output<typeof shearParams>): Reparam {
  const [i, j] = resolvePair('shear', P, p.coords);
  const A = eye(P);
  (A[i] as number[])[j] = p.k;
  return affineMap('shear', A);
}

/** `signed-permutation`: θᵢ = sᵢ φ_{perm[i]}; default: reversed order, all signs +1. */
export const signedPermutationParams = z.strictObject({
  perm: z.array(z.number().int().nonnegative()).optional(),
  signs: z.array(z.union([z.literal(1), z.literal(-1)])).optional(),
});

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

/** `linear`: θ = Aφ for an invertible P×P `matrix` (rows). */
export const linearParams = z.strictObject({ matrix: z.array(z.array(finite)).min(1) });

export function linearMap(P: number, p: z.output<typeof linearParams>): Reparam {
  const A = p.matrix;
  if (A.length !== P || A.some((row) => row.length !== P)) {
    throw new ReparamError(`linear.matrix: expected ${P}×${P} numbers`);
  }
  return affineMap('linear', A);
}
