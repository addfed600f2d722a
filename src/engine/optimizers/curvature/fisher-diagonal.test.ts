/**
 * The Fisher's diagonal of a dense network from the Fisher rows' backward (dense-grad.ts
 * `fisherDiagonal`: per layer (ā²)ᵀS/N) against the column sums of squares of the factor U
 * (`factorDiagonalMetric(fisherFactor(…))`, the path every other objective takes), on
 * digits and on small MLPs of every output kind the fast path has (softmax over C > 2
 * classes, two classes with logits [0, z], squared error); and `diag-fisher`'s step from
 * one forward pass against its step from U, and its naturality for diagonal scalings
 * with the θ-run on the fast path and the φ-run through U.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tf, type Tensor2D } from '../../tf';
import { gradient, makeObjective, type Objective } from '../../objective';
import { makeRng } from '../../random';
import { mlp, mlpParams } from '../../problems/mlp';
import { digits } from '../../problems/digits';
import { digitsParams } from '../../problems/params';
import type { Problem } from '../../problems/problem';
import type { Vec } from '../../linalg/dense';
import { factorDiagonalMetric } from './metric';
import { fisherDiagonal, fisherFactor, gradientAndFisherDiagonal } from './fisher';
import { plain } from './kfac-testkit';
import { diagFisher } from '../diag-fisher';
import { secondOrder } from '../second-order';
import { optimizerCatalog, baseHyper } from '../catalog';
import type { OptimizerDef } from '../optimizer';
import { pairedRun } from '../paired-run';
import { parameterDefect } from '../../measure/defect';
import { affineMap, diagonalMatrix } from '../../reparam/linear';

/** The diagonal d of a diagonal metric: apply(1) = d ⊙ 1. */
const diagonalOfFactor = async (obj: Objective, row: Tensor2D): Promise<Vec> =>
  factorDiagonalMetric(await fisherFactor(obj, row)).apply(new Array<number>(obj.P).fill(1));

/**
 * The largest entrywise relative difference |got − want|/want over the nonzero entries of
 * `want`, and whether `got` is zero exactly where `want` is.
 */
function compare(got: Vec, want: Vec): { rel: number; zerosAgree: boolean } {
  let rel = 0;
  let zerosAgree = got.length === want.length;
  want.forEach((w, i) => {
    const g = got[i] as number;
    if (w === 0) zerosAgree &&= g === 0;
    else rel = Math.max(rel, Math.abs(g - w) / Math.abs(w));
  });
  return { rel, zerosAgree };
}

/** A parameter row near the problem's start (seeded). */
function rowNear(problem: Problem, seed: number, scale: number): Tensor2D {
  const rng = makeRng(seed);
  return tf.tensor2d([problem.init.map((v) => v + rng.normal(0, scale))]) as Tensor2D;
}

const cases: { name: string; params: z.input<typeof mlpParams> }[] = [
  { name: 'tanh, two classes (logits [0, z]), two hidden layers', params: { hidden: [5, 4], n: 40 } },
  { name: 'relu, two classes', params: { hidden: [6], activation: 'relu', n: 40, dataset: 'circles' } },
  {
    name: 'tanh, softmax over 3 classes',
    params: { hidden: [6], n: 45, dataset: 'gaussians', classes: 3 },
  },
  {
    name: 'relu, softmax over 4 classes, two hidden layers',
    params: { hidden: [7, 5], activation: 'relu', n: 60, dataset: 'gaussians', classes: 4 },
  },
  {
    name: 'softplus, squared error',
    params: { hidden: [4], activation: 'softplus', n: 30, dataset: 'sine' },
  },
];

describe('Fisher diagonal of a dense network = column sums of squares of U over N', () => {
  for (const { name, params } of cases) {
    it(`${name}: entrywise to 1e-5, the same zeros, from the fast path and autodiff alike; nothing leaks`, async () => {
      const problem = mlp(mlpParams.parse(params), 4);
      const obj = makeObjective(problem, null);
      const row = rowNear(problem, 9, 0.5);
      const before = tf.memory().numTensors;
      const fast = await fisherDiagonal(obj, row);
      expect(tf.memory().numTensors).toBe(before);
      const fromU = compare(fast, await diagonalOfFactor(obj, row));
      expect(fromU.zerosAgree).toBe(true);
      expect(fromU.rel).toBeLessThan(1e-5);
      // U by autodiff (the problem without its fast path) gives the same diagonal.
      const auto = compare(fast, await diagonalOfFactor(makeObjective(plain(problem), null), row));
      expect(auto.rel).toBeLessThan(1e-5);
      expect(fast.some((d) => d > 0)).toBe(true);
      row.dispose();
      problem.dispose();
    });
  }

  it('relu units that are off for every example: zero entries on both paths', async () => {
    // A large negative bias on the first hidden layer turns some units off everywhere.
    const problem = mlp(mlpParams.parse({ hidden: [6], activation: 'relu', n: 40, dataset: 'circles' }), 4);
    const obj = makeObjective(problem, null);
    const p = [...problem.init];
    const bias = 2 * 6; // W [2, 6] first, then b [6]
    p[bias] = -100;
    p[bias + 3] = -100;
    const row = tf.tensor2d([p]) as Tensor2D;
    const fast = await fisherDiagonal(obj, row);
    const want = await diagonalOfFactor(obj, row);
    const zeros = want.filter((d) => d === 0).length;
    // Units 0 and 3: their 2 weights and bias in, their outgoing weight out.
    expect(zeros).toBe(2 * 4);
    const c = compare(fast, want);
    expect(c.zerosAgree).toBe(true);
    expect(c.rel).toBeLessThan(1e-5);
    row.dispose();
    problem.dispose();
  });
});

describe('Fisher diagonal on digits (64-32-10, N = 1,500, P = 2,410)', () => {
  const problem = digits(digitsParams.parse({}), 0);
  const obj = makeObjective(problem, null);
  afterAll(() => problem.dispose());

  // One point off the start (each comparison builds the 15,000 × 2,410 factor U, ~5 s here);
  // the small networks above cover start points.
  for (const [label, seed, scale] of [['off the start', 5, 0.3]] as const) {
    it(`${label}: entrywise to 1e-5 of U's; the fused gradient is \`gradient\`'s bit for bit`, async () => {
      expect(obj.P).toBe(2410);
      const row = rowNear(problem, seed, scale);
      const before = tf.memory().numTensors;
      const both = await gradientAndFisherDiagonal(obj, row);
      const alone = await fisherDiagonal(obj, row);
      expect(tf.memory().numTensors).toBe(before);
      if (!both) throw new Error('digits has the dense fast path');
      expect(both.diagonal).toEqual(alone);
      const c = compare(alone, await diagonalOfFactor(obj, row));
      expect(c.zerosAgree).toBe(true);
      expect(c.rel).toBeLessThan(1e-5);
      const gT = gradient(obj, row);
      expect(both.g).toEqual(Array.from(await gT.data()));
      gT.dispose();
      row.dispose();
    }, 60_000);
  }
});

describe('diag-fisher: the step from one forward pass = the step from U', () => {
  /** diag-fisher as it was: the batch gradient and the diagonal of U, for every objective. */
  const fromFactor: OptimizerDef = secondOrder({
    ...optimizerCatalog['diag-fisher'],
    metric: async (obj, row) => factorDiagonalMetric(await fisherFactor(obj, row)),
  });

  const adaptive = { type: 'lm', value: 1e-3, adaptive: true } as const;
  // Undamped, the relu network's step diverges within three steps (tiny diagonal entries).
  for (const [name, params, dampings] of [
    [
      'tanh, softmax over 3 classes',
      { hidden: [6], n: 45, dataset: 'gaussians', classes: 3 },
      [adaptive, { type: 'none', value: 0, adaptive: false }],
    ],
    [
      'relu, two classes',
      { hidden: [6, 4], activation: 'relu', n: 40, dataset: 'circles' },
      [adaptive, { type: 'lm', value: 1e-2, adaptive: false }],
    ],
  ] as const) {
    it(`${name}: 20 steps under ${dampings.map((d) => d.type).join(' and ')} damping agree to 1e-5; nothing leaks`, async () => {
      const problem = mlp(mlpParams.parse(params), 4);
      const obj = makeObjective(problem, null);
      for (const damping of dampings) {
        const hyper = { ...baseHyper, lr: 0.1, damping };
        const before = tf.memory().numTensors;
        const a = diagFisher.create(obj, hyper, 1);
        const b = fromFactor.create(obj, hyper, 1);
        let pa = tf.tensor2d([[...problem.init]]) as Tensor2D;
        let pb = tf.tensor2d([[...problem.init]]) as Tensor2D;
        let worst = 0;
        for (let k = 0; k < 20; k++) {
          const [na, nb] = [await a.step(pa), await b.step(pb)];
          tf.dispose([pa, pb]);
          [pa, pb] = [na, nb];
          const [va, vb] = [Array.from(await pa.data()), Array.from(await pb.data())];
          const scale = Math.max(...vb.map(Math.abs));
          worst = Math.max(worst, ...va.map((v, i) => Math.abs(v - (vb[i] as number)) / scale));
        }
        const last = Array.from(await pa.data());
        expect(last.every(Number.isFinite)).toBe(true);
        const moved = last.some((v, i) => v !== problem.init[i]);
        tf.dispose([pa, pb]);
        a.dispose();
        b.dispose();
        expect(moved).toBe(true);
        expect(worst).toBeLessThan(1e-5);
        expect(tf.memory().numTensors).toBe(before);
      }
      problem.dispose();
    });
  }
});

describe('diag-fisher: θ-run from one forward pass, φ-run through U', () => {
  it('natural for a diagonal scaling (D_K at round-off), not for a mixing map', async () => {
    const problem = mlp(mlpParams.parse({ hidden: [4], n: 40, dataset: 'gaussians', classes: 3 }), 4);
    const P = problem.P;
    const rng = makeRng(2);
    const scale = Array.from({ length: P }, () => Math.exp(rng.normal(0, 1)));
    // Mixing: the scaling plus a small dense part, invertible.
    const mix = diagonalMatrix(scale).map((row, i) => row.map((v, j) => v + 0.2 * Math.sin(1 + i * P + j)));
    const hyper = { ...baseHyper, lr: 0.05 };
    const defect = async (A: number[][]) => {
      const run = await pairedRun(diagFisher, hyper, problem, affineMap('test', A), problem.init, 30);
      return parameterDefect(run.theta, run.pushed);
    };
    const natural = await defect(diagonalMatrix(scale));
    const broken = await defect(mix);
    expect(natural).toBeLessThan(1e-4);
    expect(broken).toBeGreaterThan(1e-2);
    problem.dispose();
  });
});
