/**
 * docs/theory.md §3's naturalizer table as data: for an optimizer entry (with its damping and
 * hyper-parameters) and a class of linear maps θ = Aφ + b, is the discrete update
 * exactly equivariant? `null` where the table makes no claim for the class as a whole.
 */
import type { OptimizerEntry } from '../schema';
import { optimizerDef } from '../optimizers';
import { resolveHyper } from '../optimizers/optimizer';
import type { MapClass } from './analysis-constants';

export { mapClasses, mapClassLabels, type MapClass } from './analysis-constants';

type Marks = Record<MapClass, boolean | null>;
const orthogonalOnly: Marks = { rotation: true, 'signed-permutation': true, diagonal: false, general: false };
const everyInvertible: Marks = { rotation: true, 'signed-permutation': true, diagonal: true, general: true };
const signedPermOnly: Marks = {
  rotation: false,
  'signed-permutation': true,
  diagonal: false,
  general: false,
};
const permTimesDiagonal: Marks = {
  rotation: false,
  'signed-permutation': true,
  diagonal: true,
  general: false,
};
const noClaim: Marks = { rotation: null, 'signed-permutation': null, diagonal: null, general: null };

/**
 * The expected mark of one cell. Rules (docs/theory.md §3): GD, momentum, Nesterov: orthogonal
 * A; Adam, RMSProp: signed permutations; diagonal Fisher: (signed) permutation × diagonal;
 * Newton, NGD, GGN, empirical Fisher: every invertible A; Hessian-free: every invertible A
 * when CG runs P iterations (an exact solve), else only orthogonal A (a truncated Krylov
 * space is built with the Euclidean inner product); any second-order method with λI
 * damping, λ > 0 (or adaptive λ): orthogonal only; a Fisher-norm trust region keeps the
 * undamped row. K-FAC is natural for per-layer maps W ↦ BWC, which these classes neither
 * are nor exclude in general: no claim.
 */
export function expectedEquivariant(entry: OptimizerEntry, cls: MapClass, P: number): boolean | null {
  return expectedRow(entry, P)[cls];
}

function expectedRow(entry: OptimizerEntry, P: number): Marks {
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
      return damped ? orthogonalOnly : everyInvertible;
  }
}
