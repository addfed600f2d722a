/**
 * The map menu as plain data (tf-free, read by the page): each map's label, the
 * parameters it starts with when chosen, and whether it applies to a problem. A map
 * chosen in the menu with its starter parameters runs on every problem it applies to
 * (menu.test.ts runs each pair); the ones that do not apply say why.
 */
import type { ProblemId } from '../problems/catalog';
import type { ReparamId } from './ids';
import { defaultCustomExprs } from './param-schemas';

/** Up to this many coordinates a custom map starts with its expressions written out. */
const MAX_WRITTEN_EXPRS = 12;

/** Menu labels (the id stays in links and files; the menu shows it as a tooltip). */
export const reparamLabels: Record<ReparamId, string> = {
  identity: 'Identity (θ = φ)',
  scale: 'Diagonal scaling',
  rotation: 'Rotation',
  shear: 'Shear',
  'signed-permutation': 'Signed permutation',
  linear: 'Linear (θ = Aφ)',
  'random-mixing': 'Random linear mixing',
  'block-mixing': 'Mixing within blocks (layers)',
  cubic: 'Cubic (θ = φ + aφ³)',
  sinh: 'sinh per coordinate',
  exp: 'Exponential (θ = eᶠ)',
  softplus: 'Softplus',
  polar: 'Polar coordinates',
  swirl: 'Swirl',
  'relu-rescale': 'ReLU unit rescaling',
  'weight-norm': 'Weight normalization',
  'layer-scale': 'Layer-wise mixing (W ↦ BWC)',
  custom: 'Custom expressions',
};

/** Networks only: these maps act on a network's layers (problem.ts layer layout). */
const networkMaps: ReadonlySet<ReparamId> = new Set(['relu-rescale', 'weight-norm', 'layer-scale']);
/** The problems whose θ is a network's layers. */
const networkProblems: ReadonlySet<ProblemId> = new Set(['mlp', 'digits']);

/**
 * Maps built as a dense P×P matrix (or, for custom expressions, checked through a dense
 * Jacobian; block-mixing, one dense matrix per layer block, nearly P wide on a network
 * whose first layer holds most coordinates): past DENSE_MAP_MAX_P coordinates building and
 * inverting one takes from seconds to minutes, so they are offered only up to there.
 */
const denseMaps: ReadonlySet<ReparamId> = new Set([
  'rotation',
  'shear',
  'signed-permutation',
  'linear',
  'random-mixing',
  'block-mixing',
  'custom',
]);
export const DENSE_MAP_MAX_P = 1000;

/** Why map `id` cannot be built for P coordinates (too large to form densely), or null. */
export function denseMapRefusal(id: ReparamId, P: number): string | null {
  if (!denseMaps.has(id) || P <= DENSE_MAP_MAX_P) return null;
  if (id === 'block-mixing')
    return `builds a dense matrix per layer block, too large at P = ${P.toLocaleString('en-US')} (the lab builds it up to P = ${DENSE_MAP_MAX_P.toLocaleString('en-US')}); on a network use layer-scale, relu-rescale or weight-norm`;
  return `builds a dense P×P matrix, too large at P = ${P.toLocaleString('en-US')} (the lab builds it up to P = ${DENSE_MAP_MAX_P.toLocaleString('en-US')}); on a network use layer-scale, relu-rescale or weight-norm`;
}

/** Maps whose image is θᵢ > 0 on the coordinates they act on. */
const positiveMaps: ReadonlySet<ReparamId> = new Set(['exp', 'softplus']);

/** The first coordinate of the start θ₀ above 0, or null. */
function firstPositive(theta0: readonly number[]): number | null {
  const i = theta0.findIndex((v) => v > 0);
  return i < 0 ? null : i;
}

/**
 * Why map `id` cannot be used on `problem` from the start `theta0`, in plain words, or
 * null when it can (`theta0` unknown: not judged on it). The menu shows the reason
 * beside a disabled entry.
 */
export function mapUnavailable(
  id: ReparamId,
  problem: ProblemId,
  theta0: readonly number[] | undefined,
): string | null {
  if (networkMaps.has(id) && !networkProblems.has(problem)) {
    return 'acts on a network’s layers: choose “MLP on 2-D data” or “Handwritten digits”';
  }
  if (theta0) {
    const tooLarge = denseMapRefusal(id, theta0.length);
    if (tooLarge) return tooLarge;
  }
  if (positiveMaps.has(id) && theta0 && firstPositive(theta0) === null) {
    return 'its θ is positive, and no coordinate of the start θ₀ is';
  }
  return null;
}

/**
 * Parameters a map starts with when chosen in the menu, from the start `theta0` (so the
 * first choice already shows something). Maps not listed start from their schema defaults.
 */
export function mapStarter(
  id: ReparamId,
  problem: ProblemId,
  theta0: readonly number[],
): Record<string, unknown> {
  switch (id) {
    case 'cubic':
      return { a: 0.3 };
    // One coordinate the map can reach: σ of the Gaussian fit, elsewhere the first positive one.
    case 'exp':
    case 'softplus':
      return { coords: [problem === 'gaussian-fit' ? 1 : (firstPositive(theta0) ?? 0)] };
    // The expressions written out (editable, and carried by the link) while they are few.
    case 'custom':
      return theta0.length >= 1 && theta0.length <= MAX_WRITTEN_EXPRS
        ? { expr: defaultCustomExprs(theta0.length) }
        : {};
    default:
      return {};
  }
}
