import { afterAll, describe, expect, it } from 'vitest';
import { makeObjective } from '../objective';
import { baseHyper } from './optimizer';
import { rmsprop } from './rmsprop';
import {
  expectBatchedEqualsSingle,
  expectNoLeaks,
  quadraticGrad,
  quadraticProblem,
  runSteps,
  testX,
  testY,
} from './first-order-testkit';

/** Float64 RMSProp (Tieleman & Hinton; PyTorch's form): v ← β₂v + (1 − β₂)g²; θ ← θ − ηg/(√v + ε). */
function reference(theta0: number[], lr: number, beta2: number, eps: number, k: number): number[][] {
  let theta = [...theta0];
  let v = theta.map(() => 0);
  const out = [theta];
  for (let i = 0; i < k; i++) {
    const g = quadraticGrad(testX, testY, theta);
    v = v.map((vi, j) => beta2 * vi + (1 - beta2) * (g[j] as number) ** 2);
    theta = theta.map((p, j) => p - (lr * (g[j] as number)) / (Math.sqrt(v[j] as number) + eps));
    out.push(theta);
  }
  return out;
}

describe('rmsprop', () => {
  const problem = quadraticProblem(testX, testY);
  const hyper = { ...baseHyper, ...rmsprop.defaults, lr: 0.02, beta2: 0.9, eps: 1e-3 };
  afterAll(() => problem.dispose());

  it('first step is −η g/(√(1−β₂)|g| + ε) (no bias correction); later steps match float64', async () => {
    const start = [0.3, -0.4];
    const opt = rmsprop.create(makeObjective(problem, null), hyper, 1);
    const got = await runSteps(opt, [start], 10);
    opt.dispose();
    const g0 = quadraticGrad(testX, testY, start);
    got[1]?.[0]?.forEach((v, j) => {
      const gj = g0[j] as number;
      expect(v).toBeCloseTo((start[j] as number) - (0.02 * gj) / (Math.sqrt(0.1) * Math.abs(gj) + 1e-3), 6);
    });
    reference(start, 0.02, 0.9, 1e-3, 10).forEach((theta, i) =>
      theta.forEach((v, j) => expect(got[i]?.[0]?.[j]).toBeCloseTo(v, 5)),
    );
  });

  it('defaults: lr 0.01, β₂ 0.99, ε 1e-8', () => {
    const d = { ...baseHyper, ...rmsprop.defaults };
    expect([d.lr, d.beta2, d.eps]).toEqual([0.01, 0.99, 1e-8]);
  });

  it('R = 3 rows stepped together equal each row alone', async () => {
    await expectBatchedEqualsSingle(problem, (obj, rows) => rmsprop.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
      [-1, 0.5],
    ]);
  });

  it('leaks no tensors and frees its state on dispose', async () => {
    await expectNoLeaks(problem, (obj, rows) => rmsprop.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
    ]);
  });
});
