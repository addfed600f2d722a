import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective } from '../objective';
import { makeRng } from '../random';
import { setupNode } from '../setup-node';
import { denseFastPathOf } from '../problems/dense-grad';
import { denseCases, withoutFastPath } from '../problems/problem-testkit';
import { mlp, mlpParams } from '../problems/mlp';
import { digits } from '../problems/digits';
import { digitsParams } from '../problems/params';
import type { Problem } from '../problems/problem';
import { planeEvaluator, planeKernelSupports, planeNetworkOf } from './plane-kernel';
import { sliceGrid, type Slice } from './slice';

/** A plane through a point near the init, along two random directions. */
function randomSlice(problem: Problem, seed: number): Slice {
  const rng = makeRng(seed);
  const around = (s: number) => Float64Array.from(problem.init, (v) => v + rng.normal(0, s));
  return {
    kind: 'random',
    label: 'test',
    centre: around(0.3),
    d1: Float64Array.from(problem.init, () => rng.normal(0, 0.5)),
    d2: Float64Array.from(problem.init, () => rng.normal(0, 0.5)),
  };
}

/** The mean loss at c + α·d1 + β·d2 for each (α, β), by the plain objective (float32 tensors). */
function directLosses(problem: Problem, slice: Slice, ab: number[]): Float32Array {
  const objective = makeObjective(withoutFastPath(problem), null);
  const rows: number[][] = [];
  for (let p = 0; p < ab.length / 2; p++) {
    const [a, b] = [ab[2 * p] as number, ab[2 * p + 1] as number];
    rows.push(
      Array.from(slice.centre, (c, i) => c + a * (slice.d1[i] as number) + b * (slice.d2[i] as number)),
    );
  }
  return tf.tidy(() => objective.loss(tf.tensor2d(rows) as Tensor2D).dataSync() as Float32Array);
}

describe('the fused plane kernel', () => {
  it('equals the direct loss on every dense network: the mlp cases and digits (tanh, relu, two hidden layers)', () => {
    const problems: [string, Problem][] = [
      ...denseCases.map(({ name, params }): [string, Problem] => [name, mlp(mlpParams.parse(params), 3)]),
      ['digits 64-32-10', digits(digitsParams.parse({}), 0)],
      ['digits 64-32-10 relu', digits(digitsParams.parse({ activation: 'relu' }), 0)],
      ['digits 64-24-16-10', digits(digitsParams.parse({ hidden: [24, 16] }), 0)],
    ];
    // Seven points (not a multiple of four): the centre, near it, and far out (large logits).
    const ab = [0, 0, 1, 0, -0.5, 2, 0.3, -0.7, 3, 3, -3, 1.5, 12, -9];
    for (const [name, problem] of problems) {
      const fast = denseFastPathOf(problem);
      const net = fast && planeNetworkOf(fast);
      expect(net, name).not.toBeNull();
      const slice = randomSlice(problem, 5);
      const got = planeEvaluator(net!, slice.centre, slice.d1, slice.d2)!.values(Float32Array.from(ab));
      const want = directLosses(problem, slice, ab);
      expect(got.length).toBe(7);
      for (let p = 0; p < 7; p++)
        expect(Math.abs((got[p] as number) - (want[p] as number)), `${name}, point ${p}`).toBeLessThan(
          2e-5 * (1 + Math.abs(want[p] as number)),
        );
      problem.dispose();
    }
  });

  it('two planes in turn each get their own data back (the memory holds one at a time)', () => {
    const a = digits(digitsParams.parse({}), 0);
    const b = mlp(mlpParams.parse({ hidden: [5, 4], n: 40 }), 3);
    const [sa, sb] = [randomSlice(a, 1), randomSlice(b, 2)];
    const ea = planeEvaluator(planeNetworkOf(denseFastPathOf(a)!)!, sa.centre, sa.d1, sa.d2)!;
    const eb = planeEvaluator(planeNetworkOf(denseFastPathOf(b)!)!, sb.centre, sb.d1, sb.d2)!;
    const ab = Float32Array.from([0.2, -0.1, 1, 1]);
    const first = ea.values(ab);
    eb.values(ab);
    expect(ea.values(ab)).toEqual(first);
    a.dispose();
    b.dispose();
  });

  it('declines what it has no form for: the (μ, σ) likelihood', () => {
    const layers = [{ inputs: 1, outputs: 2, activation: 'linear' as const }];
    expect(planeKernelSupports({ layers, head: 'identity', likelihood: { kind: 'gaussian-meanstd' } })).toBe(
      false,
    );
    expect(
      planeKernelSupports({ layers, head: 'identity', likelihood: { kind: 'gaussian', sigma: 1 } }),
    ).toBe(true);
  });

  it('sliceGrid takes it on wasm by default: the same grid as the tensor path, without its kernels', async () => {
    await setupNode('wasm');
    try {
      const problem = digits(digitsParams.parse({}), 0);
      const objective = makeObjective(problem, null);
      const slice = randomSlice(problem, 9);
      const window: [[number, number], [number, number]] = [
        [-1, 1],
        [-1, 1],
      ];
      let grid: Awaited<ReturnType<typeof sliceGrid>> | null = null;
      const info = await tf.profile(async () => {
        grid = await sliceGrid(objective, slice, window, 6);
      });
      expect(info.kernels.map((k) => k.name)).not.toContain('DepthwiseConv2dNative');
      expect(info.kernels.filter((k) => k.name === '_FusedMatMul' || k.name === 'BatchMatMul')).toEqual([]);
      const tensor = await sliceGrid(objective, slice, window, 6, { layout: 'points-last' });
      const values = (grid as unknown as { values: Float32Array }).values;
      for (let i = 0; i < 36; i++)
        expect(Math.abs((values[i] as number) - (tensor.values[i] as number))).toBeLessThan(
          2e-5 * (1 + Math.abs(tensor.values[i] as number)),
        );
      problem.dispose();
    } finally {
      await setupNode('cpu');
    }
  });
});
