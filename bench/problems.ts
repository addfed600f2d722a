/** The benchmark's workloads (docs/performance.md): shared with the worker's backend warm-up. */
export { batchExperiment, benchMlp as mlpProblem } from '../src/engine/workloads';
