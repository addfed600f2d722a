/**
 * Suggested hyper-parameters (problems/suggested.ts): with η and damping left out, every
 * optimizer descends on every problem's default setup without diverging, and values that
 * are given keep their meaning. One session per problem carries every optimizer (their runs
 * step as batched groups).
 */
import { describe, expect, it } from 'vitest';
import { createSession } from './experiment';
import { optimizerIds, type OptimizerId } from './optimizers/ids';
import { problemIds, type ProblemId } from './problems/catalog';
import { suggestedKeys } from './problems/suggested';
import { parseExperiment, withoutSuggestedKeys, type ExperimentInput } from './schema';
import { compactExperiment } from '../state/compact';

const STEPS = 200;
/**
 * Exact P×P curvature on the network problems (P = 80 … 337) costs 0.1–30 s a step on the
 * cpu backend: those runs take a few steps here; bench/suggest.ts measured them longer.
 */
const exact: readonly OptimizerId[] = ['newton', 'ngd', 'ggn', 'empirical-fisher'];
const networks: readonly ProblemId[] = ['mlp', 'matrix-completion', 'sparse-regression'];
const SHORT = 5;

function parsed(input: Omit<ExperimentInput, 'version'>) {
  const res = parseExperiment({ version: 1, ...input });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

async function finalRuns(input: Omit<ExperimentInput, 'version'>) {
  const session = createSession(parsed(input));
  try {
    await session.advance(session.experiment.steps);
    return session.runs.map((r) => ({
      id: r.id,
      status: r.status,
      divergedAt: r.divergedAt,
      first: r.loss[0] as number,
      last: r.loss[r.loss.length - 1] as number,
      steps: r.loss.length - 1,
    }));
  } finally {
    session.dispose();
  }
}

describe('suggested hyper-parameters', () => {
  it('every problem suggests η for every optimizer, and damping is a valid damping', () => {
    for (const problem of problemIds) {
      const e = parsed({ problem: { id: problem }, optimizers: optimizerIds.map((id) => ({ id })) });
      for (const o of e.optimizers) {
        expect(o.lr, `${problem} ${o.id}`).toBeGreaterThan(0);
        if (o.damping) expect(['none', 'lm', 'trust-region']).toContain(o.damping.type);
      }
    }
  });

  const cases = problemIds.flatMap((problem) => {
    const heavy = networks.includes(problem);
    const long = heavy ? optimizerIds.filter((id) => !exact.includes(id)) : optimizerIds;
    const short = heavy ? exact : [];
    return [
      { problem, ids: long, steps: STEPS },
      ...(short.length ? [{ problem, ids: short, steps: SHORT }] : []),
    ];
  });
  it.each(cases)(
    'defaults on $problem descend without diverging for $steps steps ($ids)',
    async ({ problem, ids, steps }) => {
      const runs = await finalRuns({ problem: { id: problem }, optimizers: ids.map((id) => ({ id })), steps });
      for (const r of runs) {
        expect(r.status, `${problem} ${r.id} diverged at step ${r.divergedAt}`).toBe('ok');
        expect(r.steps, r.id).toBe(steps);
        expect(r.last, `${problem} ${r.id}: ${r.first} → ${r.last}`).toBeLessThan(r.first);
      }
    },
  );

  it('an explicit diverging η still diverges, at the step it did before suggestions', async () => {
    // Rosenbrock's curvature near the valley is ~10³: gd at η = 0.1 (the shared default of
    // old) blows up within a few steps, as links that name it say.
    const [run] = await finalRuns({ problem: { id: 'rosenbrock' }, optimizers: [{ id: 'gd', lr: 0.1 }], steps: 20 });
    expect(run?.status).toBe('diverged');
    expect(run?.divergedAt).toBe(3);
  });

  it('explicit values win over suggestions; only left-out keys are filled', () => {
    const e = parsed({
      problem: { id: 'mlp' },
      optimizers: [{ id: 'kfac', lr: 0.123, damping: { type: 'none', value: 0 } }, { id: 'kfac' }],
    });
    expect(e.optimizers[0]).toEqual({ id: 'kfac', lr: 0.123, damping: { type: 'none', value: 0 } });
    const suggested = e.optimizers[1];
    expect(suggested?.lr).not.toBe(0.123);
    // Parsing is idempotent, and a link leaves suggested values out (they are defaults).
    expect(parsed(e)).toEqual(e);
    const compact = compactExperiment(e) as { optimizers: Record<string, unknown>[] };
    expect(compact.optimizers[0]).toMatchObject({ lr: 0.123, damping: { type: 'none' } });
    for (const key of suggestedKeys) expect(compact.optimizers[1]).not.toHaveProperty(key);
  });

  it('another problem replaces the suggested keys and keeps the others', () => {
    const e = parsed({ problem: { id: 'rosenbrock' }, optimizers: [{ id: 'momentum', momentum: 0.5, color: '#112233' }] });
    const moved = parsed({ ...e, problem: { id: 'quadratic' }, optimizers: e.optimizers.map(withoutSuggestedKeys) });
    const o = moved.optimizers[0];
    expect(o).toMatchObject({ id: 'momentum', momentum: 0.5, color: '#112233' });
    expect(o?.lr).toBe(parsed({ problem: { id: 'quadratic' }, optimizers: [{ id: 'momentum' }] }).optimizers[0]?.lr);
  });
});
