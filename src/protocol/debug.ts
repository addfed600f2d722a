/**
 * The worker's debug queries and test hooks (types only): the benchmark, tf.memory(), the
 * watchdog's ping, and the faults the browser tests cause on purpose (docs/reliability.md).
 */
import type { BackendName } from '../engine/backend-names';

/** Benchmark hook request: batched gd runs of the benchmark network (2-16-16-1 tanh MLP) on the running backend, and optionally the digits problem. */
export interface BenchRequest {
  runs: number[];
  rounds: number;
  /** Target length of one round per run count, ms. */
  targetMs: number;
  /** Also time the digits problem: this many 64×64 slice grids and single gd steps (worker/step-timing.ts). */
  digits?: { slices: number; steps: number };
}

/** Benchmark hook reply: run-steps per second per run count (medians over the rounds). */
export interface BenchReply {
  backend: BackendName;
  rows: { runs: number; runStepsPerSec: number; reps: number[]; stepsPerRep: number }[];
  /** When requested: wall ms of each digits slice grid and gd step. */
  digits?: { sliceMs: number[]; stepMs: number[] };
}

/** The worker's tfjs memory (a debug query; the soak samples it). */
export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** The worker API's debug queries and test hooks (part of `WorkerApi`). */
export interface WorkerDebugApi {
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
