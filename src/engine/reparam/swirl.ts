/**
 * `swirl`: rotate each point of a plane (i, j) by an angle that depends on its radius,
 * α(r) = s·exp(−r²). Rotation keeps r, so the inverse is the rotation by −α(|θ|): an
 * analytic diffeomorphism of R² with det J = 1 (in polar coordinates it is
 * (r, a) ↦ (r, a + α(r))). Near the origin it turns by s, far away it is the identity.
 */
import type { z } from 'zod';
import { cos, exp, sin } from '../ops';
import { tf } from '../tf';
import { resolvePair } from './params';
import { planarMap, type PlaneMap } from './planar';
import type { Reparam } from './reparam';
import { swirlParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { swirlParams };

/** The plane map for strength s (radians at the centre). */
export function swirlPlane(s: number): PlaneMap {
  const angle = (x: number, y: number): number => s * Math.exp(-(x * x + y * y));
  const turn = (x: number, y: number, al: number): [number, number] => [
    Math.cos(al) * x - Math.sin(al) * y,
    Math.sin(al) * x + Math.cos(al) * y,
  ];
  return {
    tensor: (x, y) => {
      const al = tf.mul(s, exp(tf.neg(tf.add(tf.square(x), tf.square(y)))));
      const [c, sn] = [cos(al), sin(al)];
      return [tf.sub(tf.mul(c, x), tf.mul(sn, y)), tf.add(tf.mul(sn, x), tf.mul(c, y))];
    },
    value: (x, y) => turn(x, y, angle(x, y)),
    inverse: (u, v) => turn(u, v, -angle(u, v)),
    jacobian: (x, y) => {
      // J = R(α) + (∂R/∂α φ) ∇αᵀ, with ∂R/∂α φ = (−θy, θx) and ∇α = −2α (x, y).
      const al = angle(x, y);
      const [c, sn] = [Math.cos(al), Math.sin(al)];
      const [u, v] = turn(x, y, al);
      const [gx, gy] = [-2 * al * x, -2 * al * y];
      return [
        [c - v * gx, -sn - v * gy],
        [sn + u * gx, c + u * gy],
      ];
    },
    outside: () => null,
  };
}

export function swirlMap(P: number, p: z.output<typeof swirlParams>): Reparam {
  return planarMap('swirl', P, resolvePair('swirl', P, p.coords), swirlPlane(p.strength));
}
