/**
 * The state contract (state.ts) for every registered optimizer: export after some steps,
 * pass the state through JSON (it must be plain data), import it into a fresh instance,
 * and the next steps equal the original's bit for bit. Hyper-parameters are chosen so the
 * state matters: adaptive λ, stale K-FAC inverses, Hessian-free warm starts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { optimizerIds } from './ids';
import { optimizers } from './index';
import { baseHyper, type Hyper, type Optimizer } from './optimizer';
import type { OptimizerState } from './state';

const special: Partial<Record<string, Partial<Hyper>>> = {
  ngd: { damping: { type: 'lm', value: 1e-2, adaptive: true } },
  newton: { damping: { type: 'lm', value: 1, adaptive: true } },
  kfac: { inversePeriod: 3, damping: { type: 'lm', value: 1e-2 } },
  'hessian-free': { decay: 0.9, cgIters: 3, damping: { type: 'lm', value: 1e-2 } },
  ggn: { damping: { type: 'lm', value: 1e-3 } },
  'empirical-fisher': { damping: { type: 'lm', value: 1e-3 } },
};

async function stepRows(
  opt: Optimizer,
  p: Tensor2D,
  k: number,
): Promise<{ rows: number[][][]; last: Tensor2D }> {
  const rows: number[][][] = [];
  let cur = p;
  for (let i = 0; i < k; i++) {
    const next = await opt.step(cur);
    if (cur !== p) cur.dispose();
    cur = next;
    rows.push(cur.arraySync());
  }
  return { rows, last: cur };
}

describe('optimizer state export / import', () => {
  const problem = mlp(
    mlpParams.parse({ dataset: 'sine', hidden: [3], n: 16, testFraction: 0, noise: 0.1 }),
    2,
  );
  const obj = makeObjective(problem, null);
  const P = obj.P;
  const starts = [problem.init.map((v) => v), problem.init.map((v, j) => v + 0.05 * Math.sin(j + 1))];
  afterAll(() => problem.dispose());

  it.each(optimizerIds.filter((id) => optimizers[id]))(
    '%s continues exactly after a round trip',
    async (id) => {
      const def = optimizers[id];
      if (!def) throw new Error(id);
      const hyper: Hyper = { ...baseHyper, ...def.defaults, ...special[id] };
      const base = tf.memory().numTensors;
      const original = def.create(obj, hyper, 2);
      const p0 = tf.tensor2d(starts, [2, P]);
      const warm = await stepRows(original, p0, 4);
      p0.dispose();

      const state = JSON.parse(JSON.stringify(await original.exportState())) as OptimizerState;
      expect(state.optimizer).toBe(id);
      expect(state.rows).toBe(2);
      for (const e of Object.values(state.entries)) expect(e.rows).toHaveLength(2);
      const copy = def.create(obj, hyper, 2);
      copy.importState(state);

      const a = await stepRows(original, warm.last, 3);
      const b = await stepRows(copy, warm.last, 3);
      expect(b.rows).toEqual(a.rows);

      // Leak check: a further step of the imported copy adds no tensors; dispose frees all.
      const before = tf.memory().numTensors;
      const again = await copy.step(b.last);
      again.dispose();
      expect(tf.memory().numTensors).toBe(before);
      [warm.last, a.last, b.last].forEach((t) => t.dispose());
      original.dispose();
      copy.dispose();
      expect(tf.memory().numTensors).toBe(base);
    },
  );

  it('a state that does not fit is refused', async () => {
    const def = optimizers.adam;
    if (!def) throw new Error('adam');
    const hyper: Hyper = { ...baseHyper, ...def.defaults };
    const one = def.create(obj, hyper, 1);
    const two = def.create(obj, hyper, 2);
    const oneState = await one.exportState();
    expect(() => two.importState(oneState)).toThrow(/does not fit/);
    const momentumState = optimizers.momentum?.create(obj, hyper, 1);
    const otherState = (await momentumState?.exportState()) as OptimizerState;
    expect(() => one.importState(otherState)).toThrow(/does not fit/);
    [one, two, momentumState].forEach((o) => o?.dispose());
  });
});
