/**
 * `momentum`: heavy-ball momentum (Polyak 1964) in the form most libraries use,
 *   v ← μ v + ∇L(p),   p ← p − η v,
 * with v₀ = 0, so the first step is a plain gradient step. v is linear in past gradients,
 * so like `gd` it is natural exactly for orthogonal maps (docs/theory.md §3). On an ill-conditioned
 * quadratic the velocity can point uphill: the step is then not a descent step (§5).
 *
 * Defaults: μ = 0.9 and η = 0.01, so the steady-state step η/(1 − μ)·g = 0.1·g matches
 * `gd`'s default learning rate.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';
import { singleTensorState } from './state';
import { optimizerCatalog } from './catalog';

export const momentum: OptimizerDef = {
  ...optimizerCatalog.momentum,
  gradientAtParams: true,
  create: (objective, hyper, rows) => {
    // Velocity for all R rows, owned here; replaced (old one disposed) every step.
    let v: Tensor2D = tf.zeros([rows, objective.P]);
    return {
      step: (params) =>
        tf.tidy(() => {
          const next = tf.keep(tf.add(tf.mul(v, hyper.momentum), gradient(objective, params)) as Tensor2D);
          v.dispose();
          v = next;
          return tf.sub(params, tf.mul(next, hyper.lr)) as Tensor2D;
        }),
      // The velocity is a tangent vector: p moves by −η v.
      ...singleTensorState(
        'momentum',
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
