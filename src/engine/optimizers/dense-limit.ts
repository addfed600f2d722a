/**
 * The one size check for the optimizers that can form a dense P×P curvature matrix
 * (`newton`, `ngd`, `ggn`, `empirical-fisher`): their Fisher or Jacobian factor holds N·r·P
 * numbers and the dense solve costs O(P³) in float64 on the CPU, so past
 * DENSE_CURVATURE_MAX_P coordinates a single step takes seconds to minutes. Their automatic
 * solver takes conjugate gradient on matrix-free products there (curvature/exact-solver.ts);
 * only an explicit `solver: "dense"` past the limit is refused, with a message naming it,
 * rather than left to stall the worker.
 */
import type { OptimizerId } from './ids';

/** Most coordinates (θ's P, or φ's Q) a dense-curvature step is formed for. */
export const DENSE_CURVATURE_MAX_P = 1000;

/** The optimizers whose step can form a dense P×P matrix. */
export const denseCurvatureIds: ReadonlySet<OptimizerId> = new Set([
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
]);

/**
 * Why optimizer `id` with `solver` cannot step a parameter row of `P` coordinates, or null
 * when it can (the automatic solver and CG always can).
 */
export function denseCurvatureRefusal(id: OptimizerId, P: number, solver: string | undefined): string | null {
  if (!denseCurvatureIds.has(id) || P <= DENSE_CURVATURE_MAX_P || solver !== 'dense') return null;
  const n = (v: number): string => v.toLocaleString('en-US');
  return `solver: "dense" forms a ${n(P)}×${n(P)} curvature matrix, too large to step live (the dense path stops at P = ${n(DENSE_CURVATURE_MAX_P)}): use solver "auto" or "cg" (conjugate gradient, no P×P matrix)`;
}
