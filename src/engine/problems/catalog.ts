/**
 * The problems as plain data: stable ids (they appear in URLs and files), labels and
 * parameter schemas, without tensor code. The page (panels, link validation through
 * schema.ts) reads this; the worker's registry (index.ts) adds the builders.
 */
import type { z } from 'zod';
import {
  gaussianFitParams,
  logistic2dParams,
  matrixCompletionParams,
  mlpParams,
  quadraticParams,
  rosenbrockParams,
  sparseRegressionParams,
  tinyNetParams,
} from './params';

/** What the page knows of a problem: its label and the schema of its parameters. */
export interface ProblemInfo<S extends z.ZodType = z.ZodType> {
  label: string;
  params: S;
}

function info<S extends z.ZodType>(label: string, params: S): ProblemInfo<S> {
  return { label, params };
}

/** In menu order. */
export const problemCatalog = {
  'gaussian-fit': info('Gaussian fit (μ, σ)', gaussianFitParams),
  rosenbrock: info('Rosenbrock (least squares)', rosenbrockParams),
  'tiny-net': info('Tiny net a·tanh(b·x)', tinyNetParams),
  quadratic: info('Quadratic (condition, rotation)', quadraticParams),
  'logistic-2d': info('Logistic regression (2 weights)', logistic2dParams),
  mlp: info('MLP on 2-D data', mlpParams),
  'matrix-completion': info('Deep matrix completion', matrixCompletionParams),
  'sparse-regression': info('Sparse logistic regression (u⊙u − v⊙v)', sparseRegressionParams),
} as const;

export type ProblemId = keyof typeof problemCatalog;
export const problemIds = Object.keys(problemCatalog) as [ProblemId, ...ProblemId[]];
