/**
 * Held-out evaluation of parameter rows (test loss and accuracy).
 * Works for any problem with a `test` set; accuracy only for softmax likelihoods.
 */
import { tf, type Tensor, type Tensor2D, type Tensor3D } from '../tf';
import { nll } from './likelihood';
import type { Problem } from './problem';

export interface Metrics {
  /** Mean NLL per parameter row (the training loss's definition on other data). */
  loss: number[];
  /** Fraction of examples whose largest logit is the labelled class, per row; null for regression. */
  accuracy: number[] | null;
}

/** Loss and accuracy of B parameter rows theta [B, P] on inputs x [M, d], targets y [M, T]. */
export async function evaluate(
  problem: Problem,
  theta: Tensor2D,
  x: Tensor2D,
  y: Tensor2D,
): Promise<Metrics> {
  const softmax = problem.likelihood.kind === 'softmax';
  const [loss, accuracy] = tf.tidy((): [Tensor, Tensor] => {
    const out = problem.model(theta, tf.expandDims(x, 0) as Tensor3D);
    const l = nll(problem.likelihood, out, y);
    if (!softmax) return [l, tf.zeros([0])];
    const hit = tf.equal(tf.argMax(out, -1), tf.expandDims(tf.argMax(y, -1), 0));
    return [l, tf.mean(tf.cast(hit, 'float32'), -1)];
  });
  // Read asynchronously: a synchronous read loses the device on tfjs-webgpu.
  try {
    const [l, a] = await Promise.all([loss.data(), accuracy.data()]);
    return { loss: Array.from(l), accuracy: softmax ? Array.from(a) : null };
  } finally {
    loss.dispose();
    accuracy.dispose();
  }
}

/** Test loss and accuracy per parameter row, or null when the problem has no test set. */
export async function testMetrics(problem: Problem, theta: Tensor2D): Promise<Metrics | null> {
  return problem.test ? evaluate(problem, theta, problem.test.x, problem.test.y) : null;
}
