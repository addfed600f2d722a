/**
 * The benchmark workload (docs/performance.md), shared by `npm run bench` (bench/) and the
 * worker's backend warm-up (worker/step-timing.ts): the 2-16-16-1 tanh MLP on 256 spiral
 * points, and experiments of R identical runs of it.
 */
import { parseExperiment, type Experiment, type OptimizerEntry } from './schema';

/** `mlp` 2-16-16-1 tanh on 256 spiral points; testFraction 0 keeps N = 256. */
export const benchMlp = {
  id: 'mlp',
  dataset: 'spiral',
  hidden: [16, 16],
  activation: 'tanh',
  n: 256,
  testFraction: 0,
} as const;

/** The schema allows 16 optimizer entries per experiment. */
const SCHEMA_MAX = 16;

/**
 * An experiment of `runs` identical `entry` runs (identity map, so θ-runs only). Past the
 * schema's 16 entries the list is extended after validation (`beyondSchema`):
 * createSession does not re-validate, and the runs take the same code path.
 */
export function batchExperiment(
  problem: Record<string, unknown>,
  entry: OptimizerEntry,
  runs: number,
): { experiment: Experiment; beyondSchema: boolean } {
  const res = parseExperiment({
    version: 1,
    problem,
    optimizers: Array.from({ length: Math.min(runs, SCHEMA_MAX) }, () => entry),
    steps: 100000,
    seed: 0,
  });
  if (!res.ok) throw new Error(res.error);
  const experiment = res.experiment;
  if (runs <= SCHEMA_MAX) return { experiment, beyondSchema: false };
  const first = experiment.optimizers[0] as Experiment['optimizers'][number];
  return {
    experiment: { ...experiment, optimizers: Array.from({ length: runs }, () => ({ ...first })) },
    beyondSchema: true,
  };
}
