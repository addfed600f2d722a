import { afterAll, describe, expect, it } from 'vitest';
import { makeObjective } from '../objective';
import { baseHyper } from './optimizer';
import { momentum } from './momentum';
import {
  expectBatchedEqualsSingle,
  expectNoLeaks,
  quadraticGrad,
  quadraticProblem,
  runSteps,
  testX,
  testY,
} from './first-order-testkit';

/** Float64 heavy ball: v ← μv + g; θ ← θ − ηv. */
function reference(theta0: number[], lr: number, mu: number, k: number): number[][] {
  let theta = [...theta0];
  let v = theta.map(() => 0);
  const out = [theta];
  for (let i = 0; i < k; i++) {
    const g = quadraticGrad(testX, testY, theta);
    v = v.map((vi, j) => mu * vi + (g[j] as number));
    theta = theta.map((t, j) => t - lr * (v[j] as number));
    out.push(theta);
  }
  return out;
}

describe('momentum (heavy ball)', () => {
  const problem = quadraticProblem(testX, testY);
  const hyper = { ...baseHyper, ...momentum.defaults, lr: 0.05, momentum: 0.8 };
  afterAll(() => problem.dispose());

  it('first step is −η g and later steps match the float64 recursion', async () => {
    const start = [0.3, -0.4];
    const opt = momentum.create(makeObjective(problem, null), hyper, 1);
    const got = await runSteps(opt, [start], 8);
    opt.dispose();
    const g0 = quadraticGrad(testX, testY, start);
    got[1]?.[0]?.forEach((v, j) => expect(v).toBeCloseTo((start[j] as number) - 0.05 * (g0[j] as number), 6));
    reference(start, 0.05, 0.8, 8).forEach((theta, i) =>
      theta.forEach((v, j) => expect(got[i]?.[0]?.[j]).toBeCloseTo(v, 5)),
    );
  });

  it('defaults: lr 0.01, μ 0.9 (steady-state step η/(1 − μ) = gd’s 0.1)', () => {
    const d = { ...baseHyper, ...momentum.defaults };
    expect([d.lr, d.momentum]).toEqual([0.01, 0.9]);
  });

  it('R = 3 rows stepped together equal each row alone', async () => {
    await expectBatchedEqualsSingle(problem, (obj, rows) => momentum.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
      [-1, 0.5],
    ]);
  });

  it('leaks no tensors and frees its state on dispose', async () => {
    await expectNoLeaks(problem, (obj, rows) => momentum.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
    ]);
  });
});
