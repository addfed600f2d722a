/**
 * `momentum`: heavy-ball momentum (Polyak 1964) in the form most libraries use,
 *   v ← μ v + ∇L(p),   p ← p − η v,
 * with v₀ = 0, so the first step is a plain gradient step. v is linear in past gradients,
 * so like `gd` it is natural exactly for orthogonal maps (THEORY §3). On an ill-conditioned
 * quadratic the velocity can point uphill: the step is then not a descent step (§5).
 *
 * Defaults: μ = 0.9 and η = 0.01, so the steady-state step η/(1 − μ)·g = 0.1·g matches
 * `gd`'s default learning rate.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import { keepTensorRows, type OptimizerDef } from './optimizer';

export const momentum: OptimizerDef = {
  id: 'momentum',
  label: 'Momentum (heavy ball)',
  uses: ['lr', 'momentum'],
  defaults: { lr: 0.01, momentum: 0.9 },
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
      keepRows: (rows) => {
        v = keepTensorRows(v, rows);
      },
      dispose: () => v.dispose(),
    };
  },
};
