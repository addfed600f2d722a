/**
 * Timing `gd` steps of the benchmark network on the running tfjs backend, through the real
 * session (createSession + advance, the per-step loss readback included). Used twice: the
 * automatic backend choice times a short warm-up on each candidate (worker/backend.ts), and
 * the browser benchmark's hook times 1/4/16/64 batched runs and the digits problem's slice
 * grid and gd step (docs/performance.md). No messaging here.
 */
import {
  createSession,
  type Session,
  type Experiment,
  batchExperiment,
  benchMlp,
  sliceGrid,
} from '../engine';
import { sliceViewFor, sliceWindow } from './slice-landscape';

/** An experiment of `runs` identical gd runs (η = 0.1, identity map) of the benchmark network (engine/workloads.ts). */
export function gdBatch(runs: number): Experiment {
  return batchExperiment(benchMlp, { id: 'gd', lr: 0.1 }, runs).experiment;
}

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timed(session: Session, steps: number): Promise<number> {
  const t0 = performance.now();
  await session.advance(steps);
  return performance.now() - t0;
}

/** One backend's warm-up: median milliseconds per step. */
export interface WarmupTiming {
  msPerStep: number;
  /** Timed steps behind the median. */
  steps: number;
  /** Wall time spent, set-up included. */
  spentMs: number;
  /** What was timed: the session's runs and its parameter count. */
  runs: number;
  P: number;
}

/**
 * Time up to `maxSteps` single steps of `runs` gd runs (or of `experiment`) on the current backend: at least one,
 * more while `budgetMs` (set-up included) lasts. `untimedFirst` takes one step before the
 * timing (GPU backends compile their kernels then; cpu and wasm have nothing to compile, so
 * their first step is already representative). Disposes its session.
 */
export async function warmupTiming(
  runs: number,
  maxSteps: number,
  budgetMs: number,
  untimedFirst = true,
  experiment?: Experiment,
): Promise<WarmupTiming> {
  const t0 = performance.now();
  // The user's own experiment when given (its steps, all its runs), else `runs` gd runs of the benchmark network.
  const session = createSession(
    experiment ? { ...experiment, steps: Math.max(experiment.steps, maxSteps + 1) } : gdBatch(runs),
  );
  try {
    if (untimedFirst) await session.advance(1);
    const times: number[] = [];
    // One timed step always, more within the budget.
    while (times.length === 0 || (times.length < maxSteps && performance.now() - t0 < budgetMs))
      times.push(await timed(session, 1));
    return {
      msPerStep: median(times),
      steps: times.length,
      spentMs: performance.now() - t0,
      runs: session.runs.length,
      P: session.problem.P,
    };
  } finally {
    session.dispose();
  }
}

/** Throughput of R batched runs on the current backend. */
export interface ThroughputRow {
  runs: number;
  /** Median run-steps per second over the rounds. */
  runStepsPerSec: number;
  /** Run-steps per second of each round. */
  reps: number[];
  /** Steps per round (calibrated to about `targetMs`). */
  stepsPerRep: number;
}

/**
 * Run-steps per second of R batched gd runs for each R in `runCounts`, timed in `rounds`
 * interleaved rounds of about `targetMs` each (a load change hits every R alike).
 */
export async function throughput(
  runCounts: readonly number[],
  rounds: number,
  targetMs: number,
): Promise<ThroughputRow[]> {
  const sessions: Session[] = [];
  try {
    for (const R of runCounts) sessions.push(createSession(gdBatch(R)));
    const units: number[] = [];
    for (const s of sessions) {
      // Warm up (kernel compilation), then size a round from the median of a few steps.
      await s.advance(1);
      const probe: number[] = [];
      for (let spent = 0; probe.length < 3 || (spent < 200 && probe.length < 20);) {
        const t = await timed(s, 1);
        probe.push(t);
        spent += t;
      }
      units.push(Math.max(1, Math.round(targetMs / Math.max(median(probe), 1e-3))));
    }
    const reps: number[][] = runCounts.map(() => []);
    for (let r = 0; r < rounds; r++) {
      for (const [i, s] of sessions.entries()) {
        const n = units[i] as number;
        const ms = await timed(s, n);
        reps[i]?.push((1000 * n * (runCounts[i] as number)) / ms);
      }
    }
    if (sessions.some((s) => s.runs.some((r) => r.status !== 'ok')))
      throw new Error('a benchmark run diverged');
    return runCounts.map((R, i) => ({
      runs: R,
      runStepsPerSec: median(reps[i] as number[]),
      reps: reps[i] as number[],
      stepsPerRep: units[i] as number,
    }));
  } finally {
    for (const s of sessions) s.dispose();
  }
}

/** Wall times of the digits problem's slice grids and gd steps (ms, one entry each). */
export interface DigitsTiming {
  sliceMs: number[];
  stepMs: number[];
}

/**
 * The digits problem (64-32-10, N = 1,500, P = 2,410) on the running backend: wall ms of each
 * of `slices` n×n slice grids of its loss through the start point, as the θ plot computes it
 * (slice-landscape.ts), and of each of `steps` single gd steps; one untimed grid and one
 * untimed step before them. Disposes its session.
 */
export async function digitsTiming(slices: number, steps: number, n = 64): Promise<DigitsTiming> {
  if (slices <= 0 && steps <= 0) return { sliceMs: [], stepMs: [] };
  const session = createSession(batchExperiment({ id: 'digits' }, { id: 'gd', lr: 0.3 }, 1).experiment);
  try {
    const view = sliceViewFor(session);
    if (!view) throw new Error('digits has no slice');
    const grid = async (): Promise<number> => {
      const t0 = performance.now();
      const g = await sliceGrid(session.objective('theta'), view.slice, sliceWindow(null, view), n);
      if (!g.values.every(Number.isFinite)) throw new Error('the digits slice has non-finite values');
      return performance.now() - t0;
    };
    const sliceMs: number[] = [];
    if (slices > 0) await grid();
    for (let r = 0; r < slices; r++) sliceMs.push(await grid());
    const stepMs: number[] = [];
    if (steps > 0) await session.advance(1);
    for (let r = 0; r < steps; r++) stepMs.push(await timed(session, 1));
    return { sliceMs, stepMs };
  } finally {
    session.dispose();
  }
}
