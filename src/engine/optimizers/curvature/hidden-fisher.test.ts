/**
 * hidden-fisher.ts's kernel against a float64 sum of the same rows, and against the tensor
 * path's G and mask (problems/dense-grad.ts `kfacFactors`); when the fast path leaves the
 * hidden layer to it; K-FAC's fused step with it leaks nothing.
 */
import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { makeObjective } from '../../objective';
import { makeRng } from '../../random';
import type { DenseProblem } from '../../problems/dense-grad';
import { mlp, mlpParams } from '../../problems/mlp';
import { digits, digitsParams } from '../../problems/digits';
import type { Problem } from '../../problems/problem';
import type { Mat } from '../../linalg/dense';
import { hiddenFisher, hiddenFisherAvailable, type HiddenFisherData } from './hidden-fisher';
import { gradientAndKfacFactorsAt, layerBlocks } from './kfac';
import { maxRel } from './kfac-testkit';

/** The kernel's inputs at θ = `theta`, read back from the fast path's deferred parts. */
function inputsAt(problem: Problem, theta: number[]): HiddenFisherData {
  const fast = (problem as DenseProblem).dense;
  return tf.tidy(() => {
    const parts = fast.gradientAndKfacFactors(tf.tensor2d([theta]) as Tensor2D, undefined, true);
    const h = parts.hidden;
    if (!h) throw new Error('the hidden layer should be left to the kernel');
    expect(parts.factors[0]?.G).toBeNull();
    expect(parts.inputMask).toBeNull();
    const [N, C] = h.probs.shape;
    return {
      probs: h.probs.dataSync() as Float32Array,
      derivs: h.derivs.dataSync() as Float32Array,
      weights: h.weights.dataSync() as Float32Array,
      N,
      C,
      H: h.derivs.shape[1],
    };
  });
}

/** G = (1/N) Σ_n Σ_c r rᵀ, r = √p_c · d ⊙ (W_c − W p), in float64 from the same float32 inputs. */
function reference({ probs, derivs, weights, N, C, H }: HiddenFisherData): { G: Mat; sens: number[] } {
  const G: Mat = Array.from({ length: H }, () => new Array<number>(H).fill(0));
  const sens: number[] = [];
  for (let n = 0; n < N; n++) {
    const p = (c: number) => probs[n * C + c] as number;
    const W = (h: number, c: number) => weights[h * C + c] as number;
    const m = Array.from({ length: H }, (_, h) => {
      let s = 0;
      for (let c = 0; c < C; c++) s += p(c) * W(h, c);
      return s;
    });
    let s2 = 0;
    for (let c = 0; c < C; c++) {
      const r = m.map((mh, h) => Math.sqrt(p(c)) * (derivs[n * H + h] as number) * (W(h, c) - mh));
      r.forEach((ri, i) => {
        s2 += ri * ri;
        r.forEach((rj, j) => ((G[i] as number[])[j] = ((G[i] as number[])[j] as number) + (ri * rj) / N));
      });
    }
    sens.push(s2);
  }
  return { G, sens };
}

const near = (problem: Problem, seed: number): number[] => {
  const rng = makeRng(seed);
  return problem.init.map((v) => v + rng.normal(0, 0.3));
};

describe('K-FAC’s hidden-layer G by the WebAssembly kernel', () => {
  it('runs here (Node has WebAssembly SIMD)', () => {
    expect(hiddenFisherAvailable()).toBe(true);
  });

  const cases: [string, () => Problem][] = [
    ['digits 64-32-10', () => digits(digitsParams.parse({}), 0)],
    [
      'digits 64-5-10 relu (H not a multiple of 4)',
      () => digits(digitsParams.parse({ hidden: [5], activation: 'relu' }), 1),
    ],
    [
      'gaussians 2-6-3 softplus',
      () =>
        mlp(
          mlpParams.parse({ hidden: [6], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 }),
          4,
        ),
    ],
  ];
  for (const [name, make] of cases) {
    it(`${name}: equals a float64 sum of the same rows to 1e-6, the tensor path's float32 Gram to 2e-5`, () => {
      const problem = make();
      const theta = near(problem, 5);
      const data = inputsAt(problem, theta);
      const want = reference(data);
      const got = hiddenFisher(data);
      expect(maxRel(got.G, want.G)).toBeLessThan(1e-6);
      got.G.forEach((r, i) => r.forEach((v, j) => expect(v).toBe(got.G[j]?.[i])));
      const sensScale = Math.max(...want.sens);
      want.sens.forEach((s, n) =>
        expect(Math.abs((got.sensitivity[n] as number) - s)).toBeLessThan(1e-5 * sensScale),
      );
      const tensorG = tf.tidy(() =>
        (problem as DenseProblem).dense
          .kfacFactors(tf.tensor2d([theta]) as Tensor2D)
          .factors[0]?.G.arraySync(),
      ) as Mat;
      expect(maxRel(tensorG, want.G)).toBeLessThan(2e-5);
      problem.dispose();
    });
  }

  it('its zero sensitivities are the tensor path’s mask: examples whose softmax is one-hot in float32', () => {
    // Huge last-layer weights make some of the 3-class softmax outputs one-hot.
    const problem = mlp(mlpParams.parse({ hidden: [5], n: 60, dataset: 'gaussians', classes: 3 }), 4);
    const theta = problem.init.map((v, i) => (i >= 15 ? v * 3000 : v));
    const got = hiddenFisher(inputsAt(problem, theta));
    const mask = tf.tidy(() =>
      (problem as DenseProblem).dense.kfacFactors(tf.tensor2d([theta]) as Tensor2D).inputMask.dataSync(),
    );
    expect(mask.includes(0)).toBe(true);
    expect(Array.from(got.sensitivity, (s) => (s > 0 ? 1 : 0))).toEqual(Array.from(mask));
    problem.dispose();
  });

  it('the fast path leaves the layer to it only for one hidden layer, a softmax over 3+ classes, the exact Fisher', () => {
    const hiddenOf = (problem: Problem, draws = false): boolean =>
      tf.tidy(() => {
        const fast = (problem as DenseProblem).dense;
        const u = {
          uniform: (n: number) => tf.fill([n, 1], 0.5) as Tensor2D,
          normal: (n: number, k: number) => tf.zeros([n, k]) as Tensor2D,
        };
        const row = tf.tensor2d([[...problem.init]]) as Tensor2D;
        return fast.gradientAndKfacFactors(row, draws ? u : undefined, true).hidden !== null;
      });
    const three = mlp(mlpParams.parse({ hidden: [4], n: 30, dataset: 'gaussians', classes: 3 }), 4);
    const deep = mlp(mlpParams.parse({ hidden: [4, 4], n: 30, dataset: 'gaussians', classes: 3 }), 4);
    const binary = mlp(mlpParams.parse({ hidden: [4], n: 30 }), 4);
    const regression = mlp(mlpParams.parse({ hidden: [4], n: 30, dataset: 'sine' }), 4);
    expect(hiddenOf(three)).toBe(true);
    expect(hiddenOf(three, true)).toBe(false); // the sampled Fisher: one row per example
    expect([deep, binary, regression].map((p) => hiddenOf(p))).toEqual([false, false, false]);
    for (const p of [three, deep, binary, regression]) p.dispose();
  });

  it('K-FAC’s fused step inputs on digits: nothing leaks; the first G is the kernel’s', async () => {
    const problem = digits(digitsParams.parse({ hidden: [8], nTest: 1497 }), 2);
    const theta = near(problem, 7);
    const row = tf.tensor2d([theta]) as Tensor2D;
    const blocks = layerBlocks(problem.layers, problem.P);
    const before = tf.memory().numTensors;
    const both = await gradientAndKfacFactorsAt(makeObjective(problem, null), row, blocks);
    expect(tf.memory().numTensors).toBe(before);
    expect(both?.factors[0]?.G).toEqual(hiddenFisher(inputsAt(problem, theta)).G);
    row.dispose();
    problem.dispose();
  });
});
