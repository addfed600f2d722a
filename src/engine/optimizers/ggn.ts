/**
 * `ggn`: generalized Gauss-Newton, p' = p − η G⁻¹g with G = (1/N) Σ J_nᵀ H_n J_n and
 * H_n = ∂²ℓ_n/∂h² (curvature/fisher.ts), Euler or midpoint (docs/theory.md §4). Equal to `ngd`
 * for squared-error and softmax likelihoods (H_n is then the output Fisher Λ_n), so there
 * it takes the Fisher's factored form and solves as ngd does (Woodbury when damped and
 * N·r < P); for a likelihood whose ℓ is not convex in the outputs (gaussian-fit's (μ, σ))
 * G can be indefinite; as for Newton the exact step G⁻¹g is then taken and `info()`
 * reports 'indefinite' (a singular G: 'pinv', the minimum-norm step). Natural for every
 * invertible affine map. Default η = 0.1 (shared).
 *
 * Above P = 1000 (or with `solver: "cg"`) the step is solved matrix-free by conjugate
 * gradient on curvature-vector products, to a relative residual of 1e-6 (or `cgIters`
 * iterations), damping unchanged (curvature/exact-solver.ts, docs/theory.md §9.4).
 */
import { denseMetric, factorMetric } from './curvature/metric';
import { ggnMatrix } from './curvature/fisher';
import { hessianIsFisher } from '../problems/likelihood';
import { fisherFactorFlat } from './curvature/fisher-flat';
import { cgCurvature, solvesByCg } from './curvature/exact-solver';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const ggn = secondOrder({
  ...optimizerCatalog.ggn,
  metric: async (obj, row, { hyper, previous }) =>
    solvesByCg(hyper, obj.P)
      ? cgCurvature(obj, row, hessianIsFisher(obj.problem.likelihood) ? 'fisher' : 'ggn', hyper, previous)
      : hessianIsFisher(obj.problem.likelihood)
        ? factorMetric(await fisherFactorFlat(obj, row))
        : denseMetric(await ggnMatrix(obj, row), { fallback: 'pinv', rcond: 1e-12 }),
});
