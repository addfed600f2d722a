import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tf, type Tensor2D } from '../../tf';
import { gradient, makeObjective } from '../../objective';
import { makeRng } from '../../random';
import type { DenseProblem } from '../../problems/dense-grad';
import { mlp, mlpParams } from '../../problems/mlp';
import type { Problem } from '../../problems/problem';
import { perExampleGradients } from './jacobian';
import { fisherFactorTensor } from './fisher';

const plain = (problem: Problem): Problem => {
  const { dense: _dense, ...rest } = problem as DenseProblem;
  return rest;
};

const cases: z.input<typeof mlpParams>[] = [
  { hidden: [5, 4], n: 40 },
  { hidden: [6], activation: 'relu', n: 40, dataset: 'circles' },
  { hidden: [4], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 },
  { hidden: [4], n: 30, dataset: 'sine' },
];

describe('per-example gradients of a dense θ-run (J_nᵀ ∂ℓ_n/∂h) = by autodiff over tiled rows', () => {
  for (const params of cases) {
    it(`${params.activation ?? 'tanh'} ${params.dataset ?? 'spiral'}: agree to 1e-5, and average to the gradient`, () => {
      const problem = mlp(mlpParams.parse(params), 4);
      const rng = makeRng(2);
      const row = tf.tensor2d([problem.init.map((v) => v + rng.normal(0, 0.3))]) as Tensor2D;
      const before = tf.memory().numTensors;
      const fast = perExampleGradients(makeObjective(problem, null), row);
      expect(tf.memory().numTensors).toBe(before + 1);
      const auto = perExampleGradients(makeObjective(plain(problem), null), row);
      const mean = tf.tidy(() => gradient(makeObjective(problem, null), row));
      const [f, a, g] = [fast.arraySync(), auto.arraySync(), mean.arraySync()] as number[][][];
      const scale = Math.max(...(a ?? []).flat().map(Math.abs));
      (a ?? []).forEach((r, n) =>
        r.forEach((v, j) => expect(Math.abs((f?.[n]?.[j] ?? NaN) - v) / scale).toBeLessThan(1e-5)),
      );
      const N = problem.N;
      (g?.[0] ?? []).forEach((v, j) => {
        const avg = (f ?? []).reduce((s, r) => s + (r[j] as number), 0) / N;
        expect(Math.abs(avg - v)).toBeLessThan(1e-5 * Math.max(1, scale));
      });
      tf.dispose([fast, auto, mean, row]);
      problem.dispose();
    });
  }
});

describe('the Fisher factor of a dense θ-run (one backward seeded with M′ rows) = M′_n J_n by autodiff', () => {
  for (const params of cases) {
    it(`${params.activation ?? 'tanh'} ${params.dataset ?? 'spiral'}: U agrees to 1e-5`, () => {
      const problem = mlp(mlpParams.parse(params), 5);
      const rng = makeRng(6);
      const row = tf.tensor2d([problem.init.map((v) => v + rng.normal(0, 0.3))]) as Tensor2D;
      const before = tf.memory().numTensors;
      const fast = fisherFactorTensor(makeObjective(problem, null), row);
      expect(tf.memory().numTensors).toBe(before + 1);
      const auto = fisherFactorTensor(makeObjective(plain(problem), null), row);
      expect(fast.shape).toEqual(auto.shape);
      const [f, a] = [fast.arraySync(), auto.arraySync()];
      const scale = Math.max(...a.flat().map(Math.abs));
      a.forEach((r, n) =>
        r.forEach((v, j) => expect(Math.abs((f[n]?.[j] ?? NaN) - v) / scale).toBeLessThan(1e-5)),
      );
      tf.dispose([fast, auto, row]);
      problem.dispose();
    });
  }
});
