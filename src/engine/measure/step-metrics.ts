/**
 * Per-step measurements of a run in its own coordinates (θ for a θ-run, φ for a φ-run):
 * - κ* of step k → k+1 (docs/theory.md §5): u = p_k − p_{k+1}, g = ∇L(p_k), judged up to float32
 *   round-off of the iterates (implied-metric.ts ROUNDOFF_ULPS); null when the step goes
 *   uphill beyond round-off (no SPD metric explains it, so there is no number to show);
 * - κ(F) at point k: the condition number of the Fisher in those coordinates (Infinity when
 *   singular, NaN when it could not be formed from finite numbers).
 * For NGD (Euler) u = F⁻¹g, so κ(F) ≥ κ* at every step. The Fisher is formed densely in
 * float64 (P×P), which is why the live tracker stops at STEP_METRICS_MAX_P parameters.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient, type Objective } from '../objective';
import type { Session } from '../experiment';
import { fisherMatrix } from '../optimizers/curvature/fisher';
import { conditionNumber } from './condition';
import { impliedMetricOfStep } from './implied-metric';

import { STEP_METRICS_MAX_P } from './analysis-constants';
import { toRows } from '../trajectory';

/** Above this many parameters the live tracker computes nothing (see analysis-constants.ts). */
export { STEP_METRICS_MAX_P };

/**
 * The live tracker forms at most this many Fishers per run and update (κ* is cheap, one
 * batched gradient, and is always computed for every step). At 1–10 steps per frame every
 * point gets κ(F); at higher speeds the new points are sampled evenly and the rest report
 * NaN, so the metrics never cost more than a few ms per run and frame.
 */
export const FISHERS_PER_UPDATE = 16;

/** Indices (absolute) of the new points [from, to) whose Fisher is formed: all, or an even sample incl. the last. */
export function sampledPoints(from: number, to: number, budget = FISHERS_PER_UPDATE): Set<number> {
  const n = to - from;
  if (n <= budget) return new Set(Array.from({ length: n }, (_, i) => from + i));
  const stride = n / budget;
  return new Set(Array.from({ length: budget }, (_, i) => from + Math.round((i + 1) * stride) - 1));
}

export interface StepMetrics {
  /** κ* of step k → k+1, k = 0 … K−1; null: not a descent step. */
  kappa: (number | null)[];
  /** κ(F) at point k, k = 0 … K (the live tracker: NaN at points it did not sample). */
  cond: number[];
}

/** Gradients at rows of points (one backward pass for all rows), read to float64. */
async function gradients(objective: Objective, points: readonly number[][]): Promise<number[][]> {
  if (points.length === 0) return [];
  const g = tf.tidy(() => gradient(objective, tf.tensor2d(points.map((p) => [...p])) as Tensor2D));
  try {
    return await g.array();
  } finally {
    g.dispose();
  }
}

/** κ(F) at one point. */
async function fisherCondition(objective: Objective, point: readonly number[]): Promise<number> {
  const row = tf.tensor2d([[...point]]) as Tensor2D;
  try {
    return conditionNumber(await fisherMatrix(objective, row));
  } catch {
    return Number.NaN;
  } finally {
    row.dispose();
  }
}

/** κ* for steps k = from … points.length − 2. */
async function kappas(
  objective: Objective,
  points: readonly number[][],
  from: number,
): Promise<(number | null)[]> {
  const starts = points.slice(from, Math.max(from, points.length - 1));
  const gs = await gradients(objective, starts);
  return gs.map((g, i) => {
    const r = impliedMetricOfStep(starts[i] as number[], points[from + i + 1] as number[], g, true);
    return r.descent ? r.kappa : null;
  });
}

/** κ* per step and κ(F) per point for a run's points p_0 … p_K in the objective's coordinates. */
export async function stepMetrics(objective: Objective, points: readonly number[][]): Promise<StepMetrics> {
  const kappa = await kappas(objective, points, 0);
  const cond: number[] = [];
  for (const p of points) cond.push(await fisherCondition(objective, p));
  return { kappa, cond };
}

/** New per-step values of one run since the previous update. */
export interface StepMetricsDelta {
  /** Run id. */
  id: string;
  kappaFrom: number;
  kappa: (number | null)[];
  condFrom: number;
  cond: number[];
}

/**
 * Whether the step metrics are computed for this session: max(P, Q) ≤ STEP_METRICS_MAX_P
 * (φ-runs form Q×Q Fishers; Q > P under weight-norm, singular there, so κ(F) = ∞).
 */
export function stepMetricsComputed(session: Pick<Session, 'problem' | 'reparam'>): boolean {
  return Math.max(session.problem.P, session.reparam.Q) <= STEP_METRICS_MAX_P;
}

export interface StepMetricsTracker {
  /**
   * New values of every run (runs with nothing new are left out; nothing at all when
   * P > STEP_METRICS_MAX_P). Tensors are read asynchronously (a synchronous read loses the
   * device on tfjs-webgpu); the runs' points are taken when it is called, and calls must
   * not overlap (await one before the next).
   */
  update(): Promise<StepMetricsDelta[]>;
}

/**
 * Incremental step metrics of a running session, one entry per run. `prior`: values already
 * computed for a run's first points (a session restored from a checkpoint, whose earlier
 * tracker computed them); they are taken as they are — cut to the run's points — and the
 * first update reports them from step 0 followed by the new ones. `fishersPerUpdate`: the
 * Fishers formed per run and update (FISHERS_PER_UPDATE; Infinity forms every one).
 */
export function createStepMetricsTracker(
  session: Session,
  prior: Readonly<Record<string, StepMetrics>> = {},
  options: { fishersPerUpdate?: number } = {},
): StepMetricsTracker {
  const enabled = stepMetricsComputed(session);
  const budget = options.fishersPerUpdate ?? FISHERS_PER_UPDATE;
  const done = new Map<string, { kappa: number; cond: number }>();
  const carried = new Map<string, StepMetrics>();
  for (const run of session.runs) {
    const p = prior[run.id];
    const n = (run.phi ?? run.theta).length;
    if (!p) continue;
    // κ(F) at points 0..n−1, κ* of steps 0..n−2, and never a κ* past the points with κ(F).
    const cond = p.cond.slice(0, n);
    const kappa = p.kappa.slice(0, Math.max(0, cond.length - 1));
    carried.set(run.id, { kappa, cond });
    done.set(run.id, { kappa: kappa.length, cond: cond.length });
  }
  return {
    async update() {
      if (!enabled) return [];
      const out: StepMetricsDelta[] = [];
      // The points as they are now (the session may advance while the reads are pending), as
      // rows from the first one a new value needs: `points[i]` is the run's point `lo + i`.
      const now = session.runs.map((run) => {
        const seen = done.get(run.id) ?? { kappa: 0, cond: 0 };
        const lo = Math.min(seen.kappa, seen.cond);
        return { run, seen, lo, points: toRows(run.phi ?? run.theta, lo) };
      });
      for (const { run, seen, lo, points } of now) {
        const n = lo + points.length;
        const old = carried.get(run.id) ?? { kappa: [], cond: [] };
        carried.delete(run.id);
        if (n <= seen.cond && old.cond.length === 0) continue;
        const objective = session.objective(run.space);
        const kappa = await kappas(objective, points, seen.kappa - lo);
        const picked = sampledPoints(seen.cond, n, budget);
        const cond: number[] = [];
        for (const [i, p] of points.slice(seen.cond - lo).entries()) {
          cond.push(picked.has(seen.cond + i) ? await fisherCondition(objective, p) : Number.NaN);
        }
        out.push({
          id: run.id,
          kappaFrom: seen.kappa - old.kappa.length,
          kappa: [...old.kappa, ...kappa],
          condFrom: seen.cond - old.cond.length,
          cond: [...old.cond, ...cond],
        });
        done.set(run.id, { kappa: seen.kappa + kappa.length, cond: n });
      }
      return out;
    },
  };
}

/**
 * κ* and κ(F) of every run of a session as it stands, by run id: the live tracker's
 * computation in one update with every Fisher formed (no sampling). Null when the tracker
 * computes nothing (max(P, Q) > STEP_METRICS_MAX_P). The command line's `--out` uses it.
 */
export async function sessionStepMetrics(session: Session): Promise<Record<string, StepMetrics> | null> {
  if (!stepMetricsComputed(session)) return null;
  const tracker = createStepMetricsTracker(session, {}, { fishersPerUpdate: Number.POSITIVE_INFINITY });
  const out: Record<string, StepMetrics> = {};
  for (const d of await tracker.update()) out[d.id] = { kappa: d.kappa, cond: d.cond };
  return out;
}
