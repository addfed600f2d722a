/**
 * The "defect vs learning rate" sweep of docs/theory.md §4. Over a fixed horizon T, for each
 * η = T/K (K in `divisors`), run every optimizer of the experiment in θ and in φ for K
 * steps with learning rate η, measure D_K, and fit the slope of log D_K on log η:
 * ≈ 1 for NGD Euler, ≈ 2 for NGD midpoint, ≈ 0 for GD and Newton (a defect that does not
 * vanish as η → 0). Everything else of the experiment (problem, map, start, the other
 * hyper-parameters) is kept.
 */
import type { Experiment } from '../schema';
import type { OptimizerId } from '../optimizers/ids';
import { runPairedDefects, type RunHooks } from './session-defects';
import { logLogSlope } from './slope';

import { defaultSweep } from './analysis-constants';

export { defaultSweep };

export interface SweepProgress {
  /** Steps taken so far over all sessions (one session per η, all optimizers together). */
  done: number;
  total: number;
}

export interface SweepOptions {
  /** T > 0: every run covers the same "time" Kη = T. */
  horizon: number;
  /** K per point (η = T/K); at least two distinct integers ≥ 1. Default 10, 20, 40, 80. */
  divisors?: readonly number[];
  onProgress?: (p: SweepProgress) => void | Promise<void>;
  cancelled?: RunHooks['cancelled'];
}

/** One optimizer's curve. */
export interface SweepSeries {
  /** Index into experiment.optimizers. */
  optimizer: number;
  id: OptimizerId;
  /** D_K at each η (NaN where a run of the pair diverged). */
  defects: number[];
  /** Least-squares slope of log D on log η over the finite positive points (NaN with fewer than two). */
  slope: number;
  /** log D at log η = 0 of that fit (natural logs): the fitted line is D = e^intercept · η^slope. */
  intercept: number;
  /** r² of that fit in log-log space. */
  r2: number;
  /** How many points the fit used. */
  fitted: number;
}

export interface SweepResult {
  horizon: number;
  /** η per point, in the order of `divisors`. */
  etas: number[];
  /** K per point. */
  steps: number[];
  series: SweepSeries[];
}

/** Total steps of a sweep (for progress): Σ K. */
export function sweepSteps(divisors: readonly number[]): number {
  return divisors.reduce((s, k) => s + k, 0);
}

/** The experiment for one point: learning rate η for every optimizer, K steps. */
function atRate(experiment: Experiment, eta: number, steps: number): Experiment {
  return { ...experiment, steps, optimizers: experiment.optimizers.map((o) => ({ ...o, lr: eta })) };
}

/** Run the sweep; null when cancelled. Throws for the identity map or bad options. */
export async function sweep(experiment: Experiment, options: SweepOptions): Promise<SweepResult | null> {
  const T = options.horizon;
  const divisors = [...(options.divisors ?? defaultSweep.divisors)];
  if (!(T > 0) || !Number.isFinite(T)) throw new Error('sweep: the horizon T must be a positive number');
  if (divisors.some((k) => !Number.isInteger(k) || k < 1) || new Set(divisors).size < 2) {
    throw new Error('sweep: needs at least two distinct step counts K ≥ 1 (η = T/K)');
  }
  if (experiment.reparam.id === 'identity') {
    throw new Error('sweep: the map is the identity, so there are no φ-runs to compare; choose a map');
  }
  const total = sweepSteps(divisors);
  const etas = divisors.map((k) => T / k);
  const defects: number[][] = experiment.optimizers.map(() => []);
  let offset = 0;
  for (const [i, K] of divisors.entries()) {
    const base = offset;
    const pairs = await runPairedDefects(atRate(experiment, etas[i] as number, K), {
      cancelled: options.cancelled,
      onSteps: (steps) => options.onProgress?.({ done: base + steps, total }),
    });
    if (!pairs) return null;
    for (const p of pairs) {
      const d = p.diverged.theta || p.diverged.phi ? Number.NaN : p.defect;
      defects[p.optimizer]?.push(d);
    }
    offset += K;
  }
  const series = experiment.optimizers.map((o, index): SweepSeries => {
    const ds = defects[index] ?? [];
    const keep = ds.flatMap((d, j) => (d > 0 && Number.isFinite(d) ? [j] : []));
    const fit = logLogSlope(
      keep.map((j) => etas[j] as number),
      keep.map((j) => ds[j] as number),
    );
    const { slope, intercept, r2 } = fit;
    return { optimizer: index, id: o.id, defects: ds, slope, intercept, r2, fitted: keep.length };
  });
  return { horizon: T, etas, steps: divisors, series };
}
