/**
 * The engine as the page sees it: catalogs, the Experiment schema, constants and small
 * float64 helpers, and the types that cross to the page — no tensor code. Page code (ui/,
 * state/, client/, link/, main.tsx) imports the engine only through this file (ESLint);
 * `catalog.test.ts` checks that nothing reached from here imports tfjs, ml-matrix or jsep.
 * The worker and the command line use the tensor side through `engine/index.ts`.
 */
export { backendNames, type BackendName } from './backend-names';
export type { RunSpace, RunStatus, Space } from './experiment';
export type { RunCourse, RunIdentity } from './run';
export * as traj from './trajectory';
export type { Trajectory } from './trajectory';
export { runsToCsv } from './export';
export type { LossGrid, Window } from './landscape/grid';
export type { SliceKind } from './landscape/slice';
export {
  defaultSweep,
  defaultTableSteps,
  EQUIVARIANT_BELOW,
  mapClassLabels,
  mapClasses,
  STEP_METRICS_MAX_P,
} from './measure/analysis-constants';
export { maxDistance } from './measure/defect';
export type { DefectCurve, DefectCurves } from './measure/fisher-curves';
export { eigen2, ellipseOf, type Ellipse } from './measure/geometry';
export type { GeometryAt, GeometrySpace } from './measure/geometry-at';
export { ROUNDOFF_ULPS } from './measure/implied-metric';
export type { NaturalityTable, TableCell } from './measure/naturality-table';
export type { SweepResult } from './measure/sweep';
export { baseHyper, optimizerInfo } from './optimizers/catalog';
export type { OptimizerId } from './optimizers/ids';
export type { Hyper } from './optimizers/optimizer';
export { entrySolver, exactSolverIds, solverNote, solvesByCg, tolText } from './optimizers/solver-note';
export { problemCatalog, problemIds, type ProblemId } from './problems/catalog';
export { parseCsvData, type CsvKind } from './problems/csv';
export { MAX_CLASSES } from './problems/data';
export { effectiveRank } from './problems/effective-rank';
export { implementedReparams } from './reparam/catalog';
export type { ReparamId } from './reparam/ids';
export { mapStarter, mapUnavailable, reparamLabels } from './reparam/menu';
export { defaultCustomExprs } from './reparam/param-schemas';
export {
  defaultExperiment,
  experimentVersion,
  MAX_OPTIMIZERS,
  parseExperiment,
  runsKey,
  withoutSuggestedKeys,
  type Experiment,
  type ExperimentInput,
  type OptimizerEntry,
} from './schema';
