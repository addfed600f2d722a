/**
 * The maps' parameter schemas (zod, strict), with no tensor code: the page validates an
 * experiment with them (schema.ts, through catalog.ts) without loading tfjs; each map's
 * builder parses its Experiment entry with the same schema in the worker.
 */
import { z } from 'zod';
import { coordsSchema, finite, pairSchema } from './params';

// custom
/**
 * Parameters of `custom`: one expression per θ coordinate; the φ window checked for P = 2.
 * Without `expr`: θ₁ = φ₁ + 0.3φ₁³ and θᵢ = φᵢ otherwise (`defaultCustomExprs`).
 */
export const customParams = z.strictObject({
  expr: z.array(z.string()).min(1).optional(),
  window: z.tuple([z.tuple([finite, finite]), z.tuple([finite, finite])]).optional(),
});

// elementwise
/** Parameters of `sinh`, `exp`, `softplus`. */
export const coordinateParams = z.strictObject({ coords: coordsSchema });

/** Parameters of `cubic` (θᵢ = φᵢ + aφᵢ³; a ≥ 0 keeps it invertible; docs/theory.md §4 uses 0.3). */
export const cubicParams = z.strictObject({
  a: z.number().finite().nonnegative().default(0.3),
  coords: coordsSchema,
});

// identity
/** `identity` takes no parameters. */
export const identityParams = z.strictObject({});

// linear-maps
/** `scale`: θᵢ = fᵢφᵢ on `coords`; factors default to 10, 0.1, 10, … (docs/theory.md §3's example). */
export const scaleParams = z.strictObject({
  factors: z
    .array(finite.refine((v) => v !== 0, 'a factor must be nonzero'))
    .min(1)
    .optional(),
  coords: coordsSchema,
});

/** `rotation`: by `angle` radians in the plane of `coords` (default the first two). */
export const rotationParams = z.strictObject({ angle: finite.default(Math.PI / 6), coords: pairSchema });

/** `shear`: θᵢ = φᵢ + kφⱼ for coords [i, j] (default [0, 1]). */
export const shearParams = z.strictObject({ k: finite.default(1), coords: pairSchema });

/** `signed-permutation`: θᵢ = sᵢ φ_{perm[i]}; default: reversed order, all signs +1. */
export const signedPermutationParams = z.strictObject({
  perm: z.array(z.number().int().nonnegative()).optional(),
  signs: z.array(z.union([z.literal(1), z.literal(-1)])).optional(),
});

/**
 * `linear`: θ = Aφ for an invertible P×P `matrix` (rows). Without `matrix`: the fixed
 * matrix of `defaultLinearMatrix` (2 on the diagonal, 1 above it, 0.5 below it).
 */
export const linearParams = z.strictObject({ matrix: z.array(z.array(finite)).min(1).optional() });

/**
 * `linear`'s matrix when none is given: tridiagonal, 2 on the diagonal, 1 above, 0.5
 * below. Strictly diagonally dominant (2 > 1 + 0.5), so invertible for every P, and its
 * singular values lie in [0.5, 3.5]: κ(A) ≤ 7 whatever P is (for P = 2, κ ≈ 2.2).
 */
export function defaultLinearMatrix(P: number): number[][] {
  return Array.from({ length: P }, (_, r) =>
    Array.from({ length: P }, (_, c) => (c === r ? 2 : c === r + 1 ? 1 : c === r - 1 ? 0.5 : 0)),
  );
}

/** `custom`'s expressions when none are given: θ₁ = φ₁ + 0.3φ₁³ (invertible), θᵢ = φᵢ. */
export function defaultCustomExprs(P: number): string[] {
  return Array.from({ length: P }, (_, i) => (i === 0 ? 'p1 + 0.3*p1^3' : `p${i + 1}`));
}

// network
/** Parameters of `relu-rescale`: α is drawn log-uniformly from [1/spread, spread]. */
export const reluRescaleParams = z.strictObject({ spread: z.number().finite().min(1).max(1e3).default(4) });

/** Parameters of `layer-scale`: the condition number of each factor B and C. */
export const layerScaleParams = z.strictObject({ cond: z.number().finite().min(1).max(1e4).default(4) });

// polar
/** Parameters of `polar`: the plane (default coordinates [0, 1]). */
export const polarParams = z.strictObject({ coords: pairSchema });

// random-mixing
/** Parameters of `random-mixing`: the condition number κ(A) ≥ 1 (default 10). */
export const randomMixingParams = z.strictObject({
  cond: z.number().finite().min(1).max(1e8).default(10),
});

// block-mixing
/** Parameters of `block-mixing`: the condition number κ(A_b) ≥ 1 of each block (default 10). */
export const blockMixingParams = z.strictObject({
  cond: z.number().finite().min(1).max(1e8).default(10),
});

// swirl
/** Parameters of `swirl`: strength s (radians of turn at the centre, default 1.5) and the plane. */
export const swirlParams = z.strictObject({ strength: finite.default(1.5), coords: pairSchema });

// weight-norm
/** `weight-norm` takes no parameters. */
export const weightNormParams = z.strictObject({});
