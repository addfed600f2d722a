/**
 * `diag-fisher`: p' = p − η diag(F)⁻¹g with the diagonal of the exact Fisher, i.e. the
 * column sums of squares of its factor U over N (curvature/fisher.ts). Natural for
 * (signed) permutations times invertible diagonal scalings, not for rotations or shears
 * (docs/theory.md §3). A zero diagonal entry (a parameter the model ignores) gets no step.
 * Default η = 0.1 (shared).
 */
import { factorDiagonalMetric } from './curvature/metric';
import { fisherFactor } from './curvature/fisher';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const diagFisher = secondOrder({
  ...optimizerCatalog['diag-fisher'],
  metric: async (obj, row) => factorDiagonalMetric(await fisherFactor(obj, row)),
});
