/**
 * The typed contract between the page and the worker (types only). The page calls the
 * worker through comlink (`WorkerApi`); the worker reports through one callback with a
 * discriminated union of events. Numeric telemetry travels as typed arrays, transferred
 * (not copied), batched per animation frame, and carries only what is new (deltas).
 */
import type { LossGrid } from '../engine/landscape/grid';
import type { RunStatus, Space } from '../engine/experiment';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const backendNames: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
export type BackendRequest = BackendName | 'auto';

/** Which backend runs, and how it was chosen (fallbacks, skipped adapters). */
export interface BackendInfo {
  name: BackendName;
  requested: BackendRequest;
  /** Human-readable notes, e.g. "webgpu: software adapter, preferring wasm". */
  notes: string[];
}

/** Static facts about one run, sent once per load. */
export interface RunInfo {
  id: string;
  optimizer: number;
  space: Space;
}

/** What a load reports: the problem's shape for the plots, or why it failed. */
export type LoadReply = LoadedInfo | { ok: false; error: string };

/** A loaded experiment: sent as a `loaded` event before any of its telemetry. */
export interface LoadedInfo {
  ok: true;
  experiment: unknown;
  runs: RunInfo[];
  paramNames: string[];
  /** Plot windows in θ and (for paired runs) in φ. */
  windows: { theta: LossGrid['window']; phi: LossGrid['window'] | null };
}

/** New points of one run since the previous telemetry event. */
export interface RunDelta {
  id: string;
  /** Index of the first new point in the run's arrays. */
  from: number;
  /** New θ points, flattened (count × P). */
  theta: Float64Array;
  /** New φ points (φ-runs only), flattened. */
  phi: Float64Array | null;
  /** Loss at each new point (the first event also carries the loss at step 0). */
  loss: Float64Array;
  lossFrom: number;
  status: RunStatus;
  divergedAt: number | null;
}

/** New per-step naturality distances of one θ/φ pair (THEORY §1). */
export interface DefectDelta {
  optimizer: number;
  /** Step of the first new value. */
  from: number;
  /** ‖θ̃_k − θ_k‖ / max(1, ‖θ_0‖) per step. */
  parameter: Float64Array;
  /** RMS over the data of h(θ̃_k) − h(θ_k) per step. */
  function: Float64Array;
}

export type PlayState = 'idle' | 'playing' | 'paused' | 'done';

export type WorkerEvent =
  | { type: 'loaded'; info: LoadedInfo }
  | { type: 'telemetry'; step: number; P: number; runs: RunDelta[]; defects: DefectDelta[] }
  | { type: 'landscape'; space: Space; grid: LossGrid }
  | { type: 'play-state'; state: PlayState; step: number }
  | { type: 'error'; message: string };

/** The worker's API as the page sees it (every call is async across the boundary). */
export interface WorkerApi {
  /** Start tfjs on the requested backend (or the automatic choice). */
  init(request: BackendRequest): Promise<BackendInfo>;
  /** Register the single event listener. */
  listen(cb: (event: WorkerEvent) => void): void;
  /** Validate and load an experiment; previous runs are disposed only if this one is valid. */
  load(experiment: unknown): Promise<LoadReply>;
  play(): void;
  pause(): void;
  /** Advance one step (pauses first). */
  step(): Promise<void>;
  /** Back to step 0 of the current experiment. */
  reset(): Promise<void>;
}
