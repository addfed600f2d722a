/**
 * The one size check for the optimizers that form a dense P×P curvature matrix (`newton`,
 * `ngd`, `ggn`, `empirical-fisher`): their Fisher or Jacobian factor holds N·r·P numbers and
 * the solve costs O(P³) in float64 on the CPU, so past DENSE_CURVATURE_MAX_P coordinates a
 * single step takes seconds to minutes. Such an experiment is refused with a message naming
 * the limit rather than left to stall the worker. A matrix-free path (conjugate gradient on
 * curvature-vector products) that needs no P×P matrix replaces the refusal here.
 */
import type { OptimizerId } from './ids';

/** Most coordinates (θ's P, or φ's Q) a dense-curvature step is formed for. */
export const DENSE_CURVATURE_MAX_P = 1000;

/** The optimizers whose step forms a dense P×P matrix. */
export const denseCurvatureIds: ReadonlySet<OptimizerId> = new Set([
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
]);

/**
 * Why optimizer `id` cannot step a parameter row of `P` coordinates, or null when it can.
 */
export function denseCurvatureRefusal(id: OptimizerId, P: number): string | null {
  if (!denseCurvatureIds.has(id) || P <= DENSE_CURVATURE_MAX_P) return null;
  const n = (v: number): string => v.toLocaleString('en-US');
  return `${id} forms a dense ${n(P)}×${n(P)} curvature matrix, too large to step live (the dense path stops at P = ${n(DENSE_CURVATURE_MAX_P)}): use kfac, diag-fisher or hessian-free, or a smaller network`;
}
