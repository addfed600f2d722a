/**
 * An objective is a problem seen through a reparameterization: parameter rows p are θ
 * itself (θ-runs) or φ with θ = f(φ) (φ-runs). Optimizers only ever see an objective,
 * so one optimizer implementation serves both spaces, and every derivative flows
 * through f by automatic differentiation.
 *
 * A φ-objective has the map's Q coordinates per row, which may exceed θ's P
 * (`weight-norm`): `P` below is the row width the optimizer sees, `problem.P` is θ's.
 */
import { tf, type Tensor1D, type Tensor2D, type Tensor3D } from './tf';
import type { Problem } from './problems/problem';
import type { Reparam } from './reparam/reparam';
import { nll, nllPerExample } from './problems/likelihood';
import { denseFastPathOf, type DenseFastPath } from './problems/dense-grad';

export interface Objective {
  readonly problem: Problem;
  /** The map θ = f(p), or null for a θ-run. */
  readonly reparam: Reparam | null;
  /** Width of a parameter row: problem.P for a θ-run, reparam.Q for a φ-run. */
  readonly P: number;
  /** Parameter rows to θ rows: [B, P] -> [B, problem.P]. */
  theta(params: Tensor2D): Tensor2D;
  /** Model outputs for B parameter rows on all N examples: [B, N, C]. */
  outputs(params: Tensor2D): Tensor3D;
  /** Mean NLL per parameter row: [B]. */
  loss(params: Tensor2D): Tensor1D;
  /** Per-example outputs: params [N, P], row n meets example n only -> [N, C]. */
  perExampleOutputs(params: Tensor2D): Tensor2D;
  /** Per-example NLL for the same pairing: params [N, P] -> [N]. */
  perExampleLoss(params: Tensor2D): Tensor1D;
}

/** Build the objective L∘f (or L when `reparam` is null). Holds no tensors of its own. */
export function makeObjective(problem: Problem, reparam: Reparam | null): Objective {
  const theta = (p: Tensor2D): Tensor2D => (reparam ? reparam.forward(p) : p);
  const xAll = (): Tensor3D => tf.expandDims(problem.x, 0) as Tensor3D;
  const xEach = (): Tensor3D => tf.expandDims(problem.x, 1) as Tensor3D;
  const outputs = (p: Tensor2D): Tensor3D => problem.model(theta(p), xAll());
  const perExampleOutputs = (p: Tensor2D): Tensor2D =>
    tf.squeeze(problem.model(theta(p), xEach()), [1]) as Tensor2D;
  return {
    problem,
    reparam,
    P: reparam ? reparam.Q : problem.P,
    theta,
    outputs,
    loss: (p) => nll(problem.likelihood, outputs(p), problem.y) as Tensor1D,
    perExampleOutputs,
    perExampleLoss: (p) => nllPerExample(problem.likelihood, perExampleOutputs(p), problem.y) as Tensor1D,
  };
}

/**
 * Gradient for B independent parameter rows at once: the rows do not interact, so the
 * gradient of Σ_b L(p_b) is, row by row, each run's own gradient. [B, P] -> [B, P].
 */
export function gradient(obj: Objective, params: Tensor2D): Tensor2D {
  const fast = fastPathOf(obj);
  if (fast) {
    const ready = primed.get(params);
    if (ready) {
      // Computed ahead by `lossPrimingGradient` at this very tensor: hand over a clone in
      // the caller's scope (it shares the data) and let the kept original go.
      primed.delete(params);
      const g = tf.clone(ready);
      ready.dispose();
      return g;
    }
    return fast.lossAndGradient(params).gradient;
  }
  return tf.grad((p) => tf.sum(obj.loss(p as Tensor2D)))(params) as Tensor2D;
}

/**
 * Gradients computed ahead at a parameter tensor, waiting for the `gradient` call at that
 * very tensor (the next step of a first-order run). Keyed by the tensor object; an entry
 * is consumed by that call or dropped by `dropPrimedGradient` (batch/group.ts does it
 * whenever its rows change).
 */
const primed = new WeakMap<Tensor2D, Tensor2D>();

/**
 * The loss values [B] at `params` for reading — and, for a θ-objective with the dense fast
 * path, the gradient at the same tensor from the same pass, kept for the next
 * `gradient(obj, params)`: a first-order run's telemetry loss then costs no forward pass
 * of its own. The caller must `dropPrimedGradient(params)` before it disposes `params`.
 */
export function lossPrimingGradient(obj: Objective, params: Tensor2D): Tensor1D {
  const fast = fastPathOf(obj);
  if (!fast) return obj.loss(params);
  dropPrimedGradient(params);
  const { loss, gradient: g } = fast.lossAndGradient(params);
  primed.set(params, tf.keep(g));
  return loss;
}

/** Dispose the gradient primed at `params`, if any. */
export function dropPrimedGradient(params: Tensor2D): void {
  const g = primed.get(params);
  if (!g) return;
  primed.delete(params);
  g.dispose();
}

/**
 * The problem's hand-derived dense-network path (problems/dense-grad.ts) when the
 * objective is the plain θ-objective; null for φ-objectives, whose derivatives flow
 * through f by autodiff.
 */
export function fastPathOf(obj: Objective): DenseFastPath | null {
  return obj.reparam ? null : denseFastPathOf(obj.problem);
}

/**
 * The loss values [B] for reading (telemetry, landscapes): the fast forward when there is
 * one, else `obj.loss`. Not for differentiating: use `obj.loss` or `gradient` for that.
 */
export function lossValues(obj: Objective, params: Tensor2D): Tensor1D {
  const fast = fastPathOf(obj);
  return fast ? fast.loss(params) : obj.loss(params);
}
