/**
 * The typed contract between the page and the worker (types only). The page calls the
 * worker through comlink (`WorkerApi`); the worker reports through one callback with a
 * discriminated union of events. Numeric telemetry travels as typed arrays, transferred
 * (not copied), batched per animation frame, and carries only what is new (deltas).
 */
import type { LossGrid } from '../engine/landscape/grid';
import type { RunSpace, RunStatus, Space } from '../engine/experiment';
import type { SliceKind } from '../engine/landscape/slice';
import type { SweepResult } from '../engine/measure/sweep';
import type { NaturalityTable } from '../engine/measure/naturality-table';
import type { GeometryReply, GeometryRequest } from './geometry';

import type { BackendName } from '../engine/backend-names';
import type { Experiment } from '../engine/schema';

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

/** Benchmark hook request: batched gd runs of the benchmark network (2-16-16-1 tanh MLP) on the running backend. */
export interface BenchRequest {
  runs: number[];
  rounds: number;
  /** Target length of one round per run count, ms. */
  targetMs: number;
}

/** Benchmark hook reply: run-steps per second per run count (medians over the rounds). */
export interface BenchReply {
  backend: BackendName;
  rows: { runs: number; runStepsPerSec: number; reps: number[]; stepsPerRep: number }[];
}

/** Static facts about one run, sent once per load. */
export interface RunInfo {
  id: string;
  optimizer: number;
  space: RunSpace;
  /** Switch runs: the step k of the change θ → φ, and what it did to the optimizer state. */
  switchAt?: number;
  note?: string;
}

/** What a load reports: the problem's shape for the plots, or why it failed. */
export type LoadReply = LoadedInfo | { ok: false; error: string };

/** A loaded experiment: sent as a `loaded` event before any of its telemetry. */
export interface LoadedInfo {
  ok: true;
  /** The experiment as the engine validated it (every default filled in). */
  experiment: Experiment;
  runs: RunInfo[];
  paramNames: string[];
  /** Plot windows in θ and (for paired runs) in φ. */
  windows: { theta: LossGrid['window']; phi: LossGrid['window'] | null };
  /**
   * Networks (P > 2): the θ plot is a 2-D slice c + a·d1 + b·d2 through the start point;
   * `windows.theta` is then a window in (a, b) and runs carry projected points.
   */
  slice?: SliceInfo | null;
  /**
   * A load with `LoadOptions.resume`: the checkpoint step it continued from, or why the
   * checkpoint was refused (the runs were then replayed from step 0).
   */
  resumed?: { at: number } | { refused: string };
}

/** What the page needs to label a slice plot (the directions themselves stay in the worker). */
export interface SliceInfo {
  kind: SliceKind;
  /** e.g. "random filter-normalized directions". */
  label: string;
  /** PCA slices: the fraction of the runs' Σ‖θ_k − θ₀‖² that lies in the plane (0 … 1). */
  explained?: number;
}

/** The φ plot's overlay for a 2-parameter map (computed by worker/phi-geometry.ts). */
export interface PhiGeometry {
  /**
   * Polylines in φ: the images under f⁻¹ of vertical then horizontal lines of a regular θ
   * grid. A line that leaves the image of f is split there (each piece has ≥ 2 points).
   */
  lines: number[][][];
  /** Grid points per side of `detJ`. */
  n: number;
  /** The φ window `detJ` covers. */
  window: LossGrid['window'];
  /**
   * det J_f(φ) at the φ grid points, row-major like `LossGrid.values` (value at (x_i, y_j)
   * is detJ[j·n + i]); NaN where J cannot be formed or is not finite.
   */
  detJ: Float32Array;
}

/** New points of one run since the previous telemetry event. */
export interface RunDelta {
  id: string;
  /** Index of the first new point in the run's arrays. */
  from: number;
  /** New θ points, flattened (count × P). */
  theta: Float64Array;
  /**
   * New φ points, flattened (count × Q of the telemetry event): φ-runs; and switch runs
   * where the φ plot exists (P = Q = 2), NaN before their switch step (worker/run-deltas.ts).
   */
  phi: Float64Array | null;
  /** Loss at each new point (the first event also carries the loss at step 0). */
  loss: Float64Array;
  lossFrom: number;
  status: RunStatus;
  divergedAt: number | null;
  /** Why the run stopped, in plain words, when the engine knows (a failed switch: RunResult.failure). */
  failure?: string;
  /** Slice plots only: (a, b) of each new θ point projected onto the slice, flattened (count × 2). */
  slice?: Float64Array;
  /** Slice plots only: each new point's distance from the slice plane relative to ‖θ − c‖, in [0, 1]. */
  sliceError?: Float64Array;
}

/** Every θ point of one run projected onto a new slice (replaces what the page holds). */
export interface SliceRunPoints {
  id: string;
  /** (a, b) of each θ point from step 0, flattened (count × 2). */
  slice: Float64Array;
  /** Each point's distance from the plane relative to ‖θ − c‖, in [0, 1]. */
  sliceError: Float64Array;
}

/** New per-step naturality distances of one θ/φ pair (docs/theory.md §1). */
export interface DefectDelta {
  optimizer: number;
  /** Step of the first new value. */
  from: number;
  /** ‖θ̃_k − θ_k‖ / max(1, ‖θ_0‖) per step. */
  parameter: Float64Array;
  /** RMS over the data of h(θ̃_k) − h(θ_k) per step. */
  function: Float64Array;
}

/**
 * New per-step implied-metric and Fisher values of one run (docs/theory.md §5), in the run's own
 * coordinates. Sent only for problems with P ≤ 50 (engine/measure/step-metrics.ts).
 */
export interface MetricDelta {
  /** Run id. */
  id: string;
  /** Step of the first new κ*. */
  kappaFrom: number;
  /** κ* of step k → k+1; NaN: not a descent step (no metric, no number). */
  kappa: Float64Array;
  /** Step of the first new condition number. */
  condFrom: number;
  /** κ(F) at point k; Infinity: singular; NaN: not sampled (many steps per frame) or could not be formed. */
  cond: Float64Array;
}

/**
 * New docs/theory.md §6 report points of one run (matrix-completion, sparse-regression only;
 * worker/reports.ts): test error at sampled steps and the spectrum at the newest point.
 */
export interface RunReport {
  id: string;
  /** Steps of the new error values (every 10th plus the newest), increasing. */
  steps: number[];
  /** Test error at each step: relative unobserved-entry error, or 1 − test accuracy. */
  error: number[];
  /** Singular values of W, or sorted |w|, at the newest point; largest first. */
  spectrum: number[];
  /** `digits` only (worker/reports.ts): test loss at the same steps, and the newest point's predictions. */
  digits?: DigitsReport;
}

/** A `digits` run's test-set view (engine/problems/digits-report.ts). */
export interface DigitsReport {
  /** Test loss (mean cross-entropy) at each of the report's steps. */
  testLoss: number[];
  /** Confusion counts [label][predicted] at the newest point, row-major C×C. */
  confusion: number[];
  /** Predicted class of each strip image at the newest point. */
  predicted: number[];
  /** The strip's test images (pixels 0..1, 8×8 row by row) and labels; sent with a run's first report. */
  strip?: { pixels: number[][]; labels: number[] };
}

/** Where a long analysis (sweep, naturality table) stands. */
export type AnalysisStatus = 'running' | 'done' | 'cancelled' | 'error';

/** Progress or outcome of one analysis request; `id` counts the requests of that kind. */
export interface AnalysisEvent<R> {
  id: number;
  status: AnalysisStatus;
  /** Fraction done, 0 … 1. */
  progress: number;
  /** With status 'done'. */
  result?: R;
  /** Why it stopped (status 'cancelled' or 'error'). */
  message?: string;
}

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

export type PlayState = 'idle' | 'playing' | 'paused' | 'done';

export type WorkerEvent =
  | { type: 'loaded'; info: LoadedInfo }
  /** Only the view settings changed: same runs, new experiment object and windows. */
  | { type: 'view'; info: LoadedInfo }
  | {
      type: 'telemetry';
      step: number;
      /** Numbers per θ point. */
      P: number;
      /** Numbers per φ point: P, or more under `weight-norm` (a gain per unit). */
      Q: number;
      runs: RunDelta[];
      defects: DefectDelta[];
      /** κ* and κ(F) per step (P ≤ 50 only). */
      metrics?: MetricDelta[];
      /** A checkpoint at `step`, when one is due (see the `checkpoint` event). */
      checkpoint?: PackedCheckpoint;
    }
  /** docs/theory.md §6 reports (matrix-completion, sparse-regression): appended per run. */
  | { type: 'report'; runs: RunReport[] }
  | ({ type: 'sweep' } & AnalysisEvent<SweepResult>)
  | ({ type: 'table' } & AnalysisEvent<NaturalityTable>)
  | { type: 'landscape'; space: Space; grid: LossGrid }
  /** The φ plot's overlay (sent after the φ landscape): θ grid lines in φ and det J_f. */
  | ({ type: 'phi-geometry' } & PhiGeometry)
  /** A landscape grid in the making: fraction of its rows done (the grid follows as `landscape`). */
  | { type: 'landscape-progress'; space: Space; fraction: number }
  /**
   * Networks: the θ slice changed (e.g. refitted to the runs' principal directions when they
   * stop): the page replaces — not appends — every run's projected points and errors and the
   * θ window; the new slice's grid follows as `landscape`.
   */
  | { type: 'slice-reprojected'; slice: SliceInfo; window: LossGrid['window']; runs: SliceRunPoints[] }
  /**
   * `mlp` classification: each run's decision regions at its latest point on an n×n grid
   * over `window` (worker/decision.ts); values row-major as `LossGrid.values`: P(class 1)
   * for two classes, else the argmax class. The first event of a load adds the training
   * points (flattened [N, 2]) and labels.
   */
  | {
      type: 'decision';
      window: LossGrid['window'];
      n: number;
      points?: Float32Array;
      labels?: Int32Array;
      runs: { id: string; values: Float32Array }[];
    }
  | { type: 'play-state'; state: PlayState; step: number }
  /**
   * The runs' state at `checkpoint.step`, sent at most every ~0.2 s while playing (less
   * often when taking it is slow: run-loop.ts) and when they stop: inside the telemetry
   * event of that step, or alone when there are no new points. The page keeps the latest
   * and hands it back on a restore (`LoadOptions.resume`); it never looks inside.
   */
  | { type: 'checkpoint'; checkpoint: PackedCheckpoint }
  | { type: 'error'; message: string }
  /**
   * The automatic backend choice was made again (a loaded experiment of another size class,
   * worker/backend-fit.ts): the backend now running and why. Sent before that load's `loaded`.
   */
  | { type: 'backend'; info: BackendInfo }
  /** The GPU under the backend is gone (WebGPU `device.lost`, WebGL `webglcontextlost`). */
  | { type: 'device-lost'; backend: BackendName; message: string };

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
   * does not fit the experiment or the trajectories; `LoadedInfo.resumed` tells which.
   */
  resume?: ResumeData;
}

/**
 * A session checkpoint (engine/checkpoint.ts, packed by worker/checkpoint-codec.ts): a
 * small JSON skeleton and all its numbers in one array. Opaque to the page.
 */
export interface PackedCheckpoint {
  /** The step it was taken at. */
  step: number;
  json: string;
  numbers: Float64Array;
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

/** The worker's tfjs memory (a debug query; the soak samples it). */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** The worker's API as the page sees it (every call is async across the boundary). */
export interface WorkerApi {
  /** Start tfjs on the requested backend (or the automatic choice). */
  init(request: BackendRequest, options?: InitOptions): Promise<BackendInfo>;
  /** Register the single event listener. */
  listen(cb: (event: WorkerEvent) => void): void;
  /** Validate and load an experiment; previous runs are disposed only if this one is valid. */
  load(experiment: unknown, options?: LoadOptions): Promise<LoadReply>;
  play(): void;
  pause(): void;
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
  /** Debug: tf.memory() of the worker. */
  memory(): Promise<MemoryInfo>;
  /** Benchmark hook (bench/browser.ts): time batched gd runs on the running backend; pause first. */
  bench(request: BenchRequest): Promise<BenchReply>;
  /** Test hook: lose the GPU device (WebGPU destroy, WebGL loseContext); false on cpu/wasm. */
  simulateDeviceLoss(): Promise<boolean>;
  /** Test hook: the worker closes itself and throws (an uncaught error), i.e. it dies. */
  crash(): void;
  /**
   * The page's hang watchdog (client/watchdog.ts): answered whenever the worker's event
   * loop is free; carries the slowest single step so far, so slow problems get more time.
   */
  ping(): Promise<PingReply>;
  /** Test hook: the worker hangs (an endless loop) but stays alive: no error, no answers. */
  hang(): void;
}

/** The worker's answer to a ping. */
export interface PingReply {
  /** The longest single engine step (ms) of the loaded experiment, 0 before the first. */
  slowestStepMs: number;
}

/** A point pushed through the loaded map, or why it cannot be. */
export type PushForwardReply = { ok: true; theta: number[] } | { ok: false; error: string };
