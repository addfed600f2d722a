/**
 * Suggested hyper-parameters (problems/suggested.ts): with η and damping left out, every
 * optimizer descends on every problem's default setup without diverging, and values that
 * are given keep their meaning. One session per problem carries every optimizer (their runs
 * step as batched groups).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from './experiment';
import { setupNode } from './setup-node';
import { optimizerIds, type OptimizerId } from './optimizers/ids';
import { problemIds, type ProblemId } from './problems/catalog';
import { parseExperiment, withoutSuggestedKeys, type ExperimentInput } from './schema';

const STEPS = 200;
/**
 * On the network problems (P = 80 … 337) curvature costs up to ~1 s a step on the cpu
 * backend and ~8× less on wasm (exact P×P curvature the most): these runs use wasm, the
 * page's usual backend, and the curvature methods take fewer steps than the first-order
 * ones (bench/suggest.ts measured the suggestions over 200 / 50 / 30).
 */
const networks: readonly ProblemId[] = ['mlp', 'matrix-completion', 'sparse-regression'];
const cheapCurvature: readonly OptimizerId[] = ['diag-fisher', 'hessian-free', 'kfac'];
const exactCurvature: readonly OptimizerId[] = [
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
  'block-fisher',
  'lowrank-fisher',
];
const firstOrder = optimizerIds.filter((id) => !cheapCurvature.includes(id) && !exactCurvature.includes(id));

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
  beforeAll(() => setupNode('wasm'));
  afterAll(() => setupNode('cpu'));

  it('every problem suggests η for every optimizer, and damping is a valid damping', () => {
    for (const problem of problemIds) {
      const e = parsed({ problem: { id: problem }, optimizers: optimizerIds.map((id) => ({ id })) });
      for (const o of e.optimizers) {
        expect(o.lr, `${problem} ${o.id}`).toBeGreaterThan(0);
        if (o.damping) expect(['none', 'lm', 'trust-region']).toContain(o.damping.type);
      }
    }
  });

  // digits (P = 2,410): first-order methods and K-FAC over a few steps; diag-fisher and
  // hessian-free take seconds a step there (docs/performance.md), the exact-curvature
  // methods solve by CG there (tested in optimizers/exact-cg.test.ts and problems/digits.test.ts).
  type Case = { problem: ProblemId; ids: readonly OptimizerId[]; steps: number };
  const cases = problemIds.flatMap((problem): Case[] =>
    problem === 'digits'
      ? [
          { problem, ids: firstOrder, steps: 10 },
          { problem, ids: ['kfac'], steps: 3 },
        ]
      : networks.includes(problem)
        ? [
            { problem, ids: firstOrder, steps: STEPS },
            { problem, ids: cheapCurvature, steps: 20 },
            { problem, ids: exactCurvature, steps: 3 },
          ]
        : [{ problem, ids: optimizerIds, steps: STEPS }],
  );
  it.each(cases)(
    'defaults on $problem descend without diverging for $steps steps ($ids)',
    async ({ problem, ids, steps }) => {
      const runs = await finalRuns({
        problem: { id: problem },
        optimizers: ids.map((id) => ({ id })),
        steps,
      });
      for (const r of runs) {
        expect(r.status, `${problem} ${r.id} diverged at step ${r.divergedAt}`).toBe('ok');
        expect(r.steps, r.id).toBe(steps);
        expect(r.last, `${problem} ${r.id}: ${r.first} → ${r.last}`).toBeLessThan(r.first);
      }
    },
    600_000,
  );

  it('an explicit diverging η still diverges, at the step it did before suggestions', async () => {
    // Rosenbrock's curvature near the valley is ~10³: gd at η = 0.1 (the shared default of
    // old) blows up within a few steps, as links that name it say.
    const [run] = await finalRuns({
      problem: { id: 'rosenbrock' },
      optimizers: [{ id: 'gd', lr: 0.1 }],
      steps: 20,
    });
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
    // Parsing is idempotent: filled values read back as given ones.
    expect(parsed(e)).toEqual(e);
  });

  it('another problem replaces the suggested keys and keeps the others', () => {
    const e = parsed({
      problem: { id: 'rosenbrock' },
      optimizers: [{ id: 'momentum', momentum: 0.5, color: '#112233' }],
    });
    const moved = parsed({
      ...e,
      problem: { id: 'quadratic' },
      optimizers: e.optimizers.map(withoutSuggestedKeys),
    });
    const o = moved.optimizers[0];
    expect(o).toMatchObject({ id: 'momentum', momentum: 0.5, color: '#112233' });
    expect(o?.lr).toBe(
      parsed({ problem: { id: 'quadratic' }, optimizers: [{ id: 'momentum' }] }).optimizers[0]?.lr,
    );
  });
});
