/**
 * Per-coordinate maps θᵢ = g(φᵢ) on a chosen set of coordinates (the others pass
 * through): `sinh`, `exp`, `softplus`. g is a smooth increasing bijection from R onto
 * its image; the image (e.g. θ > 0) is the map's domain in θ.
 */
import type { z } from 'zod';
import type { Tensor } from '../tf';
import { tf, type Tensor2D } from '../tf';
import { exp, sinh, softplus } from '../ops';
import { mapColumns } from './columns';
import { resolveCoords } from './params';
import { ReparamError, type Reparam } from './reparam';
import { coordinateParams, cubicParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { coordinateParams, cubicParams };

/** One scalar diffeomorphism g: R -> image, with everything the contract needs. */
export interface ScalarMap {
  /** g on a tensor, elementwise and twice differentiable (ops.ts functions). */
  tensor(x: Tensor): Tensor;
  value(x: number): number;
  inverse(t: number): number;
  derivative(x: number): number;
  /** Why t is not in the image of g ("must be > 0"), or null. */
  outside(t: number): string | null;
}

const positive = (t: number): string | null => (t > 0 ? null : 'must be > 0');

/** θ = sinh φ: identity near 0, exponential growth in the tails; onto R. */
export const sinhScalar: ScalarMap = {
  tensor: sinh,
  value: Math.sinh,
  inverse: Math.asinh,
  derivative: Math.cosh,
  outside: () => null,
};

/** θ = e^φ: for positive parameters (a standard deviation); onto θ > 0. */
export const expScalar: ScalarMap = {
  tensor: exp,
  value: Math.exp,
  inverse: Math.log,
  derivative: Math.exp,
  outside: positive,
};

/** θ = log(1 + e^φ): positive, asymptotically the identity for large φ; onto θ > 0. */
export const softplusScalar: ScalarMap = {
  tensor: softplus,
  // Stable in both tails: log1p(e^x) = x + log1p(e^−x).
  value: (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x))),
  // φ = log(e^θ − 1) = θ + log(1 − e^−θ), without cancellation for small or large θ.
  inverse: (t) => t + Math.log(-Math.expm1(-t)),
  derivative: (x) => 1 / (1 + Math.exp(-x)),
  outside: positive,
};

/** The map θᵢ = g(φᵢ) for i in `coords`, θᵢ = φᵢ elsewhere. */
export function elementwiseMap(id: string, P: number, coords: readonly number[], g: ScalarMap): Reparam {
  const on = new Set(coords);
  const domainError = (theta: readonly number[]): string | null => {
    for (const c of coords) {
      const why = g.outside(theta[c] as number);
      if (why) return `${id}: θ[${c}] = ${theta[c]} ${why}`;
    }
    return null;
  };
  return {
    id,
    P,
    Q: P,
    affine: false,
    forward: (phi) => tf.tidy(() => mapColumns(phi, on, g.tensor)) as Tensor2D,
    forward64: (phi) => phi.map((v, i) => (on.has(i) ? g.value(v) : v)),
    inverse64: (theta) => {
      const why = domainError(theta);
      if (why) throw new ReparamError(why);
      return theta.map((t, i) => (on.has(i) ? g.inverse(t) : t));
    },
    jacobian64: (phi) =>
      phi.map((v, r) => phi.map((_, c) => (r !== c ? 0 : on.has(r) ? g.derivative(v) : 1))),
    domainError,
  };
}

/** Build `sinh`, `exp` or `softplus` from parsed parameters. */
export function coordinateMap(
  id: 'sinh' | 'exp' | 'softplus',
  P: number,
  params: z.output<typeof coordinateParams>,
): Reparam {
  const g = { sinh: sinhScalar, exp: expScalar, softplus: softplusScalar }[id];
  return elementwiseMap(id, P, resolveCoords(id, P, params.coords), g);
}
