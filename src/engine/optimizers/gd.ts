/** `gd`: plain gradient descent, p ← p − η ∇L(p). Natural only for orthogonal maps (THEORY §3). */
import { tf } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';

export const gd: OptimizerDef = {
  id: 'gd',
  label: 'Gradient descent',
  uses: ['lr'],
  defaults: {},
  create: (objective, hyper) => ({
    step: (params) => tf.tidy(() => tf.sub(params, tf.mul(gradient(objective, params), hyper.lr))),
    dispose: () => {},
  }),
};
