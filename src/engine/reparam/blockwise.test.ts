/**
 * The blockwise network maps against their own dense Jacobian: forward and forward64 agree,
 * inverse64 undoes forward64, and pullback (rows times J, the chain rule K-FAC's φ-runs
 * use) and pushforward (J times a tangent, for the φ-runs' curvature products) equal the
 * products with jacobian64.
 */
import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeRng } from '../random';
import { createReparam } from '.';
import { mlpLayers } from '../problems/dense';

describe('blockwise maps', () => {
  const layers = mlpLayers(3, [4], 2, 'tanh');
  const P = 4 * 4 + 5 * 2;
  for (const entry of [
    { id: 'layer-scale' as const },
    { id: 'relu-rescale' as const },
    { id: 'scale' as const },
  ]) {
    it(`${entry.id}: forward = forward64 = J·φ, inverse undoes it, pullback = rows·J, pushforward = J·v`, () => {
      const map = createReparam(entry, P, 3, layers);
      const rng = makeRng(5);
      const phi = Array.from({ length: P }, () => rng.normal());
      const J = map.jacobian64(phi);
      const Jphi = J.map((r) => r.reduce((s, v, j) => s + v * (phi[j] as number), 0));
      const f64 = map.forward64(phi);
      const f32 = tf.tidy(() => map.forward(tf.tensor2d([phi]) as Tensor2D).arraySync()[0] ?? []);
      const back = map.inverse64(f64);
      const u = Array.from({ length: P }, () => rng.normal());
      const uJ = phi.map((_, j) => u.reduce((s, v, i) => s + v * ((J[i] as number[])[j] as number), 0));
      const pulled = map.pullback
        ? tf.tidy(
            () =>
              (map.pullback as (r: Tensor2D) => Tensor2D)(tf.tensor2d([u]) as Tensor2D).arraySync()[0] ?? [],
          )
        : [];
      const v = Array.from({ length: P }, () => rng.normal());
      const Jv = J.map((r) => r.reduce((s, x, j) => s + x * (v[j] as number), 0));
      const pushed = map.pushforward
        ? tf.tidy(
            () =>
              (map.pushforward as (r: Tensor2D) => Tensor2D)(tf.tensor2d([v]) as Tensor2D).arraySync()[0] ??
              [],
          )
        : [];
      const err = (a: readonly number[], b: readonly number[]) =>
        Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? Number.NaN))));
      expect(err(f64, Jphi)).toBeLessThan(1e-9);
      expect(err(f32, f64)).toBeLessThan(1e-4);
      expect(err(back, phi)).toBeLessThan(1e-9);
      expect(pulled.length).toBe(P);
      expect(err(pulled, uJ)).toBeLessThan(1e-4);
      expect(pushed.length).toBe(P);
      expect(err(pushed, Jv)).toBeLessThan(1e-4);
    });
  }
});
