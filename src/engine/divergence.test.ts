/**
 * Reliability of the engine (docs/reliability.md): a learning-rate sweep from 1e-4 to 1e3 over every
 * registered optimizer and every 2-parameter problem never throws; runs that blow up are
 * marked diverged at the step that produced the first non-finite value, the others finish.
 *
 * One session per (problem, lr) carries all optimizers at once (the schema allows 16),
 * so the sweep is 5 × 8 sessions of 12 runs × 20 steps. Every problem is swept in θ
 * (identity map); gaussian-fit is also swept through σ = e^s so that φ-runs (pushed
 * forward through a nonlinear map) are covered too.
 */
import { describe, expect, it } from 'vitest';
import { createSession, type RunResult } from './experiment';
import { toRows } from './trajectory';
import { optimizers } from './optimizers';
import type { OptimizerId } from './optimizers/ids';
import { parseExperiment, type ExperimentInput } from './schema';

const K = 20;
/** 1e-4 … 1e3 in 8 log-spaced steps (one decade apart). */
const lrs = Array.from({ length: 8 }, (_, i) => 10 ** (i - 4));
const ids = Object.keys(optimizers) as OptimizerId[];
const problems2d = ['gaussian-fit', 'rosenbrock', 'tiny-net', 'quadratic', 'logistic-2d'] as const;

function sweepExperiment(problem: string, lr: number, reparam: ExperimentInput['reparam']) {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: problem },
    reparam,
    optimizers: ids.map((id) => ({ id, lr })),
    steps: K,
    seed: 1,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
}

/** The contract of one finished run of a K-step session. */
function checkRun(r: RunResult): void {
  const where = `${r.id}`;
  for (const p of toRows(r.theta)) expect(p.every(Number.isFinite), where).toBe(true);
  for (const p of r.phi ? toRows(r.phi) : []) expect(p.every(Number.isFinite), where).toBe(true);
  expect(r.loss.every(Number.isFinite), where).toBe(true);
  if (r.status === 'ok') {
    expect(r.divergedAt, where).toBeNull();
    expect(r.theta.length, where).toBe(K + 1);
    expect(r.loss.length, where).toBe(K + 1);
  } else {
    expect(r.status, where).toBe('diverged');
    const k = r.divergedAt ?? -1;
    expect(k, where).toBeGreaterThanOrEqual(1);
    expect(k, where).toBeLessThanOrEqual(K);
    // Points 0..k-1 are kept; step k produced the first non-finite value and is not recorded.
    expect(r.theta.length, where).toBe(k);
    expect(r.loss.length, where).toBe(k);
    if (r.phi) expect(r.phi.length, where).toBe(k);
  }
}

type Outcome = Record<string, { lr: number; diverged: string[] }[]>;
const outcome: Outcome = {};

async function sweep(label: string, problem: string, reparam: ExperimentInput['reparam']): Promise<void> {
  outcome[label] = [];
  for (const lr of lrs) {
    const session = createSession(sweepExperiment(problem, lr, reparam));
    try {
      // A thrown optimizer error would escape here and fail the test.
      await session.advance(K);
      expect(session.done).toBe(true);
      expect(session.step).toBeLessThanOrEqual(K);
      session.runs.forEach(checkRun);
      outcome[label].push({
        lr,
        diverged: session.runs.filter((r) => r.status === 'diverged').map((r) => `${r.id}@${r.divergedAt}`),
      });
    } finally {
      session.dispose();
    }
  }
}

describe('learning-rate sweep 1e-4 … 1e3 (every optimizer, every 2-parameter problem)', () => {
  const cases: [string, string, ExperimentInput['reparam']][] = [
    ...problems2d.map((p): [string, string, ExperimentInput['reparam']] => [p, p, { id: 'identity' }]),
    ['gaussian-fit through σ = e^s', 'gaussian-fit', { id: 'exp', coords: [1] }],
  ];
  for (const [label, problem, reparam] of cases) {
    it(`${label}: never throws; diverged runs are marked at their step, the others finish`, async () => {
      await sweep(label, problem, reparam);
      const rows = outcome[label] ?? [];
      expect(rows).toHaveLength(lrs.length);
      // The smallest rate is stable for every optimizer on every problem.
      expect(rows[0]?.diverged).toEqual([]);
    });
  }

  it('the sweep is not vacuous: GD with lr·L > 2 on the quadratic diverges, and is marked so', () => {
    // Gradient descent on a quadratic with curvature L is unstable for lr > 2/L; at lr = 1e3
    // every iterate grows by ~lr·L per step and overflows float32 well within K steps.
    const quadratic = outcome.quadratic ?? [];
    expect(quadratic.at(-1)?.diverged.some((d) => d.startsWith('gd-0-theta@'))).toBe(true);
    const total = Object.values(outcome).reduce((n, rows) => n + rows.flatMap((r) => r.diverged).length, 0);
    expect(total).toBeGreaterThan(10);
  });
});
