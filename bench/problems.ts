/** The benchmark's workloads: the 2-16-16-1 tanh MLP on 256 points (issues 5, 9) and tiny-net. */
import { parseExperiment, type Experiment, type OptimizerEntry } from '../src/engine/schema';

/** `mlp` defaults are the 2-16-16-1 tanh net on 256 spiral points; testFraction 0 keeps N = 256. */
export const mlpProblem = {
  id: 'mlp',
  dataset: 'spiral',
  hidden: [16, 16],
  activation: 'tanh',
  n: 256,
  testFraction: 0,
};

/** The schema allows 16 optimizer entries per experiment. */
const SCHEMA_MAX = 16;

/**
 * An experiment of `runs` identical `entry` runs (identity map, so θ-runs only). Past the
 * schema's 16 entries the list is extended after validation: createSession does not
 * re-validate, and the runs are the same code path.
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
