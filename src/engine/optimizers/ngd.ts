/**
 * `ngd`: natural gradient descent with the exact Fisher F = (1/N) Σ J_nᵀ Λ_n J_n
 * (curvature/fisher.ts), p' = p − η F⁻¹g, or the explicit midpoint rule (docs/theory.md §4).
 * Natural for every invertible affine map; under a nonlinear map the Euler defect over a
 * fixed horizon is O(η), the midpoint defect O(η²).
 *
 * Solves (curvature/exact-solver.ts): dense for P ≤ 1000 — Cholesky of the float64
 * Fisher; with λ > 0 and fewer output rows than parameters (N·C < P), Woodbury. When F is
 * singular and undamped the step is the pseudo-inverse one, F⁺g, the minimum-norm
 * solution — Euclidean in p outside F's range, so not natural there (docs/theory.md §7);
 * `info()` reports 'pinv'. Above P = 1000 (or with `solver: "cg"`): conjugate gradient on
 * Fisher-vector products JᵀΛJv, to a relative residual of 1e-6 (damped: from the previous
 * direction, scaled; curvature/exact-solver.ts) — or, with `cgIters: m`,
 * truncated natural gradient: m CG iterations from zero, natural for orthogonal maps and
 * scalar rescalings only (docs/theory.md §9.3). A Fisher-norm trust region (damping
 * `trust-region`) keeps the step natural; λI does not.
 *
 * Default η = 0.1 (shared): the path follows the natural-gradient flow; η = 1 is the
 * Gauss-Newton-like full step.
 */
import { factorMetric } from './curvature/metric';
import { fisherFactorFlat } from './curvature/fisher-flat';
import { cgCurvature, solvesByCg } from './curvature/exact-solver';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const ngd = secondOrder({
  ...optimizerCatalog.ngd,
  metric: async (obj, row, { hyper, previous }) =>
    solvesByCg(hyper, obj.P)
      ? cgCurvature(obj, row, 'fisher', hyper, previous)
      : factorMetric(await fisherFactorFlat(obj, row)),
});
