/**
 * The engine for the worker and the command line: sessions, problems, maps, measures,
 * landscapes and the tfjs set-up. The worker (worker/) and the command line (cli/) import
 * the engine only through this file (ESLint); the page uses the tfjs-free engine/page.ts.
 */
export { backendNames } from './backend-names';
export type { RunTrajectory, SessionCheckpoint } from './checkpoint';
export { createSession, createProblem, type RunResult, type Session } from './experiment';
export { runToCsv, type CsvColumn } from './export';
export * as traj from './trajectory';
export { fromRows, toRows, withRows, type Trajectory } from './trajectory';
export { isCancelled, isCancelledError, type CancelSignal } from './landscape/chunks';
export { filterNormalizedDirections } from './landscape/filter-directions';
export { gridPoints, gridPoint, lossGrid, type Window, type LossGrid } from './landscape/grid';
export { pcaDirections } from './landscape/pca-directions';
export { makeProjector, type ProjectPoints, type Projection } from './landscape/project';
export { sliceGrid, type Slice } from './landscape/slice';
export { parameterDefect } from './measure/defect';
export { functionDefect } from './measure/function-defect';
export { geometryAt, geometryGrid } from './measure/geometry-at';
export { sliceFrame, sliceGeometryAt, sliceGeometryGrid } from './measure/geometry-slice';
export { naturalityTable, type NaturalityTable } from './measure/naturality-table';
export { createDefectTracker, type DefectTracker } from './measure/pair-tracker';
export {
  STEP_METRICS_MAX_P,
  sessionStepMetrics,
  createStepMetricsTracker,
  type StepMetrics,
  type StepMetricsDelta,
  type StepMetricsTracker,
} from './measure/step-metrics';
export { defaultSweep, sweep, type SweepResult } from './measure/sweep';
export { softmax } from './ops';
export { entrySolver, exactSolverIds, solvesByCg, solverNote } from './optimizers/solver-note';
export { asDigits } from './problems/digits';
export { DIGITS_STRIP, digitsEval, type DigitsEval } from './problems/digits-report';
export { asMatrixCompletion } from './problems/matrix-completion';
export { singularValues, unobservedError } from './problems/matrix-completion-report';
export type { Problem } from './problems/problem';
export { asSparseRegression } from './problems/sparse-regression';
export { sortedAbsWeights, testAccuracy64 } from './problems/sparse-regression-report';
export { parseExperiment, runsKey, type Experiment } from './schema';
export { tf } from './tf';
export { batchExperiment, benchMlp } from './workloads';
