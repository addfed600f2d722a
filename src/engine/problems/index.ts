/** The problem registry: ids are stable (they appear in URLs and files). */
import type { z } from 'zod';
import { gaussianFit, gaussianFitParams } from './gaussian-fit';
import { logistic2d, logistic2dParams } from './logistic-2d';
import { matrixCompletion, matrixCompletionParams } from './matrix-completion';
import { mlp, mlpParams } from './mlp';
import { quadratic, quadraticParams } from './quadratic';
import { sparseRegression, sparseRegressionParams } from './sparse-regression';
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
  quadratic: entry({ params: quadraticParams, create: quadratic, label: 'Quadratic (condition, rotation)' }),
  'logistic-2d': entry({
    params: logistic2dParams,
    create: logistic2d,
    label: 'Logistic regression (2 weights)',
  }),
  mlp: entry({ params: mlpParams, create: mlp, label: 'MLP on 2-D data' }),
  'matrix-completion': entry({
    params: matrixCompletionParams,
    create: matrixCompletion,
    label: 'Deep matrix completion',
  }),
  'sparse-regression': entry({
    params: sparseRegressionParams,
    create: sparseRegression,
    label: 'Sparse logistic regression (u⊙u − v⊙v)',
  }),
} as const;

export type ProblemId = keyof typeof problems;
export const problemIds = Object.keys(problems) as [ProblemId, ...ProblemId[]];
export type { Problem } from './problem';
