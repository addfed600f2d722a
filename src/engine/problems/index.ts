/** The problem registry: ids are stable (they appear in URLs and files). */
import type { z } from 'zod';
import { gaussianFit, gaussianFitParams } from './gaussian-fit';
import { rosenbrock, rosenbrockParams } from './rosenbrock';
import { tinyNet, tinyNetParams } from './tiny-net';
import type { Problem } from './problem';

interface ProblemEntry<S extends z.ZodType> {
  params: S;
  create(params: z.infer<S>, seed: number): Problem;
  label: string;
}

function entry<S extends z.ZodType>(e: ProblemEntry<S>): ProblemEntry<S> {
  return e;
}

export const problems = {
  'gaussian-fit': entry({ params: gaussianFitParams, create: gaussianFit, label: 'Gaussian fit (μ, σ)' }),
  rosenbrock: entry({ params: rosenbrockParams, create: rosenbrock, label: 'Rosenbrock (least squares)' }),
  'tiny-net': entry({ params: tinyNetParams, create: tinyNet, label: 'Tiny net a·tanh(b·x)' }),
} as const;

export type ProblemId = keyof typeof problems;
export const problemIds = Object.keys(problems) as [ProblemId, ...ProblemId[]];
export type { Problem } from './problem';
