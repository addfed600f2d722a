/**
 * The page's zustand store (vanilla, so non-React code — the client, the automation
 * handle, the d3 plots — reads it directly). Telemetry appends to the run arrays in
 * place and bumps `frame` (once per batch: `applyTelemetry`); plots subscribe to `frame`
 * transiently instead of re-rendering React on every step.
 */
import { createStore } from 'zustand/vanilla';
import type {
  Experiment,
  LossGrid,
  Window,
  RunSpace,
  RunStatus,
  SweepResult,
  NaturalityTable,
} from '../engine/page';
import type {
  BackendInfo,
  PhiGeometry,
  PlayState,
  RunInfo,
  SliceInfo,
  WorkerEvent,
} from '../protocol/messages';
import { appendMetrics, applyAnalysis, carryAnalysis, type AnalysisView, type RunMetrics } from './analyses';

export interface RunView {
  id: string;
  optimizer: number;
  space: RunSpace;
  /** Switch runs: the step k of the change θ → φ, and what it did to the optimizer state. */
  switchAt?: number;
  note?: string;
  /** θ points so far (φ-runs: pushed forward). Appended in place. */
  theta: number[][];
  /** φ points (φ-runs; switch runs where the φ plot exists, NaN rows before their switch step). */
  phi: number[][] | null;
  loss: number[];
  status: RunStatus;
  divergedAt: number | null;
  /** Why the run stopped, in plain words, when the engine knows (a failed switch). */
  failure?: string;
  /** Slice plots (P > 2): each θ point's (a, b) on the slice and its relative distance from it. */
  slice: number[][];
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

export interface Message {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** Technical detail, shown behind a "details" toggle. */
  detail?: string;
}

export interface LabState {
  experiment: Experiment | null;
  backend: BackendInfo | null;
  playState: PlayState;
  step: number;
  runs: RunView[];
  paramNames: string[];
  windows: { theta: Window; phi: Window | null } | null;
  landscapes: { theta: LossGrid | null; phi: LossGrid | null };
  /** The φ plot's overlay (θ grid lines in φ, det J_f), or null (none yet, or no φ plot). */
  phiGeometry: PhiGeometry | null;
  /** Fraction done of a landscape grid being computed, or null (done / none). */
  landscapeProgress: { theta: number | null; phi: number | null };
  /** Networks (P > 2): the θ plot is this 2-D slice; `windows.theta` is in its (a, b). */
  slice: SliceInfo | null;
  /** Largest relative distance of any run's point from the slice so far (0 … 1). */
  sliceError: number;
  messages: Message[];
  /** Per-step naturality distances by optimizer index (pairs only). D_K is their running max. */
  defects: Record<number, { parameter: number[]; function: number[] }>;
  /** Timeline position: the step the plots show, or null for the latest. View-only. */
  cursor: number | null;
  /** κ* per step and κ(F) per point by run id (P ≤ 50 only, docs/theory.md §5). */
  metrics: Record<string, RunMetrics>;
  /** The learning-rate sweep (docs/theory.md §4) and the naturality table (§3), computed on request. */
  sweep: AnalysisView<SweepResult> | null;
  table: AnalysisView<NaturalityTable> | null;
  /**
   * `mlp` classification (worker/decision.ts): the latest decision-region grids by run id
   * and the training points/labels; null for other problems or before the first event.
   */
  decision: {
    window: Window;
    n: number;
    points: Float32Array;
    labels: Int32Array;
    runs: Record<string, Float32Array>;
  } | null;
  /**
   * docs/theory.md §6 reports by run id (matrix-completion, sparse-regression, digits;
   * worker/reports.ts). Appended in place: `reportsVersion` is bumped with every change.
   */
  reports: Record<string, RunReportView>;
  /** Bumped when `reports` change (a report arrived, or a load cleared them). */
  reportsVersion: number;
  /** Bumped whenever run arrays grow (transient subscriptions key on it). */
  frame: number;
  /**
   * The scene on screen (its id in state/scenes.ts), or null. It stays through view-only
   * changes and through edits (the caption then says "modified"); opening another scene
   * replaces it.
   */
  scene: string | null;
  /** Panels a caption action asked to show even in presentation mode ('sweep', 'table', 'metrics'). */
  revealed: readonly string[];
}

export interface LabActions {
  setBackend(info: BackendInfo): void;
  apply(event: WorkerEvent): void;
  /**
   * Several telemetry events at once (the client coalesces them per animation frame):
   * appended in order, then one store update, so subscribers wake once.
   */
  applyTelemetry(events: readonly TelemetryEvent[]): void;
  notify(level: Message['level'], text: string, detail?: string): void;
  setCursor(step: number | null): void;
  dismiss(id: number): void;
  setScene(id: string | null): void;
  reveal(panel: string): void;
}

export type LabStore = ReturnType<typeof createLabStore>;

const emptyRun = (info: RunInfo): RunView => ({
  ...info,
  theta: [],
  phi: info.space === 'phi' || info.space === 'switch' ? [] : null,
  loss: [],
  status: 'ok',
  divergedAt: null,
  slice: [],
  sliceError: [],
});

/** Split a flat array into points of P coordinates. */
function points(flat: Float64Array, P: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i + P <= flat.length; i += P) out.push(Array.from(flat.subarray(i, i + P)));
  return out;
}

type TelemetryEvent = Extract<WorkerEvent, { type: 'telemetry' }>;

/** Append one telemetry delta to the run arrays, defects and metrics in place; returns the new largest slice error. */
function appendTelemetry(state: LabState, event: TelemetryEvent, sliceErrorIn: number): number {
  const byId = new Map(state.runs.map((r) => [r.id, r]));
  let sliceError = sliceErrorIn;
  for (const d of event.runs) {
    const run = byId.get(d.id);
    if (!run) continue;
    if (d.slice && d.sliceError) {
      run.slice.length = d.from;
      run.slice.push(...points(d.slice, 2));
      run.sliceError.length = d.from;
      run.sliceError.push(...d.sliceError);
      for (const e of d.sliceError) if (e > sliceError) sliceError = e;
    }
    run.theta.length = d.from;
    run.theta.push(...points(d.theta, event.P));
    if (run.phi && d.phi) {
      run.phi.length = d.from;
      run.phi.push(...points(d.phi, event.Q));
    }
    run.loss.length = d.lossFrom;
    run.loss.push(...d.loss);
    run.status = d.status;
    run.divergedAt = d.divergedAt;
    if (d.failure !== undefined) run.failure = d.failure;
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

let nextMessage = 1;

export function createLabStore() {
  return createStore<LabState & LabActions>()((set, get) => ({
    experiment: null,
    backend: null,
    playState: 'idle',
    step: 0,
    runs: [],
    paramNames: [],
    windows: null,
    landscapes: { theta: null, phi: null },
    phiGeometry: null,
    landscapeProgress: { theta: null, phi: null },
    slice: null,
    sliceError: 0,
    messages: [],
    defects: {},
    frame: 0,
    cursor: null,
    metrics: {},
    reports: {},
    reportsVersion: 0,
    sweep: null,
    table: null,
    decision: null,
    scene: null,
    revealed: [],
    setScene: (scene) => set({ scene, ...(scene !== get().scene ? { revealed: [] } : {}) }),
    reveal: (panel) => {
      if (!get().revealed.includes(panel)) set({ revealed: [...get().revealed, panel] });
    },
    setCursor: (cursor) => set({ cursor, frame: get().frame + 1 }),
    setBackend: (backend) => set({ backend }),
    applyTelemetry: (events) => {
      const last = events[events.length - 1];
      if (!last) return;
      const state = get();
      let sliceError = state.sliceError;
      for (const e of events) sliceError = appendTelemetry(state, e, sliceError);
      set({
        step: last.step,
        frame: state.frame + 1,
        ...(sliceError !== state.sliceError ? { sliceError } : {}),
      });
    },
    apply: (event) => {
      switch (event.type) {
        case 'loaded': {
          const reply = event.info;
          set({
            experiment: reply.experiment,
            runs: reply.runs.map(emptyRun),
            paramNames: reply.paramNames,
            windows: reply.windows,
            landscapes: { theta: null, phi: null },
            phiGeometry: null,
            landscapeProgress: { theta: null, phi: null },
            slice: reply.slice ?? null,
            sliceError: 0,
            defects: {},
            cursor: null,
            metrics: {},
            reports: {},
            reportsVersion: get().reportsVersion + 1,
            sweep: carryAnalysis(get().sweep, get().experiment, reply.experiment),
            table: carryAnalysis(get().table, get().experiment, reply.experiment),
            step: 0,
            decision: null,
            frame: get().frame + 1,
          });
          return;
        }
        case 'decision': {
          const prev = get().decision;
          const runs = Object.fromEntries(event.runs.map((r) => [r.id, r.values]));
          // The same window object while it does not move: the heatmaps key their redraws on it.
          const same = prev !== null && String(prev.window) === String(event.window);
          set({
            decision: {
              window: same ? prev.window : event.window,
              n: event.n,
              points: event.points ?? prev?.points ?? new Float32Array(0),
              labels: event.labels ?? prev?.labels ?? new Int32Array(0),
              runs: { ...prev?.runs, ...runs },
            },
          });
          return;
        }
        case 'view':
          set({ experiment: event.info.experiment, windows: event.info.windows });
          return;
        case 'telemetry':
          get().applyTelemetry([event]);
          return;
        case 'slice-reprojected': {
          // A new slice: every projected point is replaced (not appended), the old grid dropped.
          const byId = new Map(event.runs.map((d) => [d.id, d]));
          let sliceError = 0;
          for (const run of get().runs) {
            const d = byId.get(run.id);
            if (!d) continue;
            run.slice = points(d.slice, 2);
            run.sliceError = Array.from(d.sliceError);
            for (const e of d.sliceError) if (e > sliceError) sliceError = e;
          }
          const windows = get().windows;
          set({
            slice: event.slice,
            sliceError,
            windows: windows ? { ...windows, theta: event.window } : windows,
            landscapes: { ...get().landscapes, theta: null },
            frame: get().frame + 1,
          });
          return;
        }
        case 'report': {
          const reports = get().reports;
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
          set({ frame: get().frame + 1, reportsVersion: get().reportsVersion + 1 });
          return;
        }
        case 'sweep':
          set({ sweep: applyAnalysis(get().sweep, event) });
          return;
        case 'table':
          set({ table: applyAnalysis(get().table, event) });
          return;
        case 'landscape':
          set({
            landscapes: { ...get().landscapes, [event.space]: event.grid },
            landscapeProgress: { ...get().landscapeProgress, [event.space]: null },
          });
          return;
        case 'phi-geometry': {
          const { type: _type, ...geometry } = event;
          set({ phiGeometry: geometry });
          return;
        }
        case 'landscape-progress':
          set({ landscapeProgress: { ...get().landscapeProgress, [event.space]: event.fraction } });
          return;
        case 'play-state':
          set({ playState: event.state, step: event.step });
          return;
        case 'error':
          get().notify('error', event.message);
          return;
        case 'backend':
          // The automatic choice made again for an experiment of another size: the header follows.
          set({ backend: event.info });
          return;
      }
    },
    notify: (level, text, detail) =>
      set({
        messages: [...get().messages, { id: nextMessage++, level, text, ...(detail ? { detail } : {}) }],
      }),
    dismiss: (id) => set({ messages: get().messages.filter((m) => m.id !== id) }),
  }));
}
