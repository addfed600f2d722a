/**
 * `cubic`: θᵢ = φᵢ + aφᵢ³ on the chosen coordinates (a ≥ 0 keeps it a diffeomorphism of R).
 * The nonlinear map of docs/theory.md §4 (a = 0.3). Inverse by Newton's method in float64.
 */
import { tf, type Tensor2D } from '../tf';
import { ReparamError, type Reparam } from './reparam';

export function cubicMap(P: number, a: number, coords?: readonly number[]): Reparam {
  if (!(a >= 0) || !Number.isFinite(a)) throw new ReparamError(`cubic: a must be ≥ 0 (got ${a})`);
  const on = new Set(coords ?? Array.from({ length: P }, (_, i) => i));
  for (const c of on)
    if (!(c >= 0 && c < P)) throw new ReparamError(`cubic: coordinate ${c} is not in 0..${P - 1}`);
  const mask = Array.from({ length: P }, (_, i) => (on.has(i) ? a : 0));
  const solve = (t: number, ai: number): number => {
    // f(φ) = φ + aφ³ is strictly increasing; Newton from φ = t (or the cube root for large t) converges.
    if (ai === 0) return t;
    let x = Math.abs(t) > 1 ? Math.cbrt(t / ai) : t;
    for (let k = 0; k < 60; k++) {
      const fx = x + ai * x ** 3 - t;
      const step = fx / (1 + 3 * ai * x * x);
      x -= step;
      if (Math.abs(step) <= 1e-15 * (1 + Math.abs(x))) break;
    }
    return x;
  };
  return {
    id: 'cubic',
    P,
    Q: P,
    affine: a === 0,
    forward: (phi) => tf.tidy(() => tf.add(phi, tf.mul(tf.pow(phi, 3), tf.tensor1d(mask)))) as Tensor2D,
    forward64: (phi) => phi.map((v, i) => v + (mask[i] as number) * v ** 3),
    inverse64: (theta) => theta.map((t, i) => solve(t, mask[i] as number)),
    jacobian64: (phi) =>
      // Written as 1 + 3a·φ², the order in which symbolic differentiation of a custom
      // `p1 + a*p1^3` folds it, so the two agree to the last bit.
      phi.map((v, r) => phi.map((_, c) => (r === c ? 1 + 3 * (mask[r] as number) * v ** 2 : 0))),
    domainError: () => null,
  };
}
