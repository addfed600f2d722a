/**
 * Maps that act on a plane of two coordinates (i, j) of R^P and leave the others alone:
 * `polar` and `swirl`. A planar map is given in 2-D; this file embeds it in P dimensions.
 */
import { tf, type Tensor, type Tensor2D } from '../tf';
import { column, replaceColumns } from './columns';
import { ReparamError, type Reparam } from './reparam';

/** A 2-D diffeomorphism (x, y) -> (u, v), in tensors and in float64. */
export interface PlaneMap {
  /** On columns x, y [B, 1]; returns [u, v] [B, 1]. Twice differentiable (ops.ts). */
  tensor(x: Tensor, y: Tensor): [Tensor, Tensor];
  value(x: number, y: number): [number, number];
  inverse(u: number, v: number): [number, number];
  /** [[∂u/∂x, ∂u/∂y], [∂v/∂x, ∂v/∂y]]. */
  jacobian(x: number, y: number): [[number, number], [number, number]];
  /** Why (u, v) is not in the image, or null. */
  outside(u: number, v: number): string | null;
}

/** Embed a plane map on coordinates (i, j) of R^P. */
export function planarMap(id: string, P: number, [i, j]: readonly [number, number], g: PlaneMap): Reparam {
  const domainError = (theta: readonly number[]): string | null => {
    const why = g.outside(theta[i] as number, theta[j] as number);
    return why ? `${id}: (θ[${i}], θ[${j}]) = (${theta[i]}, ${theta[j]}) ${why}` : null;
  };
  const replace = (v: readonly number[], a: number, b: number): number[] => {
    const out = [...v];
    out[i] = a;
    out[j] = b;
    return out;
  };
  return {
    id,
    P,
    Q: P,
    affine: false,
    forward: (phi) =>
      tf.tidy(() => {
        const [u, v] = g.tensor(column(phi, i), column(phi, j));
        return replaceColumns(
          phi,
          new Map([
            [i, u],
            [j, v],
          ]),
        );
      }) as Tensor2D,
    forward64: (phi) => replace(phi, ...g.value(phi[i] as number, phi[j] as number)),
    inverse64: (theta) => {
      const why = domainError(theta);
      if (why) throw new ReparamError(why);
      return replace(theta, ...g.inverse(theta[i] as number, theta[j] as number));
    },
    jacobian64: (phi) => {
      const J = phi.map((_, r) => phi.map((_, c) => (r === c ? 1 : 0)));
      const [[a, b], [c, d]] = g.jacobian(phi[i] as number, phi[j] as number);
      const ri = J[i] as number[];
      const rj = J[j] as number[];
      [ri[i], ri[j], rj[i], rj[j]] = [a, b, c, d];
      return J;
    },
    domainError,
  };
}
