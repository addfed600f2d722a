import { afterAll, describe, expect, it } from 'vitest';
import { makeObjective } from '../objective';
import { baseHyper } from './optimizer';
import { nesterov } from './nesterov';
import {
  expectBatchedEqualsSingle,
  expectNoLeaks,
  quadraticGrad,
  quadraticProblem,
  runSteps,
  testX,
  testY,
} from './first-order-testkit';

/** Float64 Nesterov, lookahead form (Sutskever et al. 2013): v ← μv + ∇L(θ − ημv); θ ← θ − ηv. */
function reference(theta0: number[], lr: number, mu: number, k: number): number[][] {
  let theta = [...theta0];
  let v = theta.map(() => 0);
  const out = [theta];
  for (let i = 0; i < k; i++) {
    const ahead = theta.map((t, j) => t - lr * mu * (v[j] as number));
    const g = quadraticGrad(testX, testY, ahead);
    v = v.map((vi, j) => mu * vi + (g[j] as number));
    theta = theta.map((t, j) => t - lr * (v[j] as number));
    out.push(theta);
  }
  return out;
}

describe('nesterov (lookahead gradient)', () => {
  const problem = quadraticProblem(testX, testY);
  const hyper = { ...baseHyper, ...nesterov.defaults, lr: 0.05, momentum: 0.8 };
  afterAll(() => problem.dispose());

  it('first step is −η g, the second uses the gradient at the lookahead point', async () => {
    const start = [0.3, -0.4];
    const opt = nesterov.create(makeObjective(problem, null), hyper, 1);
    const got = await runSteps(opt, [start], 8);
    opt.dispose();
    const g0 = quadraticGrad(testX, testY, start);
    const theta1 = start.map((t, j) => t - 0.05 * (g0[j] as number));
    got[1]?.[0]?.forEach((v, j) => expect(v).toBeCloseTo(theta1[j] as number, 6));
    // Step 2 by hand: v1 = g0, lookahead θ1 − ημ v1, v2 = μ g0 + g(lookahead).
    const ahead = theta1.map((t, j) => t - 0.05 * 0.8 * (g0[j] as number));
    const gA = quadraticGrad(testX, testY, ahead);
    const theta2 = theta1.map((t, j) => t - 0.05 * (0.8 * (g0[j] as number) + (gA[j] as number)));
    got[2]?.[0]?.forEach((v, j) => expect(v).toBeCloseTo(theta2[j] as number, 6));
    reference(start, 0.05, 0.8, 8).forEach((theta, i) =>
      theta.forEach((v, j) => expect(got[i]?.[0]?.[j]).toBeCloseTo(v, 5)),
    );
  });

  it('differs from heavy ball after the first step', async () => {
    const start = [0.3, -0.4];
    const opt = nesterov.create(makeObjective(problem, null), hyper, 1);
    const got = await runSteps(opt, [start], 3);
    opt.dispose();
    let theta = [...start];
    let v = [0, 0];
    for (let i = 0; i < 3; i++) {
      const g = quadraticGrad(testX, testY, theta);
      v = v.map((vi, j) => 0.8 * vi + (g[j] as number));
      theta = theta.map((t, j) => t - 0.05 * (v[j] as number));
    }
    const gap = Math.hypot(...theta.map((t, j) => t - (got[3]?.[0]?.[j] as number)));
    expect(gap).toBeGreaterThan(1e-3);
  });

  it('defaults: lr 0.01, μ 0.9 (steady-state step η/(1 − μ) = gd’s 0.1)', () => {
    const d = { ...baseHyper, ...nesterov.defaults };
    expect([d.lr, d.momentum]).toEqual([0.01, 0.9]);
  });

  it('R = 3 rows stepped together equal each row alone', async () => {
    await expectBatchedEqualsSingle(problem, (obj, rows) => nesterov.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
      [-1, 0.5],
    ]);
  });

  it('leaks no tensors and frees its state on dispose', async () => {
    await expectNoLeaks(problem, (obj, rows) => nesterov.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
    ]);
  });
});
