/**
 * `hessian-free`: truncated-Newton NGD (Martens 2010, with the Fisher as curvature):
 * `cgIters` conjugate-gradient iterations on matrix-free Fisher-vector products
 * Fv = (1/N) Σ_n J_nᵀ Λ_n (J_n v). A θ-run of a dense network past P = CG_ABOVE_P does not
 * form the factor U [N·r, P]: each product is computed on the backend, the forward pass
 * held across the step's products (curvature/matrix-free.ts `heldCurvatureProduct`,
 * float32; docs/theory.md §9.4). Otherwise the products come from U read once per step,
 * Fv = Uᵀ(Uv)/N in float64 (curvature/products.ts): through a map the backend's products
 * are autodiff's, several times the cost of reading U (docs/performance.md). Either way the
 * same CG, iteration count, damping and start.
 * With cgIters ≥ P it is `ngd` (natural for every affine map); with fewer iterations the
 * Krylov space K(F, g) transforms only under orthogonal maps.
 *
 * Warm start: CG starts at `decay` × the row's previous direction (Martens' ζ, e.g.
 * 0.95); the default 0 starts from zero. Default η = 0.1 (shared), cgIters 10.
 */
import type { Tensor2D } from '../tf';
import { fastPathOf, type Objective } from '../objective';
import type { Vec } from '../linalg/dense';
import { cgMetric, heldCgMetric, type AnyMetric } from './curvature/metric';
import { fisherFactor } from './curvature/fisher';
import { factorProduct } from './curvature/products';
import { heldCurvatureProduct } from './curvature/matrix-free';
import { secondOrder } from './second-order';
import { CG_ABOVE_P, optimizerCatalog, type Hyper } from './catalog';

/**
 * Whether hessian-free's products at `obj` are the backend's (a θ-run of a dense network
 * past CG_ABOVE_P coordinates) rather than U's.
 */
export function hessianFreeIsMatrixFree(obj: Objective): boolean {
  return obj.P > CG_ABOVE_P && fastPathOf(obj) !== null;
}

/**
 * Hessian-free's curvature at `row`: CG on products from the factor U, or on matrix-free
 * ones when `matrixFree` (by default `hessianFreeIsMatrixFree`).
 */
export async function hessianFreeMetric(
  obj: Objective,
  row: Tensor2D,
  hyper: Pick<Hyper, 'cgIters' | 'decay'>,
  previous: Vec | null,
  matrixFree = hessianFreeIsMatrixFree(obj),
): Promise<AnyMetric> {
  const warm = previous && hyper.decay > 0 ? previous.map((v) => v * hyper.decay) : null;
  if (!matrixFree) {
    const f = await fisherFactor(obj, row);
    return cgMetric(f.P, factorProduct(f), hyper.cgIters, warm);
  }
  const held = heldCurvatureProduct(obj, Array.from(await row.data()), 'fisher');
  return heldCgMetric(obj.P, held.apply, hyper.cgIters, warm, held.dispose);
}

export const hessianFree = secondOrder({
  ...optimizerCatalog['hessian-free'],
  metric: (obj, row, { hyper, previous }) => hessianFreeMetric(obj, row, hyper, previous),
});
