/**
 * `window.reparamLab`: a read-only automation handle for end-to-end tests and for users
 * in the console. `state()` returns plain data in the command line's run shape; `progress()`
 * the same without the points, cheap enough to poll every frame.
 */
import {
  maxDistance,
  type RunCourse,
  type RunIdentity,
  type SweepResult,
  type NaturalityTable,
  traj,
} from '../engine/page';
import type { AnalysisView, LabStore, RunMetrics } from '../state/store';
import type { BackendMeasurement, BackendName, BackendRequest } from '../protocol/messages';
import type { LabDebug } from './lab-client';
import { geometryStore, type DrawnGeometry } from '../state/geometry';

/**
 * A run as `reparamLab.state()` returns it: the engine's run record (engine/run.ts) with its
 * points as rows, one array per step (JSON for people and tests; the store holds them flat).
 */
export interface AutomationRun extends RunIdentity, Omit<RunCourse, 'theta'> {
  theta: number[][];
  phi?: number[][];
}

export interface AutomationState {
  experiment: unknown;
  backend: BackendName | null;
  /**
   * How the backend was chosen: the request, the reason in words and (automatic choice) each
   * candidate's warm-up median ms/step or why it was not measured. Null while starting.
   */
  backendChoice: {
    requested: BackendRequest;
    reason: string | null;
    notes: string[];
    measurements: BackendMeasurement[];
  } | null;
  step: number;
  playState: string;
  runs: AutomationRun[];
  /** docs/theory.md §6 reports by run id: test error over sampled steps and the latest spectrum. */
  reports?: Record<string, { steps: number[]; error: number[]; spectrum: number[] }>;
  /** D_K and D^fn_K so far for every θ/φ pair (the command line's `defects`). */
  defects: { optimizer: number; id: string; parameter: number; function: number }[];
  /** The learning-rate sweep (docs/theory.md §4): status, progress, and per optimizer D at each η and the fitted slope. */
  sweep: AnalysisView<SweepResult> | null;
  /** The naturality table (docs/theory.md §3): measured D_K and marks per optimizer × map class. */
  table: AnalysisView<NaturalityTable> | null;
  /** κ* per step (null: not a descent step) and κ(F) per point, by run id; P ≤ 50 only. */
  metrics: Record<string, RunMetrics>;
  /**
   * What the geometry overlay last drew on each landscape (data coordinates): ellipses
   * {centre + δ : δᵀMδ = level} with their metric, semi-axes and axis directions; the
   * steepest-descent arrows; and the points skipped with why. Empty when the overlay is off.
   */
  geometry: { theta: DrawnGeometry; phi: DrawnGeometry };
}

/** A run in `reparamLab.progress()`: how far it got and how it stands, without its points. */
export interface AutomationRunProgress extends RunIdentity {
  /** Points so far (steps 0..k: k + 1). */
  points: number;
  /** θ at step 0. */
  start: number[];
  status: RunCourse['status'];
  divergedAt: number | null;
}

/**
 * `state()` without what grows with the steps (points, losses, metrics, reports, geometry):
 * what a script polls while it waits. `state()` copies every point (27 MB for the
 * low-rank scene's 1,500 steps, ~0.8 s here); this copies none.
 */
export interface AutomationProgress extends Pick<
  AutomationState,
  'experiment' | 'backend' | 'step' | 'playState' | 'sweep' | 'table'
> {
  runs: AutomationRunProgress[];
}

export interface ReparamLabHandle {
  ready: Promise<void>;
  state(): AutomationState;
  progress(): AutomationProgress;
  /**
   * Test hooks (docs/reliability.md, "Automation handle and test hooks"): break the engine on purpose — terminate or crash the
   * worker, lose the GPU — to check that the page recovers; plus `memory()` for the soak.
   * They change nothing else; the rest of the handle is read-only.
   */
  debug?: LabDebug;
}

declare global {
  interface Window {
    reparamLab?: ReparamLabHandle;
  }
}

/** A run's identity as the handle gives it (a switch run also says where it switched and how). */
const identity = (r: RunIdentity): RunIdentity => ({
  id: r.id,
  optimizer: r.optimizer,
  space: r.space,
  ...(r.switchAt !== undefined ? { switchAt: r.switchAt, note: r.note ?? '' } : {}),
});

/** Install the handle; `state()` copies, so callers cannot change the store. */
export function installAutomation(store: LabStore, ready: Promise<void>, debug?: LabDebug): ReparamLabHandle {
  const handle: ReparamLabHandle = {
    ready,
    ...(debug ? { debug: Object.freeze({ ...debug }) } : {}),
    state: () => {
      const s = store.getState();
      return structuredClone({
        experiment: s.experiment,
        backend: s.backend?.name ?? null,
        backendChoice: s.backend
          ? {
              requested: s.backend.requested,
              reason: s.backend.reason ?? null,
              notes: s.backend.notes,
              measurements: s.backend.measurements ?? [],
            }
          : null,
        step: s.step,
        playState: s.playState,
        runs: s.runs.map((r) => ({
          ...identity(r),
          theta: traj.toRows(r.theta),
          ...(r.phi ? { phi: traj.toRows(r.phi) } : {}),
          loss: r.loss,
          status: r.status,
          divergedAt: r.divergedAt,
          ...(r.cg ? { cg: r.cg } : {}),
        })),
        defects: Object.entries(s.defects).map(([k, d]) => ({
          optimizer: Number(k),
          id: `${s.experiment?.optimizers[Number(k)]?.id ?? '?'}-${k}`,
          parameter: maxDistance(d.parameter),
          function: maxDistance(d.function),
        })),
        sweep: s.sweep,
        table: s.table,
        metrics: s.metrics,
        reports: s.reports,
        geometry: geometryStore.getState().drawn,
      });
    },
    progress: () => {
      const s = store.getState();
      return structuredClone({
        experiment: s.experiment,
        backend: s.backend?.name ?? null,
        step: s.step,
        playState: s.playState,
        runs: s.runs.map((r) => ({
          ...identity(r),
          points: r.theta.length,
          start: traj.toRows(r.theta, 0, 1)[0] ?? [],
          status: r.status,
          divergedAt: r.divergedAt,
        })),
        sweep: s.sweep,
        table: s.table,
      });
    },
  };
  Object.defineProperty(window, 'reparamLab', {
    value: Object.freeze(handle),
    configurable: false,
    writable: false,
  });
  return handle;
}
