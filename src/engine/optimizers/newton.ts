/**
 * `newton`: p' = p − η H⁻¹g with the exact Hessian (curvature/hessian.ts). Natural for
 * every invertible affine map, not for nonlinear ones: H picks up Σ gᵢ∇²fᵢ (docs/theory.md §2),
 * so its defect under a nonlinear map levels off as η → 0 (§4).
 *
 * When H (+ λI) is not positive definite there is no safe default, and the lab must not
 * hide it: an invertible indefinite H still gets the exact step H⁻¹g (by
 * eigen-decomposition), which heads for a saddle or maximum along the negative
 * directions; `info()` reports 'indefinite' for that row. This keeps Newton natural for
 * every affine map at every point. (Saddle-free |H|⁻¹g, Dauphin et al. 2014, is not a
 * tensor: it would break that row of docs/theory.md §3.) The remedies are damping: `lm` with
 * λ above −λ_min(H) (adaptive λ grows after failed steps), or a trust region, which here
 * bounds ½η²|gᵀH⁻¹g|. A singular H takes the pseudo-inverse step ('pinv'); eigenvalues
 * below 1e-7·max|λ| count as zero because H comes from float32 second derivatives.
 *
 * Default η = 0.1 (shared): a tenth of the classical full step, so the path follows the
 * Newton flow visibly and stays stable far from a minimum; η = 1 is the textbook method.
 *
 * Above P = 1000 (or with `solver: "cg"`) the step is solved matrix-free by conjugate
 * gradient on curvature-vector products, to a relative residual of 1e-6 (or `cgIters`
 * iterations), damping unchanged (curvature/exact-solver.ts, docs/theory.md §9.4).
 */
import { denseMetric } from './curvature/metric';
import { hessianMatrix } from './curvature/hessian';
import { cgCurvature, solvesByCg } from './curvature/exact-solver';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const newton = secondOrder({
  ...optimizerCatalog.newton,
  metric: async (obj, row, { hyper }) =>
    solvesByCg(hyper, obj.P)
      ? cgCurvature(obj, row, 'hessian', hyper)
      : denseMetric(await hessianMatrix(obj, row), { fallback: 'pinv', rcond: 1e-7 }),
});
