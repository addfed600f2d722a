import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { functionDefect, functionDistances } from './function-defect';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { linspace } from '../problems/problem';

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
