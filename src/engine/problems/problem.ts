/**
 * The problem contract. A problem is a model h(x; θ) with a likelihood, on data made
 * from the experiment's seed (or given inline). Everything else in the engine — losses,
 * gradients, Fisher, Gauss-Newton, landscapes, reparameterized runs — is derived from
 * `model`, which takes a *batch of parameter rows*:
 *
 *   model(theta [B, P], x [B or 1, M, d]) -> outputs [B, M, C]
 *
 * Rows are independent. With x broadcast (first dim 1) it evaluates B runs (or B grid
 * points) on all M examples; with B = N and M = 1 each parameter row meets one example,
 * which gives per-example gradients and Jacobians from one backward pass, without vmap
 * (docs/theory.md §7).
 */
import type { Tensor, Tensor2D, Tensor3D } from '../tf';
import { tf } from '../tf';
import type { Likelihood } from './likelihood';

/** One dense layer of a network problem: a = act(x W + b). */
export interface DenseLayer {
  inputs: number;
  outputs: number;
  activation: 'tanh' | 'relu' | 'softplus' | 'linear';
}

/** A ready problem instance. Holds its data tensors; call `dispose()` when done. */
export interface Problem {
  readonly id: string;
  /** Number of parameters. */
  readonly P: number;
  /** Number of training examples. */
  readonly N: number;
  /** Outputs per example. */
  readonly C: number;
  readonly likelihood: Likelihood;
  /** Names of the θ coordinates, for axes and tables. */
  readonly paramNames: readonly string[];
  /** The seeded initial point θ₀. */
  readonly init: readonly number[];
  /** For P = 2: the default plot window [[x0, x1], [y0, y1]] in θ. */
  readonly window: readonly [readonly [number, number], readonly [number, number]] | null;
  /**
   * For networks: the dense layers in parameter order. θ is laid out layer by layer,
   * each as W [inputs, outputs] row-major followed by b [outputs]. Null otherwise.
   * A two-class softmax network's last layer has one output z; the model returns [0, z] (logits.ts).
   */
  readonly layers: readonly DenseLayer[] | null;
  /** Training inputs [N, d] (a column of zeros for problems without inputs). */
  readonly x: Tensor2D;
  /** Training targets [N, T]. */
  readonly y: Tensor2D;
  /** A held-out test set (inputs [N_test, d], targets [N_test, T]) when the problem has one. */
  readonly test?: { readonly x: Tensor2D; readonly y: Tensor2D };
  /** The model: theta [B, P], x [B or 1, M, d] -> [B, M, C]. Twice differentiable. */
  model(theta: Tensor2D, x: Tensor3D): Tensor3D;
  /** Why θ is outside the model's domain (e.g. σ ≤ 0), or null when it is inside. */
  domainError(theta: readonly number[]): string | null;
  dispose(): void;
}

/** What a problem module provides to build a `Problem`. */
export interface ProblemSpec {
  id: string;
  P: number;
  C: number;
  likelihood: Likelihood;
  paramNames: readonly string[];
  init: readonly number[];
  window: Problem['window'];
  layers?: readonly DenseLayer[];
  /** Inputs [N][d] and targets [N][T] as plain numbers. */
  x: number[][];
  y: number[][];
  /** Optional held-out test set, same layout as `x`, `y` (at least one row). */
  test?: { x: number[][]; y: number[][] };
  model: Problem['model'];
  domainError?: Problem['domainError'];
}

/** Turn a spec with plain-number data into a `Problem` owning its data tensors. */
export function makeProblem(spec: ProblemSpec): Problem {
  const x = tf.tensor2d(spec.x);
  const y = tf.tensor2d(spec.y);
  const test = spec.test && { x: tf.tensor2d(spec.test.x), y: tf.tensor2d(spec.test.y) };
  return {
    id: spec.id,
    P: spec.P,
    N: spec.x.length,
    C: spec.C,
    likelihood: spec.likelihood,
    paramNames: spec.paramNames,
    init: spec.init,
    window: spec.window,
    layers: spec.layers ?? null,
    x,
    y,
    ...(test ? { test } : {}),
    model: spec.model,
    domainError: spec.domainError ?? (() => null),
    dispose: () => {
      x.dispose();
      y.dispose();
      test?.x.dispose();
      test?.y.dispose();
    },
  };
}

/** Broadcast each parameter row over M examples: theta [B, P] -> [B, M, P]. */
export function rowsOver(theta: Tensor, m: number): Tensor3D {
  const [b, p] = theta.shape as [number, number];
  return tf.broadcastTo(tf.expandDims(theta, 1), [b, m, p]) as Tensor3D;
}

/** Column k of parameter rows as [B, 1, 1], ready to broadcast against [B, M, d]. */
export function param(theta: Tensor2D, k: number): Tensor3D {
  return tf.reshape(tf.slice(theta, [0, k], [-1, 1]), [-1, 1, 1]) as Tensor3D;
}

/** Evenly spaced numbers from a to b inclusive. */
export function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}
