/**
 * Timing helpers for the benchmark: medians of repetitions, never single times. The
 * machine may be shared, so workloads that are compared are timed in interleaved rounds
 * (a load change hits all of them alike), and CPU time of this process is recorded beside
 * wall time (tfjs cpu and wasm run single-threaded in Node, so it is less sensitive to
 * other processes).
 */
import { cpus, loadavg } from 'node:os';

/** The median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Wall and process-CPU milliseconds of one call. */
export interface Elapsed {
  wall: number;
  cpu: number;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export async function elapsed(run: () => Promise<void> | void): Promise<Elapsed> {
  const w0 = performance.now();
  const c0 = cpuNow();
  await run();
  return { wall: performance.now() - w0, cpu: cpuNow() - c0 };
}

/** A workload: `run(n)` does n units of work. */
export type Work = (n: number) => Promise<void> | void;

/**
 * Warm up with single units for about `warmupMs` (JIT, kernel set-up and allocation
 * settle; at least two calls); returns the units per repetition that make one last about
 * `targetMs` (at most `maxUnits`).
 */
export async function calibrate(
  run: Work,
  targetMs: number,
  warmupMs = 300,
  maxUnits = 1e6,
): Promise<number> {
  const warm: number[] = [];
  for (let spent = 0; warm.length < 2 || spent < warmupMs;) {
    const t = (await elapsed(() => run(1))).wall;
    warm.push(t);
    spent += t;
  }
  const one = median(warm.slice(Math.floor(warm.length / 2)));
  return Math.max(1, Math.min(maxUnits, Math.round(targetMs / Math.max(one, 1e-3))));
}

/** Per-unit times of one workload over the rounds. */
export interface Timing {
  units: number;
  /** Milliseconds per unit, wall clock, one entry per round. */
  wall: number[];
  /** Milliseconds per unit of process CPU time, one entry per round. */
  cpu: number[];
}

/**
 * Time several workloads in `rounds` interleaved rounds (each round times every workload
 * once, for its calibrated number of units).
 */
export async function interleaved(
  works: readonly Work[],
  opts: { rounds: number; targetMs: number; maxUnits?: number },
): Promise<Timing[]> {
  const units: number[] = [];
  for (const w of works) units.push(await calibrate(w, opts.targetMs, 300, opts.maxUnits));
  const out: Timing[] = units.map((u) => ({ units: u, wall: [], cpu: [] }));
  for (let r = 0; r < opts.rounds; r++) {
    for (const [i, w] of works.entries()) {
      const n = units[i] as number;
      const t = await elapsed(() => w(n));
      out[i]?.wall.push(t.wall / n);
      out[i]?.cpu.push(t.cpu / n);
    }
  }
  return out;
}

/** The 1-minute load average and the core count, for the report. */
export function machineLoad(): { load1: number; cores: number } {
  return { load1: loadavg()[0] ?? Number.NaN, cores: cpus().length };
}
