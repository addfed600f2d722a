/**
 * `rmsprop` (Tieleman & Hinton 2012, in PyTorch's form), elementwise on each row:
 *   v ← β₂ v + (1 − β₂) g²,   p ← p − η g / (√v + ε),
 * with v₀ = 0 and no bias correction. The hyper-parameter `beta2` is the decay of the
 * squared-gradient average (PyTorch's `alpha`); ε is added after the square root. Without
 * bias correction the first step is −η g/(√(1 − β₂)|g| + ε) ≈ −(η/√(1 − β₂)) sign g,
 * ten times η for β₂ = 0.99 — the classic RMSProp start. Natural exactly for signed
 * permutations, like Adam (docs/theory.md §3).
 *
 * Defaults: η = 0.01, β₂ = 0.99 (PyTorch's), ε = 1e-8.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';
import { singleTensorState } from './state';
import { optimizerCatalog } from './catalog';

export const rmsprop: OptimizerDef = {
  ...optimizerCatalog.rmsprop,
  gradientAtParams: true,
  create: (objective, hyper, rows) => {
    const { lr, beta2, eps } = hyper;
    let v: Tensor2D = tf.zeros([rows, objective.P]);
    return {
      step: (params) =>
        tf.tidy(() => {
          const g = gradient(objective, params);
          const next = tf.keep(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)) as Tensor2D);
          v.dispose();
          v = next;
          return tf.sub(params, tf.mul(tf.div(g, tf.add(tf.sqrt(next), eps)), lr)) as Tensor2D;
        }),
      // v averages g² elementwise: no transformation law (no bias correction either).
      ...singleTensorState(
        'rmsprop',
        'v',
        'second-moment',
        objective.P,
        () => v,
        (t) => {
          v = t;
        },
      ),
    };
  },
};
