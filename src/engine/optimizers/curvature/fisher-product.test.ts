/**
 * fisher-product.ts's kernel against float64 products of the Fisher factor U (UᵀU v / N, its
 * rows by autodiff-free backward passes in float32, the sums in float64) on every head and
 * likelihood the fast path has; two held products used in turn; nothing leaks.
 */
import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { makeObjective } from '../../objective';
import { makeRng } from '../../random';
import { denseFastPathOf } from '../../problems/dense-grad';
import { mlp, mlpParams } from '../../problems/mlp';
import { digits, digitsParams } from '../../problems/digits';
import type { Problem } from '../../problems/problem';
import type { Vec } from '../../linalg/dense';
import { fisherFactor } from './fisher';
import { factorProduct } from './products';
import { fisherKernelProduct, fisherKernelSupports } from './fisher-product';

const gap = (a: Vec, b: Vec): number =>
  Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)))) / Math.max(...b.map(Math.abs));

/** A point near the init and the float64 product there. */
async function reference(problem: Problem, seed: number) {
  const rng = makeRng(seed);
  const point = problem.init.map((v) => v + rng.normal(0, 0.3));
  const row = tf.tensor2d([point]) as Tensor2D;
  const exact = factorProduct(await fisherFactor(makeObjective(problem, null), row));
  row.dispose();
  return { point, exact, direction: () => point.map(() => rng.normal()) };
}

describe('Fisher-vector products by the WebAssembly kernel', () => {
  const cases: [string, () => Problem][] = [
    ['digits 64-32-10 tanh (softmax, 10 classes)', () => digits(digitsParams.parse({ nTest: 1497 }), 0)],
    [
      'digits 64-24-16-10 relu',
      () => digits(digitsParams.parse({ hidden: [24, 16], activation: 'relu', nTest: 1497 }), 1),
    ],
    ['spiral 2-5-4-1 tanh (binary head)', () => mlp(mlpParams.parse({ hidden: [5, 4], n: 40 }), 4)],
    ['sine 1-4-1 (gaussian)', () => mlp(mlpParams.parse({ hidden: [4], n: 30, dataset: 'sine' }), 4)],
    [
      'gaussians 2-6-3 softplus (3 classes)',
      () =>
        mlp(
          mlpParams.parse({ hidden: [6], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 }),
          4,
        ),
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name}: equals UᵀU v / N in float64 to 2e-7 of the largest entry; no tensor left`, async () => {
      const problem = make();
      const fast = denseFastPathOf(problem);
      if (!fast) throw new Error('a dense problem');
      expect(fisherKernelSupports(fast)).toBe(true);
      const { point, exact, direction } = await reference(problem, 3);
      const before = tf.memory().numTensors;
      const held = await fisherKernelProduct(fast, point);
      expect(tf.memory().numTensors).toBe(before);
      for (let t = 0; t < 2; t++) {
        const v = direction();
        expect(gap(held.apply(v), exact(v))).toBeLessThan(2e-7);
      }
      problem.dispose();
    });
  }

  it('two held products used in turn each get their own point back', async () => {
    const problem = digits(digitsParams.parse({ hidden: [8], nTest: 1497 }), 2);
    const fast = denseFastPathOf(problem);
    if (!fast) throw new Error('a dense problem');
    const a = await reference(problem, 5);
    const b = await reference(problem, 6);
    const heldA = await fisherKernelProduct(fast, a.point);
    const heldB = await fisherKernelProduct(fast, b.point);
    const v = a.direction();
    for (let t = 0; t < 2; t++) {
      expect(gap(heldA.apply(v), a.exact(v))).toBeLessThan(2e-7);
      expect(gap(heldB.apply(v), b.exact(v))).toBeLessThan(2e-7);
    }
    problem.dispose();
  });
});
