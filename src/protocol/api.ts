/**
 * The worker's API as the page calls it through comlink (types only): requests, options and
 * replies. What a call changes reaches the page as events (events.ts), in order with the
 * telemetry; a reply only says whether the call was taken (and what only its caller needs).
 *
 * Where a change goes: new runs (problem, map, optimizers, start, steps, seed) → `load`;
 * view settings only (window, grid, speed, slice directions, overlays) → `setView`, the runs
 * go on; step 0 again → `reset`.
 */
import type { BackendName } from '../engine/backend-names';
import type { GeometryReply, GeometryRequest } from './geometry';
import type { WorkerDebugApi } from './debug';
import type { AnalysisStatus, MetricDelta, PackedCheckpoint, WorkerEvent } from './events';

export type { BackendName };
export type BackendRequest = BackendName | 'auto';

/** Which backend runs, and how it was chosen (fallbacks, skipped adapters). */
export interface BackendInfo {
  name: BackendName;
  requested: BackendRequest;
  /** Human-readable notes, e.g. "webgpu: software adapter, preferring wasm". */
  notes: string[];
  /**
   * The automatic choice's warm-up: each candidate backend in the order tried, with its median
   * time per step or why it was not measured. Absent when the backend was forced.
   */
  measurements?: BackendMeasurement[];
  /** Why this backend, in words, e.g. "wasm chosen: 1.2 ms/step vs cpu 8.3 ms/step". */
  reason?: string;
  /** What the warm-up timed: the user's experiment ("digits, P = 2,410") or the fixed benchmark network. */
  workload?: string;
}

/** One backend in the automatic choice's warm-up. */
export interface BackendMeasurement {
  backend: BackendName;
  /** measured: msPerStep is set; skipped: software GPU or out of time; unavailable: could not start. */
  status: 'measured' | 'skipped' | 'unavailable';
  /** Median milliseconds per step of the warm-up workload (measured only). */
  msPerStep?: number;
  /** Timed steps behind the median. */
  steps?: number;
  /** Why it was skipped or unavailable. */
  note?: string;
}

/** A call that changes the worker's state: taken, or why not (nothing changed then). */
export type Reply = { ok: true } | { ok: false; error: string };

/**
 * What a load replies: whether it loaded and, for a `LoadOptions.resume`, the outcome. What
 * loaded (runs, windows, slice) comes only as the `loaded` event (events.ts `LoadedInfo`).
 */
export type LoadReply = { ok: true; resumed?: ResumeOutcome } | { ok: false; error: string };

/**
 * A load with `LoadOptions.resume`: the checkpoint step it continued from, or why the
 * checkpoint was refused (the runs were then replayed from step 0).
 */
export type ResumeOutcome = { at: number } | { refused: string };

/** What `setView` replies; the new windows come as the `view` event. */
export type ViewReply = Reply;

/** The "defect vs learning rate" sweep (docs/theory.md §4): η = horizon / K for each K in divisors. */
export interface SweepRequest {
  horizon?: number;
  divisors?: number[];
}

/** The live naturality table (docs/theory.md §3): K steps per cell. */
export interface TableRequest {
  steps?: number;
}

/** How an analysis request ended. */
export interface AnalysisReply {
  status: Exclude<AnalysisStatus, 'running'>;
  message?: string;
}

/** Options of `init`. */
export interface InitOptions {
  /** The GPU of this backend was lost: choose automatically among the backends after it. */
  after?: BackendName;
  /**
   * The experiment the page is about to load: the automatic choice times a few steps of it
   * (worker/backend.ts) rather than the fixed benchmark network. Ignored when invalid.
   */
  experiment?: unknown;
}

/** Options of `load`. */
export interface LoadOptions {
  /** Start the runs again even when only view settings differ (reset). */
  restart?: boolean;
  /**
   * Advance the new session to this step before reporting it (one telemetry event). Used to
   * restore a run after a worker restart: the engine is deterministic, so replaying the
   * steps gives the same trajectories on the same backend.
   */
  advanceTo?: number;
  /**
   * Continue from a checkpoint with the trajectories the page already has, replaying only
   * the steps after it up to `advanceTo`. Ignored (a replay from step 0 instead) when it
   * does not fit the experiment or the trajectories; `LoadReply.resumed` tells which.
   */
  resume?: ResumeData;
}

/** A checkpoint with every run's recorded points (flattened as in `RunDelta`, from step 0). */
export interface ResumeData {
  checkpoint: PackedCheckpoint;
  /** Numbers per θ point and per φ point. */
  P: number;
  Q: number;
  runs: { id: string; theta: Float64Array; phi: Float64Array | null; loss: Float64Array }[];
  /** The page's κ* / κ(F) series (from step 0): carried over, so only new points are computed. */
  metrics?: MetricDelta[];
}

/** The worker's API as the page sees it (every call is async across the boundary). */
export interface WorkerApi extends WorkerDebugApi {
  /** Start tfjs on the requested backend (or the automatic choice). */
  init(request: BackendRequest, options?: InitOptions): Promise<BackendInfo>;
  /** Register the single event listener. */
  listen(cb: (event: WorkerEvent) => void): void;
  /**
   * The backend in force was started forced (a restart replays the same numbers on it) but
   * was an automatic choice among `candidates` on an earlier worker: keep it, fitted to
   * `experiment`'s size class, so that a later load of another class chooses again.
   */
  adoptChoice(experiment: unknown, candidates: BackendName[]): Promise<void>;
  /** Validate and load an experiment; previous runs are disposed only if this one is valid. */
  load(experiment: unknown, options?: LoadOptions): Promise<LoadReply>;
  play(): void;
  pause(): void;
  /**
   * New view settings (the whole `Experiment['view']`) for the loaded runs, validated with
   * them; the runs go on untouched. The page gets a `view` event, and new landscapes if the
   * window, grid or slice directions changed.
   */
  setView(view: unknown): Promise<ViewReply>;
  /** Advance one step (pauses first). */
  step(): Promise<void>;
  /** Back to step 0 of the current experiment. */
  reset(): Promise<void>;
  /** θ = f(φ) through the loaded map (a start point dropped on the φ plot). */
  pushForward(phi: number[]): Promise<PushForwardReply>;
  /** The geometry overlay's numbers (protocol/geometry.ts): Fisher, gradients, implied metrics at points. */
  geometry(request: GeometryRequest): Promise<GeometryReply>;
  /** Run the learning-rate sweep on the current experiment; progress comes as `sweep` events. */
  sweep(request: SweepRequest): Promise<AnalysisReply>;
  /** Compute the naturality table for the current experiment; progress comes as `table` events. */
  naturalityTable(request: TableRequest): Promise<AnalysisReply>;
}

/** A point pushed through the loaded map, or why it cannot be. */
export type PushForwardReply = { ok: true; theta: number[] } | { ok: false; error: string };
