/**
 * The problems as plain data: stable ids (they appear in URLs and files), labels and
 * parameter schemas, without tensor code. The page (panels, link validation through
 * schema.ts) reads this; the worker's registry (index.ts) adds the builders.
 */
import type { z } from 'zod';
import {
  digitsParams,
  gaussianFitParams,
  logistic2dParams,
  matrixCompletionParams,
  mlpParams,
  quadraticParams,
  rosenbrockParams,
  sparseRegressionParams,
  tinyNetParams,
} from './params';
import { suggestions as s, type Suggestion } from './suggested';
import type { OptimizerId } from '../optimizers/ids';

/** What the page knows of a problem: its label, the schema of its parameters, its suggestions. */
export interface ProblemInfo<S extends z.ZodType = z.ZodType> {
  label: string;
  params: S;
  /** Suggested hyper-parameters per optimizer, used where an entry leaves them out (suggested.ts). */
  suggested: Record<OptimizerId, Suggestion>;
}

function info<S extends z.ZodType>(
  label: string,
  params: S,
  suggested: Record<OptimizerId, Suggestion>,
): ProblemInfo<S> {
  return { label, params, suggested };
}

/** In menu order. */
export const problemCatalog = {
  'gaussian-fit': info('Gaussian fit (μ, σ)', gaussianFitParams, s['gaussian-fit']),
  rosenbrock: info('Rosenbrock (least squares)', rosenbrockParams, s.rosenbrock),
  'tiny-net': info('Tiny net a·tanh(b·x)', tinyNetParams, s['tiny-net']),
  quadratic: info('Quadratic (condition, rotation)', quadraticParams, s.quadratic),
  'logistic-2d': info('Logistic regression (2 weights)', logistic2dParams, s['logistic-2d']),
  mlp: info('MLP on 2-D data', mlpParams, s.mlp),
  digits: info('Handwritten digits (8×8, MLP)', digitsParams, s.digits),
  'matrix-completion': info('Deep matrix completion', matrixCompletionParams, s['matrix-completion']),
  'sparse-regression': info(
    'Sparse logistic regression (u⊙u − v⊙v)',
    sparseRegressionParams,
    s['sparse-regression'],
  ),
} as const;

export type ProblemId = keyof typeof problemCatalog;
export const problemIds = Object.keys(problemCatalog) as [ProblemId, ...ProblemId[]];
