import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { tf, type Tensor, type Tensor2D } from '../tf';
import { fastPathOf, gradient, lossValues, makeObjective, type Objective } from '../objective';
import { makeRng } from '../random';
import { hessianTensor } from '../optimizers/curvature/hessian';
import { outputJacobians, outputsAt } from '../optimizers/curvature/jacobian';
import { denseFastPathOf } from './dense-grad';
import { mlp, mlpParams } from './mlp';
import { digits, digitsParams } from './digits';
import { setupNode } from '../setup-node';
import type { Problem } from './problem';
import { denseCases, withoutFastPath } from './problem-testkit';

const make = (p: z.input<typeof mlpParams>): Problem => mlp(mlpParams.parse(p), 3);

const plain = withoutFastPath;

/** max |a − b| / max(1e-12, max |b|) over two tensors' values. */
function relDiff(a: Tensor, b: Tensor): number {
  const av = a.dataSync();
  const bv = b.dataSync();
  expect(av.length).toBe(bv.length);
  let scale = 1e-12;
  let diff = 0;
  for (let i = 0; i < bv.length; i++) {
    scale = Math.max(scale, Math.abs(bv[i] as number));
    diff = Math.max(diff, Math.abs((av[i] as number) - (bv[i] as number)));
  }
  return diff / scale;
}

/** B parameter rows scattered around the init (relu kinks and zero biases are not special). */
function rows(problem: Problem, B: number, seed: number): Tensor2D {
  const rng = makeRng(seed);
  return tf.tensor2d(Array.from({ length: B }, () => problem.init.map((v) => v + rng.normal(0, 0.3))));
}

const cases = denseCases;

describe('dense fast path = autodiff', () => {
  for (const { name, params } of cases) {
    it(`${name}: loss and gradient (B rows and one row), outputs and Jacobians agree to 1e-6`, () => {
      const problem = make(params);
      const fastObj = makeObjective(problem, null);
      const autoObj = makeObjective(plain(problem), null);
      expect(fastPathOf(fastObj)).not.toBeNull();
      expect(fastPathOf(autoObj)).toBeNull();
      const p = rows(problem, 3, 7);
      const row = tf.slice(p, [1, 0], [1, -1]) as Tensor2D;
      const before = tf.memory().numTensors;
      const pairs = tf.tidy(() => [
        [lossValues(fastObj, p), autoObj.loss(p)],
        [gradient(fastObj, p), gradient(autoObj, p)],
        // One row takes the 2-D path.
        [lossValues(fastObj, row), autoObj.loss(row)],
        [gradient(fastObj, row), gradient(autoObj, row)],
        [outputsAt(fastObj, row), outputsAt(autoObj, row)],
        [outputJacobians(fastObj, row), outputJacobians(autoObj, row)],
      ]);
      for (const [a, b] of pairs) {
        expect(a?.shape).toEqual(b?.shape);
        expect(relDiff(a as Tensor, b as Tensor)).toBeLessThan(1e-6);
      }
      tf.dispose(pairs.flat());
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([p, row]);
      problem.dispose();
    });
  }

  it('plane losses at c + α·d1 + β·d2 equal the loss evaluated directly, every case', () => {
    for (const { name, params } of cases) {
      const problem = make(params);
      const fast = denseFastPathOf(problem);
      const auto = makeObjective(plain(problem), null);
      const plane = rows(problem, 3, 13);
      const ab = tf.tensor2d([
        [0, 0],
        [1, 0],
        [-0.5, 2],
        [0.3, -0.7],
      ]);
      const [got, want] = tf.tidy(() => {
        const coef = tf.concat([tf.ones([4, 1]), ab], 1) as Tensor2D;
        const points = tf.matMul(coef, plane) as Tensor2D;
        return [fast?.planeLoss(plane, coef) ?? tf.zeros([4]), auto.loss(points)];
      });
      expect(relDiff(got as Tensor, want as Tensor), name).toBeLessThan(1e-5);
      tf.dispose([plane, ab, got as Tensor, want as Tensor]);
      problem.dispose();
    }
  });

  it('on the wasm backend (tanh as 2σ(2z) − 1; B rows in the units-first layout) it agrees as well', async () => {
    await setupNode('wasm');
    try {
      for (const { name, params } of cases) {
        const problem = make(params);
        const fastObj = makeObjective(problem, null);
        const autoObj = makeObjective(plain(problem), null);
        for (const B of [1, 3]) {
          const p = rows(problem, B, 7);
          const pairs = tf.tidy(() => [
            [lossValues(fastObj, p), autoObj.loss(p)],
            [gradient(fastObj, p), gradient(autoObj, p)],
          ]);
          for (const [a, b] of pairs)
            expect(relDiff(a as Tensor, b as Tensor), `${name}, B = ${B}`).toBeLessThan(1e-6);
          tf.dispose([...pairs.flat(), p]);
        }
        problem.dispose();
      }
    } finally {
      await setupNode('cpu');
    }
  });

  it('on the wasm backend plane losses equal the direct loss in both layouts: the cases and digits (tanh, relu, two hidden layers)', async () => {
    await setupNode('wasm');
    try {
      const problems: [string, Problem][] = [
        ...cases.map(({ name, params }): [string, Problem] => [name, make(params)]),
        ['digits 64-32-10', digits(digitsParams.parse({}), 0)],
        ['digits 64-32-10 relu', digits(digitsParams.parse({ activation: 'relu' }), 0)],
        ['digits 64-24-16-10', digits(digitsParams.parse({ hidden: [24, 16] }), 0)],
      ];
      for (const [name, problem] of problems) {
        const fast = denseFastPathOf(problem);
        const auto = makeObjective(plain(problem), null);
        const plane = rows(problem, 3, 17);
        // Up to 3 units from the centre along each direction: logits far from the init's.
        const ab = tf.tensor2d([0, 0, 1, 0, -0.5, 2, 0.3, -0.7, 3, 3, -3, 1.5], [6, 2]);
        for (const layout of ['rows', 'points-last'] as const) {
          const [got, want] = tf.tidy(() => {
            const coef = tf.concat([tf.ones([6, 1]), ab], 1) as Tensor2D;
            return [
              fast?.planeLoss(plane, coef, layout) ?? tf.zeros([6]),
              auto.loss(tf.matMul(coef, plane) as Tensor2D),
            ];
          });
          expect(relDiff(got as Tensor, want as Tensor), `${name}, ${layout}`).toBeLessThan(1e-5);
          tf.dispose([got as Tensor, want as Tensor]);
        }
        tf.dispose([plane, ab]);
        problem.dispose();
      }
    } finally {
      await setupNode('cpu');
    }
  });

  it('on wasm the points-last softmax takes σ after a bound shift near the centre and the exact max far out; both equal the direct loss', async () => {
    await setupNode('wasm');
    try {
      const problem = digits(digitsParams.parse({}), 0);
      const fast = denseFastPathOf(problem);
      const auto = makeObjective(plain(problem), null);
      const plane = rows(problem, 3, 17);
      const N = problem.x.shape[0];
      const C = problem.y.shape[1];
      for (const [where, pts, kernel] of [
        ['near', [0, 0, 0.5, -0.25], 'Sigmoid'],
        ['far', [40, -40, -60, 30], 'Max'],
      ] as const) {
        const coef = tf.tensor2d([1, pts[0], pts[1], 1, pts[2], pts[3]], [2, 3]);
        let got: Tensor | null = null;
        const info = await tf.profile(() => {
          got = tf.tidy(() => fast?.planeLoss(plane, coef, 'points-last') ?? tf.zeros([2]));
        });
        // The kernel that turns the logits [N, 2, C] into the log-sum-exp tells the branch.
        const onLogits = info.kernels.filter((k) => k.inputShapes[0]?.join() === [N, 2, C].join());
        expect(
          onLogits.some((k) => k.name === kernel),
          where,
        ).toBe(true);
        const want = tf.tidy(() => auto.loss(tf.matMul(coef, plane) as Tensor2D));
        expect(relDiff(got as unknown as Tensor, want), where).toBeLessThan(1e-5);
        // Far out the losses are large (the logits spread widely): the case the shift refuses.
        if (where === 'far') expect(Math.min(...want.dataSync())).toBeGreaterThan(10);
        tf.dispose([coef, want, got as unknown as Tensor]);
      }
      plane.dispose();
      problem.dispose();
    } finally {
      await setupNode('cpu');
    }
  });

  it('a φ-objective never takes the fast path', () => {
    const problem = make({ hidden: [3], n: 20 });
    const phi: Objective = { ...makeObjective(problem, null), reparam: {} as Objective['reparam'] };
    expect(fastPathOf(phi)).toBeNull();
    expect(denseFastPathOf(problem)).not.toBeNull();
    problem.dispose();
  });

  it('a copy of the problem with another likelihood drops the fast path', () => {
    const problem = make({ hidden: [3], n: 20 });
    const asGaussian: Problem = { ...problem, likelihood: { kind: 'gaussian', sigma: 1 } };
    expect(denseFastPathOf(asGaussian)).toBeNull();
    expect(denseFastPathOf({ ...problem })).not.toBeNull();
    problem.dispose();
  });

  it('a further tf.grad over the fast gradient is the exact Hessian (Newton)', () => {
    const problem = make({ hidden: [3], n: 24 });
    const row = rows(problem, 1, 11);
    const fastH = hessianTensor(makeObjective(problem, null), row);
    const autoH = hessianTensor(makeObjective(plain(problem), null), row);
    expect(relDiff(fastH, autoH)).toBeLessThan(1e-5);
    tf.dispose([row, fastH, autoH]);
    problem.dispose();
  });
});
