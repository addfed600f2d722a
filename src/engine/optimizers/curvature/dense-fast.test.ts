/**
 * The hand-derived dense-network derivatives (problems/dense-grad.ts) against the general
 * autodiff path on the same problem without its fast path: K-FAC factors and step inputs,
 * per-example gradients, the Fisher factor.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tf, type Tensor2D } from '../../tf';
import { gradient, makeObjective } from '../../objective';
import { makeRng } from '../../random';
import type { DenseProblem } from '../../problems/dense-grad';
import { mlp, mlpParams } from '../../problems/mlp';
import { fisherFactor, fisherFactorTensor } from './fisher';
import { perExampleGradients } from './jacobian';
import { gradientAndKfacFactorsAt, hasFusedKfac, kfacFactors, kfacFactorsAt, layerBlocks } from './kfac';
import { maxRel, plain } from './kfac-testkit';

const cases: z.input<typeof mlpParams>[] = [
  { hidden: [5, 4], n: 40 },
  { hidden: [6], activation: 'relu', n: 40, dataset: 'circles' },
  { hidden: [4], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 },
  { hidden: [4], n: 30, dataset: 'sine' },
];

describe('K-FAC factors from activations = from the Fisher factor', () => {
  for (const params of cases) {
    it(`${params.activation ?? 'tanh'} ${params.dataset ?? 'spiral'}: A and G of every layer agree to 1e-6`, async () => {
      const problem = mlp(mlpParams.parse(params), 4);
      const rng = makeRng(9);
      const row = tf.tensor2d([problem.init.map((v) => v + rng.normal(0, 0.3))]) as Tensor2D;
      const blocks = layerBlocks(problem.layers, problem.P);
      const before = tf.memory().numTensors;
      const fast = await kfacFactorsAt(makeObjective(problem, null), row, blocks);
      expect(tf.memory().numTensors).toBe(before);
      const auto = makeObjective(plain(problem), null);
      const slow = kfacFactors(await fisherFactor(auto, row), problem.C, blocks);
      expect(fast.length).toBe(slow.length);
      fast.forEach((f, l) => {
        expect(maxRel(f.A, slow[l]?.A ?? [])).toBeLessThan(1e-6);
        expect(maxRel(f.G, slow[l]?.G ?? [])).toBeLessThan(1e-6);
      });
      row.dispose();
      problem.dispose();
    });
  }
});

describe('K-FAC step inputs from one forward pass', () => {
  it('gradient and factors equal `gradient` and `kfacFactorsAt`, and nothing leaks', async () => {
    const problem = mlp(mlpParams.parse({ hidden: [5, 4], n: 40 }), 4);
    const obj = makeObjective(problem, null);
    const rng = makeRng(3);
    const row = tf.tensor2d([problem.init.map((v) => v + rng.normal(0, 0.3))]) as Tensor2D;
    const blocks = layerBlocks(problem.layers, problem.P);
    expect(hasFusedKfac(obj, blocks)).toBe(true);
    const before = tf.memory().numTensors;
    const both = await gradientAndKfacFactorsAt(obj, row, blocks);
    expect(tf.memory().numTensors).toBe(before);
    if (!both) throw new Error('the fused path should apply');
    const gT = gradient(obj, row);
    const g = Array.from(await gT.data());
    gT.dispose();
    const separate = await kfacFactorsAt(obj, row, blocks);
    expect(maxRel([both.g], [g])).toBe(0);
    both.factors.forEach((f, l) => {
      expect(maxRel(f.A, separate[l]?.A ?? [])).toBe(0);
      expect(maxRel(f.G, separate[l]?.G ?? [])).toBe(0);
    });
    // An objective without the dense fast path (e.g. a φ-objective) is not served.
    expect(hasFusedKfac(makeObjective(plain(problem), null), blocks)).toBe(false);
    row.dispose();
    problem.dispose();
  });
});

describe('K-FAC factors of the fast path: the parts it does not recompute every step', () => {
  // 3 classes, 2 inputs, 5 tanh units: the last layer's weights and bias from offset 15.
  const params = { hidden: [5], n: 60, dataset: 'gaussians', classes: 3 } as const;

  it('examples with all-zero sensitivities drop out of the first A as on the general path; nothing leaks', async () => {
    const problem = mlp(mlpParams.parse(params), 4);
    // Huge last-layer weights make some softmax outputs one-hot in float32: their Fisher
    // rows, and so every sensitivity of those examples, are exactly zero.
    const row = tf.tensor2d([problem.init.map((v, i) => (i >= 15 ? v * 3000 : v))]) as Tensor2D;
    const obj = makeObjective(problem, null);
    const blocks = layerBlocks(problem.layers, problem.P);
    const fastPath = (problem as DenseProblem).dense;
    const N = problem.x.shape[0];
    const dropped = tf.tidy(() => tf.sub(N, tf.sum(fastPath.kfacFactors(row).inputMask))).dataSync()[0] ?? 0;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(N);
    const before = tf.memory().numTensors;
    const fast = await kfacFactorsAt(obj, row, blocks);
    const both = await gradientAndKfacFactorsAt(obj, row, blocks);
    expect(tf.memory().numTensors).toBe(before);
    const slow = kfacFactors(await fisherFactor(makeObjective(plain(problem), null), row), problem.C, blocks);
    fast.forEach((f, l) => {
      expect(maxRel(f.A, slow[l]?.A ?? [])).toBeLessThan(1e-6);
      expect(maxRel(f.G, slow[l]?.G ?? [])).toBeLessThan(1e-6);
      expect(maxRel(both?.factors[l]?.A ?? [], f.A)).toBe(0);
    });
    // The first A is not the all-examples moment x̄ᵀx̄/N here (the dropped examples are out).
    const all = tf.tidy(() => fastPath.maskedInputMoment(tf.ones([N, 1]))).arraySync();
    expect(maxRel(fast[0]?.A ?? [], all)).toBeGreaterThan(1e-3);
    row.dispose();
    problem.dispose();
  });

  it('the last layer G is Σ_n diag(p_n) − p_n p_nᵀ / N to float32 round-off (float64 reference)', async () => {
    const problem = mlp(mlpParams.parse(params), 4);
    const obj = makeObjective(problem, null);
    const blocks = layerBlocks(problem.layers, problem.P);
    const N = problem.x.shape[0];
    for (const scale of [1, 30]) {
      // scale 30: confident outputs, where 1 − p_i would cancel if formed from p_i.
      const row = tf.tensor2d([problem.init.map((v, i) => (i >= 15 ? v * scale : v))]) as Tensor2D;
      const G = (await kfacFactorsAt(obj, row, blocks))[1]?.G ?? [];
      const logits = tf.tidy(() => (problem as DenseProblem).dense.outputsAt(row)).arraySync();
      const want = [0, 1, 2].map(() => [0, 0, 0]);
      for (const h of logits) {
        const m = Math.max(...h);
        const e = h.map((v) => Math.exp(v - m));
        const p = e.map((v) => v / e.reduce((a, b) => a + b, 0));
        p.forEach((pi, i) => p.forEach((pj, j) => (want[i]![j]! += ((i === j ? pi : 0) - pi * pj) / N)));
      }
      expect(maxRel(G, want)).toBeLessThan(2e-6);
      row.dispose();
    }
    problem.dispose();
  });
});

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
