/**
 * Where WebAssembly SIMD is missing the kernels are not loaded (wasm-kernel.ts gives null),
 * and K-FAC's fused step and a CG solve's held products take the tensor path instead: the
 * same factors and products to float32 round-off.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tf } from '../../tf';
import { makeObjective } from '../../objective';
import { makeRng } from '../../random';
import { digits, digitsParams } from '../../problems/digits';
import { denseFastPathOf } from '../../problems/dense-grad';
import { fisherFactor } from './fisher';
import { factorProduct } from './products';
import { hiddenFisherAvailable } from './hidden-fisher';
import { fisherKernelSupports } from './fisher-product';
import { heldCurvatureProduct } from './matrix-free';
import { gradientAndKfacFactorsAt, kfacFactorsAt, layerBlocks } from './kfac';

// The kernels compile on first use (wasm-kernel.ts), and each test file has fresh modules
// (test-setup.ts): refusing every module here leaves this file's kernels unloaded and no other's.
const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
afterAll(() => validate.mockRestore());

describe('without WebAssembly SIMD', () => {
  const problem = digits(digitsParams.parse({ hidden: [6], nTest: 1497 }), 3);
  const rng = makeRng(4);
  const point = problem.init.map((v) => v + rng.normal(0, 0.3));

  it('no kernel is offered', () => {
    const fast = denseFastPathOf(problem);
    expect(fast).not.toBeNull();
    expect(hiddenFisherAvailable()).toBe(false);
    expect(fast && fisherKernelSupports(fast)).toBe(false);
  });

  it('K-FAC’s fused step takes the tensor path’s factors', async () => {
    const row = tf.tensor2d([point]);
    const blocks = layerBlocks(problem.layers, problem.P);
    const obj = makeObjective(problem, null);
    const fused = await gradientAndKfacFactorsAt(obj, row, blocks);
    const plain = await kfacFactorsAt(obj, row, blocks);
    expect(fused?.factors).toEqual(plain);
    row.dispose();
  });

  it('a held Fisher product is the tensor path’s, within float32 round-off of the float64 product', async () => {
    const obj = makeObjective(problem, null);
    const row = tf.tensor2d([point]);
    const exact = factorProduct(await fisherFactor(obj, row));
    row.dispose();
    const before = tf.memory().numTensors;
    const held = heldCurvatureProduct(obj, point, 'fisher');
    const v = point.map(() => rng.normal());
    const got = await held.apply(v);
    const want = exact(v);
    const scale = Math.max(...want.map(Math.abs));
    expect(Math.max(...got.map((x, i) => Math.abs(x - (want[i] as number))))).toBeLessThan(2e-6 * scale);
    // The tensor path holds the point's forward pass until disposed.
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    held.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
