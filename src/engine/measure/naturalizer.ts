/**
 * docs/theory.md §3's naturalizer table as data: for an optimizer entry (with its damping and
 * hyper-parameters) and a class of linear maps θ = Aφ + b, is the discrete update
 * exactly equivariant? `null` where the table makes no claim for the class as a whole.
 */
import type { OptimizerEntry } from '../schema';
import { optimizerDef } from '../optimizers';
import { resolveHyper } from '../optimizers/optimizer';
import type { MapClass } from './analysis-constants';
import { solvesByCg } from '../optimizers/curvature/exact-solver';

export { mapClasses, mapClassLabels, type MapClass } from './analysis-constants';

type Marks = Record<MapClass, boolean | null>;
const orthogonalOnly: Marks = {
  rotation: true,
  'signed-permutation': true,
  diagonal: false,
  block: false,
  general: false,
};
const everyInvertible: Marks = {
  rotation: true,
  'signed-permutation': true,
  diagonal: true,
  block: true,
  general: true,
};
const signedPermOnly: Marks = {
  rotation: false,
  'signed-permutation': true,
  diagonal: false,
  block: false,
  general: false,
};
const permTimesDiagonal: Marks = {
  rotation: false,
  'signed-permutation': true,
  diagonal: true,
  block: false,
  general: false,
};
const noClaim: Marks = {
  rotation: null,
  'signed-permutation': null,
  diagonal: null,
  block: null,
  general: null,
};
/**
 * block-fisher on a network (several blocks): the table's rotation turns coordinates 0
 * and 1, inside the first layer's block; its signed permutation reverses the order across
 * blocks; its diagonal map is block-diagonal.
 */
const blockDiagonal: Marks = {
  rotation: true,
  'signed-permutation': false,
  diagonal: true,
  block: true,
  general: false,
};
const blockDiagonalDamped: Marks = { ...orthogonalOnly, 'signed-permutation': false };

/**
 * The expected mark of one cell. Rules (docs/theory.md §3): GD, momentum, Nesterov: orthogonal
 * A; Adam, RMSProp: signed permutations; diagonal Fisher: (signed) permutation × diagonal;
 * Newton, NGD, GGN, empirical Fisher: every invertible A; Hessian-free: every invertible A
 * when CG runs P iterations (an exact solve), else only orthogonal A (a truncated Krylov
 * space is built with the Euclidean inner product); any second-order method with λI
 * damping, λ > 0 (or adaptive λ): orthogonal only; a Fisher-norm trust region keeps the
 * undamped row. K-FAC is natural for per-layer maps W ↦ BWC, which these classes neither
 * are nor exclude in general: no claim. Block-diagonal Fisher: maps block-diagonal in the
 * problem's blocks (§9.1); low-rank Fisher: orthogonal maps unless k = P undamped (§9.2);
 * an exact method by truncated CG (cgIters < P): orthogonal maps (§9.3).
 */
export function expectedEquivariant(
  entry: OptimizerEntry,
  cls: MapClass,
  P: number,
  /** Whether the problem has several parameter blocks (a network's layers). */
  layered = false,
): boolean | null {
  return expectedRow(entry, P, layered)[cls];
}

function expectedRow(entry: OptimizerEntry, P: number, layered: boolean): Marks {
  const hyper = resolveHyper(optimizerDef(entry.id), entry);
  const d = hyper.damping;
  const damped = d?.type === 'lm' && (d.value > 0 || d.adaptive === true);
  switch (entry.id) {
    case 'gd':
    case 'momentum':
    case 'nesterov':
      return orthogonalOnly;
    case 'adam':
    case 'rmsprop':
      return signedPermOnly;
    case 'kfac':
      return noClaim;
    case 'diag-fisher':
      // λI commutes with signed permutations (orthogonal) but not with a diagonal scaling.
      return damped ? signedPermOnly : permTimesDiagonal;
    case 'hessian-free':
      if (damped) return orthogonalOnly;
      return hyper.cgIters >= P ? everyInvertible : orthogonalOnly;
    case 'newton':
    case 'ngd':
    case 'ggn':
    case 'empirical-fisher':
      if (damped) return orthogonalOnly;
      // Truncated CG (solver "cg" with cgIters < P): a Krylov approximation (§9.3).
      return solvesByCg(hyper, P) && hyper.cgIters > 0 && hyper.cgIters < P
        ? orthogonalOnly
        : everyInvertible;
    case 'block-fisher': {
      const blocks = layered && hyper.blocks !== 'one';
      if (damped) return blocks ? blockDiagonalDamped : orthogonalOnly;
      return blocks ? blockDiagonal : everyInvertible;
    }
    case 'lowrank-fisher':
      // k = P undamped is ngd; any k < P keeps an eigen-subspace, defined by the Euclidean product (§9.2).
      return !damped && hyper.rank >= P ? everyInvertible : orthogonalOnly;
  }
}
