/**
 * The solver of the exact curvature methods (newton, ngd, ggn, empirical-fisher): the
 * dense P×P matrix where P is small, conjugate gradient on matrix-free products
 * (matrix-free.ts) where it is large or asked for (docs/theory.md §9.3, §9.4).
 *
 *   solver 'dense'  the P×P matrix (Cholesky, Woodbury, pseudo-inverse: metric.ts)
 *   solver 'cg'     CG on (M + λI): to the relative residual EXACT_CG_TOL within P
 *                   iterations (the exact step; damped, from the previous direction),
 *                   or exactly `cgIters` iterations from zero when the entry gives them
 *                   (truncated: a Krylov approximation)
 *   solver 'auto'   'cg' when P > CG_ABOVE_P, else 'dense'
 * Damping is unchanged: λ is added to the product, a trust region scales the CG step
 * as it does the dense one (gᵀδ = δᵀ(M + λI)δ holds for CG from zero).
 *
 * The products: while the per-example factor (the Fisher's U [N·r, P], the per-example
 * gradients [N, P], the GGN's Jacobians [N, C, P]) has at most FACTOR_MAX_ENTRIES
 * numbers it is read once per step and multiplied in float64 (curvature/products.ts), so
 * CG is as accurate as the dense solve; above that, and always for the Hessian, each
 * product is computed on the backend (matrix-free.ts, float32), with no factor kept.
 */
import type { Tensor2D } from '../../tf';
import type { Objective } from '../../objective';
import type { Hyper } from '../catalog';
import { cgBudget } from '../solver-note';

export { cgBudget, solvesByCg, solverNote } from '../solver-note';
import { asyncCgMetric, type AsyncMetric } from './metric';
import { heldCurvatureProduct, type CurvatureKind } from './matrix-free';
import { empiricalFisherFactor, fisherFactor, ggnParts } from './fisher';
import { factorProduct, ggnProduct } from './products';
import type { Vec } from '../../linalg/dense';

/** Largest per-example factor (numbers) multiplied in float64 on the CPU (32 MB). */
export const FACTOR_MAX_ENTRIES = 4_000_000;

/**
 * v ↦ M v for the curvature `kind` at `row`: float64 from a factor when it is small, else
 * the backend's (holding the point's forward pass until `dispose`).
 */
async function productAt(
  obj: Objective,
  row: Tensor2D,
  kind: CurvatureKind,
): Promise<{ apply: (v: Vec) => Vec | Promise<Vec>; dispose?: () => void }> {
  const { N, C } = obj.problem;
  const small = N * C * obj.P <= FACTOR_MAX_ENTRIES;
  if (small && kind === 'fisher') return { apply: factorProduct(await fisherFactor(obj, row)) };
  if (small && kind === 'empirical') return { apply: factorProduct(await empiricalFisherFactor(obj, row)) };
  if (small && kind === 'ggn') {
    const { J, H } = await ggnParts(obj, row);
    return { apply: ggnProduct(J, H, obj.P) };
  }
  return heldCurvatureProduct(obj, Array.from(await row.data()), kind);
}

/**
 * The matrix-free metric of `kind` at `row`, solved by CG with the entry's budget. An
 * exact solve (no `cgIters`) of a positive semi-definite curvature (Fisher, empirical
 * Fisher) starts from `previous`, the row's last direction, when damped (λ > 0, see
 * `asyncCgMetric`): the direction changes little from step to step, and the stopping rule
 * is the same relative residual. Truncated CG always starts from zero (its Krylov
 * approximation is what `cgIters` asks for), and so do the GGN of a non-convex likelihood
 * and the Hessian, which may be indefinite. `previous` is optimizer state (exported and
 * checkpointed), so a restored run starts from the same point.
 */
export async function cgCurvature(
  obj: Objective,
  row: Tensor2D,
  kind: CurvatureKind,
  hyper: Hyper,
  previous: Vec | null = null,
): Promise<AsyncMetric> {
  const { apply, dispose } = await productAt(obj, row, kind);
  const { maxIters, tol, stall } = cgBudget(hyper, obj.P);
  const warm = hyper.cgIters === 0 && (kind === 'fisher' || kind === 'empirical') ? previous : null;
  return asyncCgMetric(obj.P, async (v) => apply(v), maxIters, tol, warm, dispose, stall);
}
