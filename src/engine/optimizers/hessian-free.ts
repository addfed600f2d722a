/**
 * `hessian-free`: truncated-Newton NGD (Martens 2010, with the Fisher as curvature):
 * `cgIters` conjugate-gradient iterations on matrix-free Fisher-vector products
 * Fv = Uᵀ(Uv)/N, from the factor U read once per step (curvature/products.ts).
 * With cgIters ≥ P it is `ngd` (natural for every affine map); with fewer iterations the
 * Krylov space K(F, g) transforms only under orthogonal maps.
 *
 * Warm start: CG starts at `decay` × the row's previous direction (Martens' ζ, e.g.
 * 0.95); the default 0 starts from zero. Default η = 0.1 (shared), cgIters 10.
 */
import { cgMetric } from './curvature/metric';
import { fisherFactor } from './curvature/fisher';
import { factorProduct } from './curvature/products';
import { secondOrder } from './second-order';
import { optimizerCatalog } from './catalog';

export const hessianFree = secondOrder({
  ...optimizerCatalog['hessian-free'],
  metric: async (obj, row, { hyper, previous }) => {
    const f = await fisherFactor(obj, row);
    const warm = previous && hyper.decay > 0 ? previous.map((v) => v * hyper.decay) : null;
    return cgMetric(f.P, factorProduct(f), hyper.cgIters, warm);
  },
});
