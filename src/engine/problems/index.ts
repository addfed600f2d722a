/**
 * The problem registry: the catalog's plain data (ids, labels, parameter schemas; tf-free,
 * catalog.ts) with each problem's builder. Ids are stable (they appear in URLs and files).
 */
import type { z } from 'zod';
import { digits } from './digits';
import { gaussianFit } from './gaussian-fit';
import { logistic2d } from './logistic-2d';
import { matrixCompletion } from './matrix-completion';
import { mlp } from './mlp';
import { quadratic } from './quadratic';
import { sparseRegression } from './sparse-regression';
import { rosenbrock } from './rosenbrock';
import { tinyNet } from './tiny-net';
import { problemCatalog, type ProblemId, type ProblemInfo } from './catalog';
import type { Problem } from './problem';

interface ProblemEntry<S extends z.ZodType> extends ProblemInfo<S> {
  create(params: z.infer<S>, seed: number): Problem;
}

function entry<S extends z.ZodType>(
  info: ProblemInfo<S>,
  create: (params: z.infer<S>, seed: number) => Problem,
): ProblemEntry<S> {
  return { ...info, create };
}

const c = problemCatalog;

export const problems = {
  'gaussian-fit': entry(c['gaussian-fit'], gaussianFit),
  rosenbrock: entry(c.rosenbrock, rosenbrock),
  'tiny-net': entry(c['tiny-net'], tinyNet),
  quadratic: entry(c.quadratic, quadratic),
  'logistic-2d': entry(c['logistic-2d'], logistic2d),
  mlp: entry(c.mlp, mlp),
  digits: entry(c.digits, digits),
  'matrix-completion': entry(c['matrix-completion'], matrixCompletion),
  'sparse-regression': entry(c['sparse-regression'], sparseRegression),
} as const satisfies Record<ProblemId, ProblemEntry<z.ZodType>>;

export { problemIds, type ProblemId } from './catalog';
export type { Problem } from './problem';
