/**
 * `gaussian-fit`: maximum likelihood for N(μ, σ²) on a seeded sample, θ = (μ, σ).
 * The classic natural-gradient example: the Fisher is diag(1/σ², 2/σ²) (THEORY §1).
 */
import { z } from 'zod';
import { makeRng } from '../random';
import { makeProblem, rowsOver, type Problem } from './problem';

export const gaussianFitParams = z
  .object({
    /** Sample size (ignored when `data` is given). */
    n: z.number().int().min(2).max(10000).default(64),
    /** True mean and standard deviation of the generated sample. */
    mean: z.number().finite().default(1),
    std: z.number().positive().finite().default(0.5),
    /** Inline sample instead of a generated one. */
    data: z.array(z.number().finite()).min(2).max(10000).optional(),
  })
  .strict();
export type GaussianFitParams = z.infer<typeof gaussianFitParams>;

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
