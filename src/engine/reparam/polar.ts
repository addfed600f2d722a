/**
 * `polar`: log-polar coordinates on a plane (i, j). φ = (ρ, a) with θᵢ = e^ρ cos a,
 * θⱼ = e^ρ sin a. Using ρ = log r (rather than r) makes every φ ∈ R² valid and the map a
 * local diffeomorphism everywhere: det J = e^{2ρ} > 0. It is a bijection from
 * R × (−π, π] onto R² \ {0}; inverse64 returns a in (−π, π] (atan2). A φ-run may carry a
 * past ±π: θ stays continuous, the angle is simply not wrapped. Domain in θ: θ ≠ 0 on the plane.
 */
import type { z } from 'zod';
import { cos, exp, sin } from '../ops';
import { tf } from '../tf';
import { resolvePair } from './params';
import { planarMap, type PlaneMap } from './planar';
import type { Reparam } from './reparam';
import { polarParams } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { polarParams };

export const polarPlane: PlaneMap = {
  tensor: (rho, a) => {
    const r = exp(rho);
    return [tf.mul(r, cos(a)), tf.mul(r, sin(a))];
  },
  value: (rho, a) => [Math.exp(rho) * Math.cos(a), Math.exp(rho) * Math.sin(a)],
  inverse: (u, v) => [0.5 * Math.log(u * u + v * v), Math.atan2(v, u)],
  jacobian: (rho, a) => {
    const [c, s] = [Math.exp(rho) * Math.cos(a), Math.exp(rho) * Math.sin(a)];
    return [
      [c, -s],
      [s, c],
    ];
  },
  outside: (u, v) => (u === 0 && v === 0 ? 'is the origin, which has no polar angle' : null),
};

export function polarMap(P: number, p: z.output<typeof polarParams>): Reparam {
  return planarMap('polar', P, resolvePair('polar', P, p.coords), polarPlane);
}
