/**
 * `diag-fisher`: p' = p − η diag(F)⁻¹g with the diagonal of the exact Fisher, i.e. the
 * column sums of squares of its factor U over N (curvature/fisher.ts). Natural for
 * (signed) permutations times invertible diagonal scalings, not for rotations or shears
 * (docs/theory.md §3). A zero diagonal entry (a parameter the model ignores) gets no step.
 * A θ-run of a dense network takes its gradient and the diagonal from one forward pass,
 * without forming U (problems/dense-grad.ts `gradientAndFisherDiagonal`); every other
 * objective reads U. Default η = 0.1 (shared).
 */
import { diagonalMetric } from './curvature/metric';
import { fisherDiagonal, gradientAndFisherDiagonal } from './curvature/fisher';
import { fastPathOf } from '../objective';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const diagFisher = secondOrder({
  ...optimizerCatalog['diag-fisher'],
  metric: async (obj, row) => diagonalMetric(await fisherDiagonal(obj, row)),
  withGradient: {
    applies: (obj) => fastPathOf(obj) !== null,
    at: async (obj, row) => {
      const both = await gradientAndFisherDiagonal(obj, row);
      if (!both) throw new Error('diag-fisher: the fused path does not apply to this objective');
      return { g: both.g, metric: diagonalMetric(both.diagonal) };
    },
  },
});
