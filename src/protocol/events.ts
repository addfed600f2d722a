/**
 * What the worker emits (types only): one callback, `WorkerApi.listen`, receives every
 * event in the order the worker sent it. Numeric telemetry travels as typed arrays,
 * transferred (not copied), batched per animation frame, and carries only what is new
 * (deltas). The page's store applies them (state/store.ts).
 */
import type { LossGrid } from '../engine/landscape/grid';
import type { RunStatus, Space } from '../engine/experiment';
import type { RunIdentity } from '../engine/run';
import type { CgReport } from '../engine/linalg/solve';
import type { SliceKind } from '../engine/landscape/slice';
import type { SweepResult } from '../engine/measure/sweep';
import type { NaturalityTable } from '../engine/measure/naturality-table';
import type { BackendName } from '../engine/backend-names';
import type { Experiment } from '../engine/schema';
import type { BackendInfo } from './api';

/** Static facts about one run, sent once per load (engine/run.ts). */
export type RunInfo = RunIdentity;

/**
 * A loaded experiment, as the `loaded` event carries it (and, with new view settings and
 * windows, the `view` event). The page's only source for it: the load's reply arrives after
 * the replay's telemetry (`LoadOptions.advanceTo`), the event before any, in the order of
 * the listener's channel, so the page resets its runs before the new ones' points arrive.
 */
export interface LoadedInfo {
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
  /** Exact methods solving by CG: the latest step's iterations and relative residual. */
  cg?: CgReport;
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

export type PlayState = 'idle' | 'playing' | 'paused' | 'done';

export type WorkerEvent =
  | { type: 'loaded'; info: LoadedInfo }
  /** Only the view settings changed (`setView`, or a load of the same runs): same runs, new experiment and windows. */
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
   * often when taking it is slow: worker/checkpoints.ts) and when they stop: inside the telemetry
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
