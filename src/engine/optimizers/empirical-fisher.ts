/**
 * `empirical-fisher`: p' = p − η E⁻¹g with the empirical Fisher E = (1/N) Σ g_n g_nᵀ of
 * the per-example gradients (curvature/fisher.ts). E transforms as a (0,2)-tensor, so
 * the step is natural for every affine map, but E is not curvature: near a minimum with
 * small residuals E → 0 and the steps grow (the lab shows this against `ngd`). Singular
 * E (N < P, or one example) takes the pseudo-inverse step. Default η = 0.1 (shared).
 *
 * Above P = 1000 (or with `solver: "cg"`) the step is solved matrix-free by conjugate
 * gradient on curvature-vector products, to a relative residual of 1e-6 (or `cgIters`
 * iterations), damping unchanged (curvature/exact-solver.ts, docs/theory.md §9.4).
 */
import { factorMetric } from './curvature/metric';
import { empiricalFisherFlat } from './curvature/fisher-flat';
import { cgCurvature, solvesByCg } from './curvature/exact-solver';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const empiricalFisher = secondOrder({
  ...optimizerCatalog['empirical-fisher'],
  metric: async (obj, row, { hyper, previous }) =>
    solvesByCg(hyper, obj.P)
      ? cgCurvature(obj, row, 'empirical', hyper, previous)
      : factorMetric(await empiricalFisherFlat(obj, row)),
});
