/**
 * (c) Curvature cost: the per-step time of every registered optimizer relative to `gd`,
 * one run ([1, P] rows), calling the optimizer directly (no session telemetry, so the
 * ratio is the optimizer's own cost). Each optimizer is timed in rounds interleaved with
 * gd, and its ratio is the median of the per-round ratios. Second-order methods use
 * damping lm 1e-2 so they stay finite on the MLP (P = 337 > N = 256); hessian-free runs
 * 10 CG iterations; lowrank-fisher k = 2, block-fisher one block per layer; two ngd
 * variants solve by CG (`curvatureVariants`).
 */
import { tf, type Tensor2D } from '../src/engine/tf';
import { createProblem, createSession, ExperimentError } from '../src/engine/experiment';
import { makeObjective, type Objective } from '../src/engine/objective';
import { optimizers, optimizerDef } from '../src/engine/optimizers';
import type { OptimizerId } from '../src/engine/optimizers/ids';
import { resolveHyper, type Optimizer } from '../src/engine/optimizers/optimizer';
import type { OptimizerEntry } from '../src/engine/schema';
import { batchExperiment } from './problems';
import { interleaved, median } from './stats';

/** The benchmark's targets (docs/performance.md): step time at most this many times gd's, on the MLP. */
export const curvatureTargets: Partial<Record<OptimizerId, number>> = {
  kfac: 3,
  ngd: 15,
  'hessian-free': 25,
};

export interface CurvatureRow {
  id: OptimizerId;
  /** Why it was not timed (the dense-curvature limit), when it was not. */
  refused?: string;
  /** The id, or the id and the variant (e.g. "ngd (CG, m = 10)"). */
  label: string;
  /** Median wall-clock milliseconds per step. */
  msPerStep: number;
  /** Median over rounds of (this step time / gd's step time in the same round). */
  ratio: number;
  /** Still finite after the timed steps. */
  finite: boolean;
  /**
   * Set when one step took longer than SLOW_STEP_MS: the row is then one timed step after
   * one warm-up step, against gd's median step right after it, not interleaved rounds.
   */
  single?: true;
}

/**
 * A step slower than this is timed once rather than in rounds: on digits (P = 2,410)
 * block-fisher's 2,080-coordinate block and lowrank-fisher take tens of seconds a step,
 * and rounds of them would keep the benchmark busy for most of an hour.
 */
export const SLOW_STEP_MS = 1000;

export function benchEntry(id: OptimizerId): OptimizerEntry {
  const def = optimizerDef(id);
  return {
    id,
    ...(def.uses.includes('damping') ? { damping: { type: 'lm' as const, value: 1e-2 } } : {}),
    ...(id === 'hessian-free' ? { cgIters: 10 } : {}),
  };
}

/**
 * Variants timed beside the registered optimizers, each right after its optimizer's row:
 * K-FAC with the sampled Fisher (one label per example, docs/theory.md §7), the exact
 * solve by CG (§9.4, automatic above P = 1000) to the default residual 1e-6 and to a
 * stated 1e-4 (`cgTol`), and truncated NGD with m = 10 (§9.3).
 */
export const curvatureVariants: { label: string; entry: Partial<OptimizerEntry> & { id: OptimizerId } }[] = [
  { label: 'kfac (sampled Fisher)', entry: { id: 'kfac', fisher: 'sampled' } },
  { label: 'ngd (CG, exact)', entry: { id: 'ngd', solver: 'cg' } },
  { label: 'ngd (CG, residual 1e-4)', entry: { id: 'ngd', solver: 'cg', cgTol: 1e-4 } },
  { label: 'ngd (CG, m = 10)', entry: { id: 'ngd', solver: 'cg', cgIters: 10 } },
];

/**
 * Why a session (the page, the command line) refuses `entry` on `problem`, or null: the
 * optimizers are called directly below, past the session's checks (the dense-curvature
 * limits: lowrank-fisher's P×P eigenpairs and block-fisher's blocks past P = 1,000 would
 * take minutes a step on digits).
 */
function sessionRefusal(problem: Record<string, unknown>, entry: OptimizerEntry): string | null {
  try {
    createSession(batchExperiment(problem, entry, 1).experiment).dispose();
    return null;
  } catch (err) {
    if (err instanceof ExperimentError) return err.message;
    throw err;
  }
}

/** One run of an optimizer that keeps stepping from where it is. */
function runner(
  obj: Objective,
  id: OptimizerId,
  start: readonly number[],
  extra: Partial<OptimizerEntry> = {},
) {
  const def = optimizerDef(id);
  const opt: Optimizer = def.create(obj, resolveHyper(def, { ...benchEntry(id), ...extra }), 1);
  let params = tf.tensor2d([[...start]], [1, start.length]) as Tensor2D;
  return {
    work: async (n: number) => {
      for (let i = 0; i < n; i++) {
        const next = await opt.step(params);
        params.dispose();
        params = next;
      }
      await params.data(); // wait for the backend before the clock stops
    },
    finite: async () => Array.from(await params.data()).every(Number.isFinite),
    dispose: () => {
      params.dispose();
      opt.dispose();
    },
  };
}

/** Time every optimizer on `problem` (an experiment's problem entry). */
export async function curvatureCost(
  problem: Record<string, unknown>,
  rounds: number,
  targetMs: number,
): Promise<CurvatureRow[]> {
  const prob = createProblem(batchExperiment(problem, { id: 'gd' }, 1).experiment);
  const obj = makeObjective(prob, null);
  const gd = runner(obj, 'gd', prob.init);
  const rows: CurvatureRow[] = [];
  try {
    const cases: { label: string; entry: Partial<OptimizerEntry> & { id: OptimizerId } }[] = (
      Object.keys(optimizers) as OptimizerId[]
    ).flatMap((id) => [
      { label: id as string, entry: { id } },
      ...curvatureVariants.filter((v) => v.entry.id === id),
    ]);
    for (const { label, entry } of cases) {
      const id = entry.id;
      const refused = sessionRefusal(problem, { ...benchEntry(id), ...entry });
      if (refused) {
        rows.push({ id, label, msPerStep: Number.NaN, ratio: Number.NaN, finite: true, refused });
        continue;
      }
      const other = id === 'gd' && label === 'gd' ? gd : runner(obj, id, prob.init, entry);
      try {
        const warm = performance.now();
        await other.work(1);
        if (performance.now() - warm > SLOW_STEP_MS) {
          const t0 = performance.now();
          await other.work(1);
          const ms = performance.now() - t0;
          const g = await interleaved([gd.work], { rounds, targetMs, maxUnits: 500 });
          const gdMs = median(g[0]?.wall ?? [Number.NaN]);
          rows.push({
            id,
            label,
            msPerStep: ms,
            ratio: ms / gdMs,
            finite: await other.finite(),
            single: true,
          });
          continue;
        }
        const [tg, tx] = await interleaved([gd.work, other.work], { rounds, targetMs, maxUnits: 500 });
        if (!tg || !tx) throw new Error('missing timing');
        const ratios = tx.wall.map((ms, r) => ms / (tg.wall[r] as number));
        rows.push({
          id,
          label,
          msPerStep: median(tx.wall),
          ratio: median(ratios),
          finite: await other.finite(),
        });
      } finally {
        if (other !== gd) other.dispose();
      }
    }
  } finally {
    gd.dispose();
    prob.dispose();
  }
  return rows;
}
