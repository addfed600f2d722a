/** The benchmark's workloads (issues 5, 9): shared with the worker's backend warm-up. */
export { batchExperiment, benchMlp as mlpProblem } from '../src/engine/workloads';
