/**
 * `logistic-2d`: logistic regression with two weights and no bias, θ = w, on two
 * seeded Gaussian blobs at ±`mean` (label 1 at +mean). Posed as softmax with logits
 * [0, wᵀx] (logits.ts). With unit spread the population optimum is w = 2·mean/std².
 */
import { makeRng, subSeed } from '../random';
import { oneHot } from './datasets';
import { binaryLogits, linearScore } from './logits';
import { makeProblem, type Problem } from './problem';
import { logistic2dParams, type Logistic2dParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { logistic2dParams, type Logistic2dParams };

export function logistic2d(params: Logistic2dParams, seed: number): Problem {
  const rng = makeRng(subSeed(seed, 'data'));
  const [m0, m1] = params.mean;
  const data = params.data ?? {
    points: Array.from({ length: params.n }, (_, i) => {
      const s = i % 2 === 1 ? 1 : -1;
      return [s * m0 + rng.normal(0, params.std), s * m1 + rng.normal(0, params.std)];
    }),
    labels: Array.from({ length: params.n }, (_, i) => i % 2),
  };
  // Start on a circle of radius 2.5 around the window's centre, at a seeded angle.
  const alpha = makeRng(subSeed(seed, 'init')).uniform(0, 2 * Math.PI);
  return makeProblem({
    id: 'logistic-2d',
    P: 2,
    C: 2,
    likelihood: { kind: 'softmax' },
    paramNames: ['w₁', 'w₂'],
    init: [1 + 2.5 * Math.cos(alpha), 0.5 + 2.5 * Math.sin(alpha)],
    window: [
      [-2, 4],
      [-2.5, 3.5],
    ],
    x: data.points,
    y: oneHot(data.labels, 2),
    model: (theta, x) => binaryLogits(linearScore(theta, x)),
  });
}
