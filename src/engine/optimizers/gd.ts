/** `gd`: plain gradient descent, p ← p − η ∇L(p). Natural only for orthogonal maps (docs/theory.md §3). */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';
import { checkState, emptyState } from './state';
import { optimizerCatalog } from './catalog';

export const gd: OptimizerDef = {
  ...optimizerCatalog.gd,
  gradientAtParams: true,
  create: (objective, hyper, rows) => ({
    step: (params) =>
      tf.tidy(() => tf.sub(params, tf.mul(gradient(objective, params), hyper.lr)) as Tensor2D),
    // Stateless: the export says so, and an import only checks that it fits.
    exportState: () => emptyState('gd', rows, objective.P),
    importState: (state) => checkState(state, 'gd', rows, objective.P),
    dispose: () => {},
  }),
};
