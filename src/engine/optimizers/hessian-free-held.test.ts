/**
 * `hessian-free` on matrix-free Fisher products (curvature/matrix-free.ts
 * `heldCurvatureProduct`, float32 on the backend) against the same CG on products from the
 * factor U (float64): the same iteration count, damping and warm start give the same
 * step to float32 round-off; a θ-run of a dense network above CG_ABOVE_P takes the
 * matrix-free products, every other objective U's; nothing leaks.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tf, type Tensor2D } from '../tf';
import { makeObjective, type Objective } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { digits } from '../problems/digits';
import { digitsParams } from '../problems/params';
import { dot, type Vec } from '../linalg/dense';
import { plain } from './curvature/kfac-testkit';
import { hessianFree, hessianFreeIsMatrixFree, hessianFreeMetric } from './hessian-free';
import { secondOrder, type SecondOrderOptimizer } from './second-order';
import { baseHyper, CG_ABOVE_P, optimizerCatalog, type Hyper } from './catalog';
import type { OptimizerDef } from './optimizer';

/** hessian-free with its products forced: matrix-free or from U. */
const forced = (matrixFree: boolean): OptimizerDef =>
  secondOrder({
    ...optimizerCatalog['hessian-free'],
    metric: (obj, row, { hyper, previous }) => hessianFreeMetric(obj, row, hyper, previous, matrixFree),
  });
const heldHf = forced(true);
const factorHf = forced(false);

const norm = (v: readonly number[]): number => Math.sqrt(dot(v, v));
const minus = (a: readonly number[], b: readonly number[]): Vec => a.map((x, i) => x - (b[i] as number));

/**
 * `steps` steps of two optimizers side by side from the same start: per step, the
 * largest ‖Δa − Δb‖/‖Δb‖ of the two steps taken from the same point (a's point is
 * reset to b's before every step, so the warm start is each run's own previous direction).
 */
async function stepsAgree(
  obj: Objective,
  start: readonly number[],
  a: OptimizerDef,
  b: OptimizerDef,
  hyper: Hyper,
  steps: number,
): Promise<{ worst: number; methods: string[] }> {
  const [oa, ob] = [a.create(obj, hyper, 1), b.create(obj, hyper, 1)] as SecondOrderOptimizer[];
  let p = [...start];
  let worst = 0;
  const methods: string[] = [];
  for (let k = 0; k < steps; k++) {
    const at = tf.tensor2d([p]) as Tensor2D;
    const [na, nb] = [await oa!.step(at), await ob!.step(at)];
    const [va, vb] = [Array.from(await na.data()), Array.from(await nb.data())];
    tf.dispose([at, na, nb]);
    methods.push(oa!.info()[0]?.method ?? '', ob!.info()[0]?.method ?? '');
    worst = Math.max(worst, norm(minus(va, vb)) / norm(minus(vb, p)));
    p = vb;
  }
  oa!.dispose();
  ob!.dispose();
  return { worst, methods };
}

/**
 * λ per problem: truncated CG amplifies the float32 round-off of a product (~1e-7) by up to
 * the condition number of F + λI, so the agreement is what it is for a well-conditioned
 * solve (the relu network's Fisher spreads further: its steps differ by ~1e-3 at λ = 1e-2, ~3e-6 at
 * 1e-1 fixed, ~1e-4 adaptive from 1e-1).
 */
const cases: { name: string; params: z.input<typeof mlpParams>; lambda: number }[] = [
  { name: 'tanh 16-16, two classes (the benchmark MLP)', params: {}, lambda: 1e-2 },
  {
    name: 'relu, softmax over 3 classes',
    params: { hidden: [8], activation: 'relu', n: 60, dataset: 'gaussians', classes: 3 },
    lambda: 1,
  },
  {
    name: 'softplus, squared error',
    params: { hidden: [6], activation: 'softplus', n: 40, dataset: 'sine' },
    lambda: 1e-2,
  },
];

describe('hessian-free: matrix-free products = products from U', () => {
  for (const { name, params, lambda } of cases) {
    it(`${name}: 10 CG iterations, λ = ${lambda} (warm start 0.95) or adaptive from it (none): steps agree to 1e-5; nothing leaks`, async () => {
      const problem = mlp(mlpParams.parse(params), 4);
      expect(problem.P).toBeLessThanOrEqual(CG_ABOVE_P);
      const before = tf.memory().numTensors;
      for (const [over, steps] of [
        [{ decay: 0.95, damping: { type: 'lm', value: lambda } }, 6],
        [{ decay: 0, damping: { type: 'lm', value: lambda, adaptive: true } }, 3],
      ] as const) {
        const hyper: Hyper = { ...baseHyper, lr: 0.5, cgIters: 10, ...over };
        // The dense fast path's held forward pass, and on the small networks autodiff's
        // products (no fast path; seconds a step on the benchmark MLP).
        const objs = [
          makeObjective(problem, null),
          ...(problem.P < 100 ? [makeObjective(plain(problem), null)] : []),
        ];
        for (const obj of objs) {
          const { worst, methods } = await stepsAgree(obj, problem.init, heldHf, factorHf, hyper, steps);
          expect(methods.every((m) => m === 'cg')).toBe(true);
          expect(worst).toBeLessThan(1e-5);
        }
      }
      expect(tf.memory().numTensors).toBe(before);
      problem.dispose();
    });
  }
});

describe('hessian-free: which products', () => {
  const problem = digits(digitsParams.parse({ hidden: [16] }), 0);
  afterAll(() => problem.dispose());

  /** One step of each optimizer from the same point: the new points. */
  async function oneStep(obj: Objective, defs: OptimizerDef[], hyper: Hyper, start: readonly number[]) {
    const out: number[][] = [];
    for (const def of defs) {
      const opt = def.create(obj, hyper, 1);
      const at = tf.tensor2d([[...start]]) as Tensor2D;
      const next = await opt.step(at);
      out.push(Array.from(await next.data()));
      tf.dispose([at, next]);
      opt.dispose();
    }
    return out;
  }

  it(`digits 64-16-10 (P = 1,210 > ${CG_ABOVE_P}): the registered optimizer's step is the matrix-free one`, async () => {
    const obj = makeObjective(problem, null);
    expect(obj.P).toBeGreaterThan(CG_ABOVE_P);
    const hyper: Hyper = { ...baseHyper, cgIters: 10, damping: { type: 'lm', value: 1e-2 } };
    const [reg, held] = await oneStep(obj, [hessianFree, heldHf], hyper, problem.init);
    expect(reg).toEqual(held);
    expect(reg?.some((v, i) => v !== problem.init[i])).toBe(true);
  }, 60_000);

  it(`the MLP (P = 337 ≤ ${CG_ABOVE_P}): the registered optimizer's step is the one from U`, async () => {
    const small = mlp(mlpParams.parse({}), 4);
    const obj = makeObjective(small, null);
    const hyper: Hyper = { ...baseHyper, cgIters: 10, damping: { type: 'lm', value: 1e-2 } };
    const [reg, fromU] = await oneStep(obj, [hessianFree, factorHf], hyper, small.init);
    expect(reg).toEqual(fromU);
    small.dispose();
  });

  it(`an MLP without the dense fast path (P = 1,185 > ${CG_ABOVE_P}): the step is the one from U`, async () => {
    // Autodiff's products (a φ-run's) cost more than reading U: the factor path is kept.
    const small = mlp(mlpParams.parse({ hidden: [32, 32], n: 12 }), 4);
    const obj = makeObjective(plain(small), null);
    expect(obj.P).toBe(1185);
    expect(hessianFreeIsMatrixFree(obj)).toBe(false);
    expect(hessianFreeIsMatrixFree(makeObjective(small, null))).toBe(true);
    const hyper: Hyper = { ...baseHyper, cgIters: 10, damping: { type: 'lm', value: 1e-2 } };
    const [reg, fromU, held] = await oneStep(obj, [hessianFree, factorHf, heldHf], hyper, small.init);
    expect(reg).toEqual(fromU);
    expect(held).not.toEqual(fromU);
    small.dispose();
  });

  it('matrix-free, 60 steps with a warm start: tf.memory() after the last equals after the first; all freed', async () => {
    const small = mlp(mlpParams.parse({ hidden: [8], n: 64 }), 4);
    const obj = makeObjective(small, null);
    const before = tf.memory().numTensors;
    const opt = heldHf.create(
      obj,
      { ...baseHyper, cgIters: 10, decay: 0.95, damping: { type: 'lm', value: 1e-2, adaptive: true } },
      1,
    );
    let params = tf.tensor2d([[...small.init]]) as Tensor2D;
    let first = { numTensors: 0, numBytes: 0 };
    for (let k = 1; k <= 60; k++) {
      const next = await opt.step(params);
      params.dispose();
      params = next;
      if (k === 1) first = { ...tf.memory() };
    }
    const last = tf.memory();
    expect(Array.from(await params.data()).every(Number.isFinite)).toBe(true);
    expect(last.numTensors).toBe(first.numTensors);
    expect(last.numBytes).toBe(first.numBytes);
    params.dispose();
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    small.dispose();
  });
});
