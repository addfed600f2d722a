/**
 * Memory: after LEAK_STEPS (200; 10,000 with LONG=1, npm run test:long) steps of every
 * optimizer on tiny-net the tensor count and bytes are what they were after the first step
 * (no per-step leak), and disposing frees everything. memory-testkit.ts says why 200 steps
 * catch a leak of one tensor per step; the last suite here shows it: a leak injected into a
 * clean optimizer (gd) — one tensor every step, or one every LEAK_STEPS − 1 steps — fails
 * the very assertions the suites make (expectNoLeak), and the clean run passes them.
 * One file: at 200 steps the fork's start-up (tfjs, setup) costs more than the steps.
 */
import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { describeLeaks, expectNoLeak, LEAK_STEPS, leakRun } from './memory-testkit';

describeLeaks('first-order', ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop']);
describeLeaks('Newton', ['newton']);
describeLeaks('Fisher / Gauss-Newton', ['ngd', 'ggn']);
describeLeaks('approximate-Fisher', ['empirical-fisher', 'diag-fisher']);
describeLeaks('matrix-free / Kronecker', ['hessian-free', 'kfac']);
describeLeaks('block / low-rank Fisher', ['block-fisher', 'lowrank-fisher']);

describe(`${LEAK_STEPS} steps of each exact method by CG on tiny-net`, () => {
  // The factor products (float64) and, for the Hessian, the backend's products.
  for (const id of ['ngd', 'ggn', 'empirical-fisher', 'newton'] as const) {
    it(`${id} with solver "cg": tf.memory() after step ${LEAK_STEPS} equals its value after step 1`, async () => {
      expectNoLeak(await leakRun(id, LEAK_STEPS, 'tiny-net', 0.01, undefined, { solver: 'cg' }));
    });
  }
  it('the backend products (matrix-free.ts) leave no tensor behind', async () => {
    const { curvatureProduct } = await import('./optimizers/curvature/matrix-free');
    const { makeObjective } = await import('./objective');
    const { tinyNet } = await import('./problems/tiny-net');
    const { tinyNetParams } = await import('./problems/params');
    const prob = tinyNet(tinyNetParams.parse({}), 0);
    const obj = makeObjective(prob, null);
    const before = tf.memory().numTensors;
    for (const kind of ['fisher', 'ggn', 'empirical', 'hessian'] as const) {
      for (let k = 0; k < 20; k++) await curvatureProduct(obj, [0.4, 0.6], kind)([1, -1]);
    }
    expect(tf.memory().numTensors).toBe(before);
    prob.dispose();
  });
});

/** Run gd for LEAK_STEPS steps keeping a copy of the parameters every `period` steps. */
async function leakyRun(period: number) {
  const kept: tf.Tensor[] = [];
  const r = await leakRun('gd', LEAK_STEPS, 'tiny-net', 0.01, (k, params) => {
    if (k > 1 && (k - 1) % period === 0) kept.push(params.clone());
  });
  tf.dispose(kept);
  return { r, kept: kept.length };
}

describe(`the leak check over ${LEAK_STEPS} steps`, () => {
  it('passes a clean run', async () => {
    expectNoLeak(await leakRun('gd', LEAK_STEPS));
  });

  it('fails a leak of one tensor per step', async () => {
    const { r, kept } = await leakyRun(1);
    expect(kept).toBe(LEAK_STEPS - 1);
    expect(r.last.numTensors - r.first.numTensors).toBe(LEAK_STEPS - 1);
    expect(() => expectNoLeak(r)).toThrow();
  });

  it(`fails a leak of one tensor every ${LEAK_STEPS - 1} steps`, async () => {
    const { r, kept } = await leakyRun(LEAK_STEPS - 1);
    expect(kept).toBe(1);
    expect(r.last.numTensors - r.first.numTensors).toBe(1);
    expect(() => expectNoLeak(r)).toThrow();
  });
});
