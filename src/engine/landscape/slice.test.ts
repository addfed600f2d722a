import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { makeObjective, type Objective } from '../objective';
import { setupNode } from '../setup-node';
import { digits } from '../problems/digits';
import { digitsParams } from '../problems/params';
import { mlp, mlpParams } from '../problems/mlp';
import { filterNormalizedDirections } from './filter-directions';
import { gridPoint, lossGrid, type Window } from './grid';
import { isCancelledError } from './chunks';
import { defaultSliceChunk, kernelSliceChunk, slicePoint, sliceGrid, type Slice } from './slice';

const problem = mlp(mlpParams.parse({ hidden: [8, 8], n: 64 }), 1);
const objective = makeObjective(problem, null);
const slice = filterNormalizedDirections(problem.init, problem.layers, 5);
const window: Window = [
  [-1, 1],
  [-0.5, 1.5],
];
afterAll(() => problem.dispose());

function directLoss(a: number, b: number): number {
  return tf.tidy(() => objective.loss(tf.tensor2d([slicePoint(slice, a, b)])).dataSync()[0] as number);
}

describe('loss on a 2-D slice of a network', () => {
  it('equals the loss evaluated directly at the grid points (and at the centre)', async () => {
    const n = 9;
    const before = tf.memory().numTensors;
    const grid = await sliceGrid(objective, slice, window, n, { chunk: 5 });
    expect(tf.memory().numTensors).toBe(before);
    expect(grid.n).toBe(n);
    expect(grid.window).toEqual(window);
    for (const [i, j] of [
      [0, 0],
      [8, 0],
      [3, 1],
      [2, 7],
      [8, 8],
    ] as const) {
      const [a, b] = gridPoint(window, n, i, j);
      const direct = directLoss(a, b);
      expect(Math.abs((grid.values[j * n + i] as number) - direct)).toBeLessThan(1e-5 * (1 + direct));
    }
    // (a, b) = (0, 0) is grid cell (4, 2): the loss at the start point itself.
    const atCentre = tf.tidy(() => objective.loss(tf.tensor2d([[...problem.init]])).dataSync()[0] as number);
    expect(gridPoint(window, n, 4, 2)).toEqual([0, 0]);
    expect(grid.values[2 * n + 4]).toBeCloseTo(atCentre, 5);
    // The slice is not flat: the directions are not in the loss's null space.
    expect(Math.max(...grid.values) - Math.min(...grid.values)).toBeGreaterThan(0.01);
  });

  it('reports progress per chunk, ending at 1', async () => {
    const seen: number[] = [];
    await sliceGrid(objective, slice, window, 6, { chunk: 10, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBe(4); // 36 rows in chunks of 10
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('stops early when cancelled between chunks, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const signal = { cancelled: false };
    let chunks = 0;
    const run = sliceGrid(objective, slice, window, 10, {
      chunk: 10,
      signal,
      onProgress: () => {
        chunks += 1;
        if (chunks === 2) signal.cancelled = true;
      },
    });
    await expect(run).rejects.toSatisfy(isCancelledError);
    expect(chunks).toBe(2); // of 10
    expect(tf.memory().numTensors).toBe(before);
    // An AbortSignal works too; an already aborted one evaluates nothing.
    const ctrl = new AbortController();
    ctrl.abort();
    let any = false;
    await expect(
      sliceGrid(objective, slice, window, 4, { signal: ctrl.signal, onProgress: () => (any = true) }),
    ).rejects.toSatisfy(isCancelledError);
    expect(any).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('each layout of a dense network’s chunk (rows, points-last) gives the direct loss, here and on wasm for digits', async () => {
    const check = async (obj: Objective, sl: Slice, n: number, chunk: number): Promise<void> => {
      const grids = [];
      const before = tf.memory().numTensors;
      for (const layout of ['rows', 'points-last'] as const)
        grids.push(await sliceGrid(obj, sl, window, n, { chunk, layout }));
      expect(tf.memory().numTensors).toBe(before);
      for (const [i, j] of [
        [0, 0],
        [n - 1, 1],
        [2, n - 2],
        [n - 1, n - 1],
      ] as const) {
        const [a, b] = gridPoint(window, n, i, j);
        const point = Array.from(
          sl.centre,
          (c, k) => c + a * (sl.d1[k] as number) + b * (sl.d2[k] as number),
        );
        const direct = tf.tidy(() => obj.loss(tf.tensor2d([point])).dataSync()[0] as number);
        for (const g of grids)
          expect(Math.abs((g.values[j * n + i] as number) - direct)).toBeLessThan(1e-5 * (1 + direct));
      }
    };
    await check(objective, slice, 7, 10);
    await setupNode('wasm');
    try {
      const d = digits(digitsParams.parse({}), 0);
      await check(makeObjective(d, null), filterNormalizedDirections(d.init, d.layers, 3), 6, 16);
      d.dispose();
    } finally {
      await setupNode('cpu');
    }
  });

  it('needs a slice of the objective’s dimension', async () => {
    const bad = { ...slice, d1: new Float64Array(3) };
    await expect(sliceGrid(objective, bad, window, 4)).rejects.toThrow(/parameters/);
  });
});

describe('2-parameter grids keep their API and gain progress and cancellation', () => {
  it('lossGrid reports progress and can be cancelled', async () => {
    const { tinyNet, tinyNetParams } = await import('../problems/tiny-net');
    const tiny = tinyNet(tinyNetParams.parse({}), 0);
    const obj = makeObjective(tiny, null);
    const w: Window = [
      [-1, 1],
      [-1, 1],
    ];
    const seen: number[] = [];
    const grid = await lossGrid(obj, w, 8, 16, { onProgress: (f) => seen.push(f) });
    expect(seen).toEqual([0.25, 0.5, 0.75, 1]);
    const direct = tf.tidy(() => obj.loss(tf.tensor2d([gridPoint(w, 8, 2, 5)])).dataSync()[0] as number);
    expect(grid.values[5 * 8 + 2]).toBeCloseTo(direct, 5);
    await expect(lossGrid(obj, w, 8, 16, { signal: { cancelled: true } })).rejects.toSatisfy(
      isCancelledError,
    );
    tiny.dispose();
  });
});

describe('defaultSliceChunk', () => {
  it('on wasm, about 100,000 example-points a chunk (a power of two, 16–256); elsewhere 256', () => {
    expect(defaultSliceChunk(1500, 'wasm')).toBe(64); // digits
    expect(defaultSliceChunk(256, 'wasm')).toBe(256); // the MLP: unchanged
    expect(defaultSliceChunk(1e6, 'wasm')).toBe(16);
    expect(defaultSliceChunk(1500, 'webgpu')).toBe(256);
    expect(defaultSliceChunk(1500, 'cpu')).toBe(256);
  });
});

describe('kernelSliceChunk', () => {
  it('about 400,000 example-points a chunk for the fused kernel (a power of two, 16–1,024)', () => {
    expect(kernelSliceChunk(1500)).toBe(256); // digits
    expect(kernelSliceChunk(256)).toBe(1024); // the MLP
    expect(kernelSliceChunk(1e7)).toBe(16);
  });
});
