/**
 * `ggn`: generalized Gauss-Newton, p' = p − η G⁻¹g with G = (1/N) Σ J_nᵀ H_n J_n and
 * H_n = ∂²ℓ_n/∂h² (curvature/fisher.ts), Euler or midpoint (THEORY §4). Equal to `ngd`
 * for squared-error and softmax likelihoods; for a likelihood whose ℓ is not convex in
 * the outputs (gaussian-fit's (μ, σ)) G can be indefinite; as for Newton the exact step
 * G⁻¹g is then taken and `info()` reports 'indefinite' (a singular G: 'pinv', the
 * minimum-norm step). Natural for every invertible affine map. Default η = 0.1 (shared).
 */
import { denseMetric } from './curvature/metric';
import { ggnMatrix } from './curvature/fisher';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const ggn = secondOrder({
  ...optimizerCatalog.ggn,
  metric: async (obj, row) => denseMetric(await ggnMatrix(obj, row), { fallback: 'pinv', rcond: 1e-12 }),
});
