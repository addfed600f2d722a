import { afterAll, describe, expect, it } from 'vitest';
import { makeObjective } from '../objective';
import { baseHyper } from './optimizer';
import { adam } from './adam';
import {
  expectBatchedEqualsSingle,
  expectNoLeaks,
  quadraticGrad,
  quadraticProblem,
  runSteps,
  testX,
  testY,
} from './first-order-testkit';

interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** Float64 Adam (Kingma & Ba 2015, Algorithm 1): ε added to √v̂ after bias correction. */
function reference(theta0: number[], h: AdamHyper, k: number): number[][] {
  let theta = [...theta0];
  let m = theta.map(() => 0);
  let v = theta.map(() => 0);
  const out = [theta];
  for (let t = 1; t <= k; t++) {
    const g = quadraticGrad(testX, testY, theta);
    m = m.map((mi, j) => h.beta1 * mi + (1 - h.beta1) * (g[j] as number));
    v = v.map((vi, j) => h.beta2 * vi + (1 - h.beta2) * (g[j] as number) ** 2);
    const c1 = 1 - h.beta1 ** t;
    const c2 = 1 - h.beta2 ** t;
    theta = theta.map(
      (p, j) => p - (h.lr * ((m[j] as number) / c1)) / (Math.sqrt((v[j] as number) / c2) + h.eps),
    );
    out.push(theta);
  }
  return out;
}

describe('adam', () => {
  const problem = quadraticProblem(testX, testY);
  // ε large enough to matter in float32, so the test sees where it enters.
  const h: AdamHyper = { lr: 0.05, beta1: 0.8, beta2: 0.9, eps: 1e-3 };
  const hyper = { ...baseHyper, ...adam.defaults, ...h };
  afterAll(() => problem.dispose());

  it('first step is sign descent −η g/(|g| + ε); later steps match the float64 recursion', async () => {
    const start = [0.3, -0.4];
    const opt = adam.create(makeObjective(problem, null), hyper, 1);
    const got = await runSteps(opt, [start], 10);
    opt.dispose();
    const g0 = quadraticGrad(testX, testY, start);
    got[1]?.[0]?.forEach((v, j) => {
      const gj = g0[j] as number;
      expect(v).toBeCloseTo((start[j] as number) - (0.05 * gj) / (Math.abs(gj) + 1e-3), 6);
    });
    reference(start, h, 10).forEach((theta, i) =>
      theta.forEach((v, j) => expect(got[i]?.[0]?.[j]).toBeCloseTo(v, 5)),
    );
  });

  it('defaults: lr 0.01, β₁ 0.9, β₂ 0.999, ε 1e-8', () => {
    const d = { ...baseHyper, ...adam.defaults };
    expect([d.lr, d.beta1, d.beta2, d.eps]).toEqual([0.01, 0.9, 0.999, 1e-8]);
  });

  it('R = 3 rows stepped together equal each row alone', async () => {
    await expectBatchedEqualsSingle(problem, (obj, rows) => adam.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
      [-1, 0.5],
    ]);
  });

  it('leaks no tensors and frees its state on dispose', async () => {
    await expectNoLeaks(problem, (obj, rows) => adam.create(obj, hyper, rows), [
      [0.3, -0.4],
      [2, 1],
    ]);
  });
});
