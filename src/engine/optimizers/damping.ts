/**
 * The damping rules of the second-order optimizers (docs/theory.md §3):
 * - `lm`: solve (M + λI)δ = g. λI does not transform as a tensor, so the step is natural
 *   only for orthogonal maps and the defect grows with λ. With `adaptive`, λ follows the
 *   Levenberg–Marquardt gain ratio ρ = actual / predicted decrease (Moré 1978; the 2/3,
 *   3/2 factors of Martens 2010), one λ per run.
 * - `trust-region`: keep the natural step and scale it so that ½ΔᵀM̃Δ ≤ r, where M̃ is the
 *   matrix the solve inverted. ½ΔᵀM̃Δ = ½η² gᵀδ is coordinate-free, so the scaled step is
 *   as natural as the unscaled one. (For an indefinite Hessian the bound is on
 *   ½η²|gᵀδ|, which is not a norm but is still coordinate-free.)
 */
import type { Damping } from '../schema';
import { dot, type Vec } from '../linalg/dense';

/** Bounds that keep an adaptive λ meaningful in float64. */
export const LAMBDA_MIN = 1e-8;
export const LAMBDA_MAX = 1e8;

/** The starting λ of a run: `value` for `lm` (at least LAMBDA_MIN when adaptive), else 0. */
export function initialLambda(d: Damping): number {
  if (d.type !== 'lm') return 0;
  return d.adaptive ? Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, d.value)) : d.value;
}

/**
 * The factor (≤ 1) that brings the step Δ = −η δ inside ½ΔᵀM̃Δ ≤ r, given gᵀδ = δᵀM̃δ
 * (exact for Cholesky, pseudo-inverse and |eigen| solves; the Galerkin condition for CG
 * from zero). 1 when the step is already inside or the norm is not positive.
 */
export function trustScale(g: Vec, delta: Vec, lr: number, radius: number): number {
  const q = 0.5 * lr * lr * Math.abs(dot(g, delta));
  if (!(q > radius) || !Number.isFinite(q)) return 1;
  return Math.sqrt(radius / q);
}

/**
 * The next λ from the gain ratio of a step Δ: actual = L(p) − L(p + Δ), predicted =
 * −(gᵀΔ + ½ΔᵀMΔ) with the undamped M. ρ > 3/4: λ·2/3; ρ < 1/4 (or no predicted
 * decrease, or a non-finite loss): λ·3/2.
 */
export function adaptLambda(lambda: number, actual: number, predicted: number): number {
  const rho = predicted > 0 && Number.isFinite(actual) ? actual / predicted : Number.NEGATIVE_INFINITY;
  const next = rho > 0.75 ? lambda * (2 / 3) : rho < 0.25 ? lambda * 1.5 : lambda;
  return Math.min(LAMBDA_MAX, Math.max(LAMBDA_MIN, next));
}

/** The predicted decrease −(gᵀΔ + ½ΔᵀMΔ) of the local quadratic model. */
export function predictedDecrease(g: Vec, step: Vec, Mstep: Vec): number {
  return -(dot(g, step) + 0.5 * dot(step, Mstep));
}
