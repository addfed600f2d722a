/**
 * `sparse-regression` (docs/theory.md §6): logistic regression in d dimensions from few examples,
 * x ~ N(0, I), labels 1[x₁ > 0] (w* = e₁), softmax with logits [0, wᵀx]. Two
 * parameterizations of the weights:
 *   `linear`:   θ = w (P = d), init w ~ N(0, scale²)
 *   `diagonal`: θ = (u, v), w = u⊙u − v⊙v (P = 2d), init u = v = scale, so w₀ = 0
 * GD on `diagonal` from a small scale finds a sparse w (test accuracy ≈ 0.94 at the
 * defaults, float64); `linear` or NGD do not (≈ 0.66).
 */
import { tf, type Tensor, type Tensor2D } from '../tf';
import { makeRng, subSeed } from '../random';
import { checkClassification } from './data';
import { oneHot } from './datasets';
import { binaryLogits, linearScore } from './logits';
import { makeProblem, type Problem } from './problem';
import { sparseRegressionParams, type SparseRegressionParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { sparseRegressionParams, type SparseRegressionParams };

/** The problem with its parameterization and test set as plain numbers (float64 helpers). */
export interface SparseRegressionProblem extends Problem {
  readonly d: number;
  readonly param: 'linear' | 'diagonal';
  readonly testSet: { points: number[][]; labels: number[] } | null;
}

/** Weights w for B parameter rows: [B, P] -> [B, d]. */
export function weightsOf(theta: Tensor2D, param: 'linear' | 'diagonal', d: number): Tensor {
  if (param === 'linear') return theta;
  const u = tf.slice(theta, [0, 0], [-1, d]);
  const v = tf.slice(theta, [0, d], [-1, d]);
  return tf.sub(tf.square(u), tf.square(v));
}

function gaussianSet(
  n: number,
  d: number,
  seed: number,
  salt: string,
): { points: number[][]; labels: number[] } {
  const rng = makeRng(subSeed(seed, salt));
  const points = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  return { points, labels: points.map((p) => ((p[0] ?? 0) > 0 ? 1 : 0)) };
}

export function sparseRegression(params: SparseRegressionParams, seed: number): SparseRegressionProblem {
  const { d, param, initScale } = params;
  const inline = params.data === undefined ? null : checkClassification(params.data, d, 2);
  if (inline && !inline.ok) throw new Error(`data: ${inline.error}`);
  const train = inline?.data ?? gaussianSet(params.n, d, seed, 'data');
  const testSet = inline ? null : gaussianSet(params.nTest, d, seed, 'test');
  const P = param === 'linear' ? d : 2 * d;
  const rng = makeRng(subSeed(seed, 'init'));
  const init =
    param === 'linear'
      ? Array.from({ length: d }, () => rng.normal(0, initScale))
      : Array.from({ length: 2 * d }, () => initScale);
  const names = Array.from({ length: d }, (_, i) => `${i + 1}`);
  const base = makeProblem({
    id: 'sparse-regression',
    P,
    C: 2,
    likelihood: { kind: 'softmax' },
    paramNames:
      param === 'linear'
        ? names.map((i) => `w${i}`)
        : [...names.map((i) => `u${i}`), ...names.map((i) => `v${i}`)],
    init,
    window:
      P === 2
        ? [
            [-3, 3],
            [-3, 3],
          ]
        : null,
    x: train.points,
    y: oneHot(train.labels, 2),
    ...(testSet ? { test: { x: testSet.points, y: oneHot(testSet.labels, 2) } } : {}),
    model: (theta, x) => binaryLogits(linearScore(weightsOf(theta, param, d), x)),
  });
  return { ...base, d, param, testSet };
}

/** Narrow a problem to a sparse-regression problem (for the §6 helpers), or null. */
export function asSparseRegression(problem: Problem): SparseRegressionProblem | null {
  return problem.id === 'sparse-regression' && 'testSet' in problem
    ? (problem as SparseRegressionProblem)
    : null;
}
