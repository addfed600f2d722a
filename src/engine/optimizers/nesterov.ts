/**
 * `nesterov`: Nesterov's accelerated gradient in the lookahead-gradient form of
 * Sutskever et al. (2013), the gradient taken where the velocity is about to carry p:
 *   v ← μ v + ∇L(p − η μ v),   p ← p − η v,
 * with v₀ = 0 (so the first step is a gradient step). This is the formulation the lab
 * shows; PyTorch's `nesterov=True` is the same method rewritten to track the lookahead
 * point instead of p, so its iterates differ by that shift. Linear in gradients, hence
 * natural exactly for orthogonal maps, like `gd` (docs/theory.md §3).
 *
 * Defaults: μ = 0.9 and η = 0.01 (steady-state step η/(1 − μ)·g = 0.1·g, `gd`'s default).
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';
import { singleTensorState } from './state';
import { optimizerCatalog } from './catalog';

export const nesterov: OptimizerDef = {
  ...optimizerCatalog.nesterov,
  create: (objective, hyper, rows) => {
    let v: Tensor2D = tf.zeros([rows, objective.P]);
    return {
      step: (params) =>
        tf.tidy(() => {
          const carried = tf.mul(v, hyper.momentum);
          const ahead = tf.sub(params, tf.mul(carried, hyper.lr)) as Tensor2D;
          const next = tf.keep(tf.add(carried, gradient(objective, ahead)) as Tensor2D);
          v.dispose();
          v = next;
          return tf.sub(params, tf.mul(next, hyper.lr)) as Tensor2D;
        }),
      // The velocity is a tangent vector: p moves by −η v.
      ...singleTensorState(
        'nesterov',
        'velocity',
        'vector',
        objective.P,
        () => v,
        (t) => {
          v = t;
        },
      ),
    };
  },
};
