import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor3D } from '../tf';
import { functionDefect, functionDistances } from './function-defect';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { linspace } from '../problems/problem';
import { digits } from '../problems/digits';
import { digitsParams } from '../problems/params';
import { makeRng } from '../random';

/** Float64 D^fn for h(x) = a·tanh(b·x) on 32 points of [−2, 2]. */
function reference(theta: number[][], pushed: number[][]): number[] {
  const xs = linspace(-2, 2, 32);
  return theta.map(([a, b], k) => {
    const [c, d] = pushed[k] as number[];
    const ms =
      xs.reduce(
        (s, x) =>
          s +
          ((c as number) * Math.tanh((d as number) * x) - (a as number) * Math.tanh((b as number) * x)) ** 2,
        0,
      ) / xs.length;
    return Math.sqrt(ms);
  });
}

describe('function-space defect D^fn_K (docs/theory.md §1)', () => {
  const problem = tinyNet(tinyNetParams.parse({}), 1);
  afterAll(() => problem.dispose());
  const theta = [
    [0.4, 0.6],
    [0.55, 0.8],
    [0.7, 1.1],
  ];
  const pushed = [
    [0.4, 0.6],
    [0.5, 0.95],
    [0.9, 1.0],
  ];

  it('is zero for identical trajectories', async () => {
    expect(await functionDefect(problem, theta, theta)).toBe(0);
  });

  it('matches a float64 hand computation on tiny-net, step by step and as the max', async () => {
    const want = reference(theta, pushed);
    const got = await functionDistances(problem, theta, pushed);
    expect(got).toHaveLength(3);
    got.forEach((v, k) => expect(v).toBeCloseTo(want[k] as number, 6));
    expect(want[0]).toBe(0);
    expect(await functionDefect(problem, theta, pushed)).toBeCloseTo(Math.max(...want), 6);
  });

  it('compares only the steps both runs have, and propagates NaN (a diverged run)', async () => {
    expect(await functionDistances(problem, theta, pushed.slice(0, 2))).toHaveLength(2);
    expect(await functionDefect(problem, theta, [...pushed.slice(0, 2), [NaN, 1]])).toBeNaN();
    expect(await functionDefect(problem, [], [])).toBe(0);
  });

  it('leaks no tensors', async () => {
    await functionDefect(problem, theta, pushed);
    const before = tf.memory().numTensors;
    await functionDefect(problem, theta, pushed);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('D^fn_K of a softmax model: logits up to a common shift (docs/theory.md §1)', () => {
  const problem = digits(digitsParams.parse({ hidden: [4], nTest: 1497 }), 2);
  afterAll(() => problem.dispose());
  const rng = makeRng(5);
  const theta = Array.from({ length: problem.P }, () => 0.3 * (rng.next() - 0.5));
  const logits = (rows: number[][]): number[][][] =>
    tf.tidy(() => problem.model(tf.tensor2d(rows), tf.expandDims(problem.x, 0) as Tensor3D).arraySync());

  it('is zero when the φ-run differs only by a shift of all C logits (the same predictions)', async () => {
    // The last layer's bias is the last C numbers of θ: adding c to it adds c to every logit.
    const shifted = theta.map((v, i) => (i >= problem.P - problem.C ? v + 3 : v));
    const [a, b] = logits([theta, shifted]) as [number[][], number[][]];
    expect(Math.abs((b[0]?.[4] as number) - (a[0]?.[4] as number) - 3)).toBeLessThan(1e-5);
    expect(await functionDefect(problem, [theta], [shifted])).toBeLessThan(1e-5);
  });

  it('otherwise is the RMS distance of the centred logits, as a float64 computation of the same logits', async () => {
    const moved = theta.map((v) => v + 0.05 * (rng.next() - 0.5));
    const [a, b] = logits([theta, moved]) as [number[][], number[][]];
    const ms =
      a.reduce((s, ha, n) => {
        const d = ha.map((v, c) => (b[n]?.[c] as number) - v);
        const mean = d.reduce((t, v) => t + v, 0) / d.length;
        return s + d.reduce((t, v) => t + (v - mean) ** 2, 0);
      }, 0) / a.length;
    const got = await functionDefect(problem, [theta], [moved]);
    expect(got).toBeGreaterThan(0);
    expect(Math.abs(got - Math.sqrt(ms)) / Math.sqrt(ms)).toBeLessThan(1e-4);
  });
});
