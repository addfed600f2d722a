/**
 * `gaussian-fit`: maximum likelihood for N(μ, σ²) on a seeded sample, θ = (μ, σ).
 * The classic natural-gradient example: the Fisher is diag(1/σ², 2/σ²) (docs/theory.md §1).
 */
import { makeRng } from '../random';
import { makeProblem, rowsOver, type Problem } from './problem';
import { gaussianFitParams, type GaussianFitParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { gaussianFitParams, type GaussianFitParams };

export function gaussianFit(params: GaussianFitParams, seed: number): Problem {
  const rng = makeRng(seed);
  const sample = params.data ?? Array.from({ length: params.n }, () => rng.normal(params.mean, params.std));
  return makeProblem({
    id: 'gaussian-fit',
    P: 2,
    C: 2,
    likelihood: { kind: 'gaussian-meanstd' },
    paramNames: ['μ', 'σ'],
    init: [-1, 2],
    window: [
      [-2.5, 3],
      [0.15, 3],
    ],
    x: sample.map(() => [0]),
    y: sample.map((v) => [v]),
    // The output is (μ, σ) itself, the same for every example.
    model: (theta, x) => rowsOver(theta, x.shape[1]),
    domainError: (theta) => ((theta[1] ?? 0) > 0 ? null : `σ must be positive (got σ = ${theta[1]})`),
  });
}
