/**
 * The runs slice: every run's points, losses and status, the naturality distances, the κ*
 * and κ(F) series and the §6 reports — the data that grows while the runs train — and how
 * far they are (`step`, `playState`).
 *
 * THE IN-PLACE RULE. This is the one place in the store that changes data in place, and the
 * only one that may. Telemetry arrives up to 60 times a second with a few points per run;
 * copying every run's arrays on each batch would cost more than drawing them, so
 * `applyTelemetry` (and `slice-reprojected`, and `report`) push onto the existing arrays
 * and records and leave `runs`, `defects`, `metrics` and `reports` the same objects.
 * A selector or `s.runs !== prev.runs` therefore does NOT see an append (the identity
 * changes only when a load replaces the runs). Every in-place change bumps `runsVersion`
 * instead, in the same store update, once per batch: anything that reads these arrays and
 * must follow them keys on `s.runsVersion !== prev.runsVersion` (ui/plots/frame-draw.ts by
 * default) or selects `s.runsVersion` in React. `reportsVersion` is bumped as well when the
 * reports change, for readers of the reports alone. Readers never mutate these arrays.
 */
import type { StateCreator } from 'zustand/vanilla';
import { traj, type RunCourse, type RunIdentity, type Trajectory } from '../../engine/page';
import type { LoadedInfo, MetricDelta, PlayState, RunInfo, WorkerEvent } from '../../protocol/messages';
import type { Lab } from '../store';

/** A run as the page holds it: the engine's run record (engine/run.ts) plus the slice plot's projections. */
export interface RunView extends RunIdentity, Omit<RunCourse, 'theta'> {
  /** θ points so far (φ-runs: pushed forward), flat (engine/trajectory.ts). Appended in place. */
  theta: Trajectory;
  /** φ points (φ-runs; switch runs where the φ plot exists, NaN points before their switch step). */
  phi: Trajectory | null;
  /** Why the run stopped, in plain words, when the engine knows (a failed switch). */
  failure?: string;
  /** Slice plots (P > 2): each θ point's (a, b) on the slice (dim 2) and its relative distance from it. */
  slice: Trajectory;
  sliceError: number[];
}

/** One run's §6 report: test error at sampled steps, and the newest spectrum (largest first). */
export interface RunReportView {
  steps: number[];
  error: number[];
  spectrum: number[];
  /** `digits`: test loss at `steps`, and the newest confusion matrix and strip predictions. */
  digits?: {
    testLoss: number[];
    confusion: number[];
    predicted: number[];
    strip: { pixels: number[][]; labels: number[] } | null;
  };
}

/** Per-step κ* (null: not a descent step) and κ(F) per point of one run. */
export interface RunMetrics {
  kappa: (number | null)[];
  cond: number[];
}

export interface RunsState {
  /** The worker's state of the runs, and the newest step they reached. */
  playState: PlayState;
  step: number;
  /** Appended in place (see the rule above). */
  runs: RunView[];
  /** Largest relative distance of any run's point from the θ plot's 2-D slice so far (0 … 1). */
  sliceError: number;
  /** Per-step naturality distances by optimizer index (pairs only). D_K is their running max. Appended in place. */
  defects: Record<number, { parameter: number[]; function: number[] }>;
  /** κ* per step and κ(F) per point by run id (P ≤ 50 only, docs/theory.md §5). Appended in place. */
  metrics: Record<string, RunMetrics>;
  /**
   * docs/theory.md §6 reports by run id (matrix-completion, sparse-regression, digits;
   * worker/reports.ts). Appended in place.
   */
  reports: Record<string, RunReportView>;
  /** Bumped with every in-place change of this slice (appends, a new slice projection, reports) and on a load. */
  runsVersion: number;
  /** Bumped when `reports` change (a report arrived, or a load cleared them). */
  reportsVersion: number;
}

export type TelemetryEvent = Extract<WorkerEvent, { type: 'telemetry' }>;

export interface RunsActions {
  /**
   * Several telemetry events at once (the client coalesces them per animation frame):
   * appended in order, then one store update, so subscribers wake once.
   */
  applyTelemetry(events: readonly TelemetryEvent[]): void;
}

/** A run before its first point: P coordinates per point (φ's Q arrives with the first telemetry). */
const emptyRun = (info: RunInfo, P: number): RunView => ({
  ...info,
  theta: traj.emptyTrajectory(P),
  phi: info.space === 'phi' || info.space === 'switch' ? traj.emptyTrajectory(P) : null,
  loss: [],
  status: 'ok',
  divergedAt: null,
  slice: traj.emptyTrajectory(2),
  sliceError: [],
});

/**
 * Append a flat delta from point `from` on: earlier points are kept, any from `from` on are
 * replaced (into a new buffer: the buffer rule of engine/trajectory.ts). A trajectory of
 * another dimension (the first event after a load fixes P and Q) is replaced.
 */
function appendAt(t: Trajectory, from: number, flat: Float64Array, dim: number): Trajectory {
  const out = t.dim === dim ? t : traj.emptyTrajectory(dim);
  traj.truncate(out, from);
  traj.appendFlat(out, flat);
  return out;
}

/** Append metric deltas in place (by run id); NaN κ* arrives for "not a descent step". */
export function appendMetrics(metrics: Record<string, RunMetrics>, deltas: readonly MetricDelta[]): void {
  for (const d of deltas) {
    const m = (metrics[d.id] ??= { kappa: [], cond: [] });
    m.kappa.length = Math.min(m.kappa.length, d.kappaFrom);
    for (const v of d.kappa) m.kappa.push(Number.isNaN(v) ? null : v);
    m.cond.length = Math.min(m.cond.length, d.condFrom);
    m.cond.push(...d.cond);
  }
}

/** Append one telemetry delta to the run arrays, defects and metrics in place; returns the new largest slice error. */
function appendTelemetry(state: RunsState, event: TelemetryEvent, sliceErrorIn: number): number {
  const byId = new Map(state.runs.map((r) => [r.id, r]));
  let sliceError = sliceErrorIn;
  for (const d of event.runs) {
    const run = byId.get(d.id);
    if (!run) continue;
    if (d.slice && d.sliceError) {
      run.slice = appendAt(run.slice, d.from, d.slice, 2);
      run.sliceError.length = d.from;
      run.sliceError.push(...d.sliceError);
      for (const e of d.sliceError) if (e > sliceError) sliceError = e;
    }
    run.theta = appendAt(run.theta, d.from, d.theta, event.P);
    if (run.phi && d.phi) run.phi = appendAt(run.phi, d.from, d.phi, event.Q);
    run.loss.length = d.lossFrom;
    run.loss.push(...d.loss);
    run.status = d.status;
    run.divergedAt = d.divergedAt;
    if (d.failure !== undefined) run.failure = d.failure;
    if (d.cg) run.cg = d.cg;
  }
  const defects = state.defects;
  for (const d of event.defects) {
    const series = (defects[d.optimizer] ??= { parameter: [], function: [] });
    series.parameter.length = d.from;
    series.parameter.push(...d.parameter);
    series.function.length = d.from;
    series.function.push(...d.function);
  }
  appendMetrics(state.metrics, event.metrics ?? []);
  return sliceError;
}

/** A load: new, empty runs (new objects, so selectors on `runs` see it), and nothing measured yet. */
export function loadRuns(s: RunsState, info: LoadedInfo): Partial<RunsState> {
  return {
    runs: info.runs.map((r) => emptyRun(r, info.paramNames.length)),
    step: 0,
    sliceError: 0,
    defects: {},
    metrics: {},
    reports: {},
    runsVersion: s.runsVersion + 1,
    reportsVersion: s.reportsVersion + 1,
  };
}

/** A new slice: every run's projected points are replaced (in place on the run records). */
export function reprojectRuns(
  s: RunsState,
  event: Extract<WorkerEvent, { type: 'slice-reprojected' }>,
): Partial<RunsState> {
  const byId = new Map(event.runs.map((d) => [d.id, d]));
  let sliceError = 0;
  for (const run of s.runs) {
    const d = byId.get(run.id);
    if (!d) continue;
    run.slice = traj.emptyTrajectory(2);
    traj.appendFlat(run.slice, d.slice);
    run.sliceError = Array.from(d.sliceError);
    for (const e of d.sliceError) if (e > sliceError) sliceError = e;
  }
  return { sliceError, runsVersion: s.runsVersion + 1 };
}

/** Append a `report` event to the reports in place. */
export function appendReports(
  s: RunsState,
  event: Extract<WorkerEvent, { type: 'report' }>,
): Partial<RunsState> {
  const reports = s.reports;
  for (const d of event.runs) {
    const r = (reports[d.id] ??= { steps: [], error: [], spectrum: [] });
    r.steps.push(...d.steps);
    r.error.push(...d.error);
    r.spectrum = d.spectrum;
    if (d.digits) {
      const v = (r.digits ??= { testLoss: [], confusion: [], predicted: [], strip: null });
      v.testLoss.push(...d.digits.testLoss);
      v.confusion = d.digits.confusion;
      v.predicted = d.digits.predicted;
      if (d.digits.strip) v.strip = d.digits.strip;
    }
  }
  return { runsVersion: s.runsVersion + 1, reportsVersion: s.reportsVersion + 1 };
}

export const createRunsSlice: StateCreator<Lab, [], [], RunsState & RunsActions> = (set, get) => ({
  playState: 'idle',
  step: 0,
  runs: [],
  sliceError: 0,
  defects: {},
  metrics: {},
  reports: {},
  runsVersion: 0,
  reportsVersion: 0,
  applyTelemetry: (events) => {
    const last = events[events.length - 1];
    if (!last) return;
    const state = get();
    let sliceError = state.sliceError;
    for (const e of events) sliceError = appendTelemetry(state, e, sliceError);
    set({
      step: last.step,
      runsVersion: state.runsVersion + 1,
      ...(sliceError !== state.sliceError ? { sliceError } : {}),
    });
  },
});
