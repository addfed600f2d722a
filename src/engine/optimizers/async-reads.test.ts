/**
 * Lost GPUs (docs/reliability.md): on tfjs-webgpu a synchronous read (dataSync/arraySync, which end in
 * the engine's `readSync`) loses the device. Every optimizer step, every state export, a
 * session's checkpoint and its live measurements (step metrics, naturality distances) must
 * read tensors only asynchronously. The cpu backend's own async read goes through the
 * backend, not through `tf.engine().readSync`, so a spy on the engine's method sees only
 * synchronous reads. Leak checks as for every optimizer test.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { createReparam } from '../reparam';
import { createSession } from '../experiment';
import { parseExperiment } from '../schema';
import { createStepMetricsTracker } from '../measure/step-metrics';
import { createDefectTracker } from '../measure/pair-tracker';
import { baseHyper, type Hyper } from './optimizer';
import { optimizers } from './index';
import type { OptimizerId } from './ids';

const ids = (Object.keys(optimizers) as OptimizerId[]).filter((id) => optimizers[id]);

/** A spy on the engine's synchronous read; every dataSync/arraySync passes through it. */
function spyReads() {
  return vi.spyOn(tf.engine(), 'readSync');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('no synchronous reads', () => {
  it('the spy sees a synchronous read (dataSync and arraySync)', () => {
    const reads = spyReads();
    const t = tf.tensor2d([[1, 2]]);
    t.dataSync();
    t.arraySync();
    t.dispose();
    expect(reads).toHaveBeenCalledTimes(2);
  });

  const problem = mlp(mlpParams.parse({ dataset: 'sine', hidden: [2], n: 12, testFraction: 0 }), 3);
  // A φ-run too: no fast path there (per-example Jacobians by tf.grad, K-FAC from the Fisher factor).
  const map = createReparam({ id: 'cubic', a: 0.3 }, problem.P, 1, problem.layers);
  const objectives = { theta: makeObjective(problem, null), phi: makeObjective(problem, map) };
  afterAll(() => problem.dispose());

  const cases = ids.flatMap((id) => (['theta', 'phi'] as const).map((space) => ({ id, space })));
  it.each(cases)(
    '$id in $space: steps and exportState read asynchronously, no leaks',
    async ({ id, space }) => {
      const def = optimizers[id];
      if (!def) throw new Error(id);
      // Adaptive λ and the midpoint rule exercise every read of the second-order engine.
      const hyper: Hyper = {
        ...baseHyper,
        ...def.defaults,
        lr: 0.05,
        ...(def.uses.includes('damping') ? { damping: { type: 'lm', value: 1e-2, adaptive: true } } : {}),
        ...(def.uses.includes('integrator') ? { integrator: 'midpoint' } : {}),
      };
      const obj = objectives[space];
      const start = space === 'theta' ? [...problem.init] : map.inverse64([...problem.init]);
      const base = tf.memory().numTensors;
      const opt = def.create(obj, hyper, 2);
      let p = tf.tensor2d([start, start.map((v) => v + 0.05)]) as Tensor2D;
      const reads = spyReads();
      const stepOnce = async (): Promise<void> => {
        const next = await opt.step(p);
        p.dispose();
        p = next;
      };
      await stepOnce();
      await stepOnce();
      const state = await opt.exportState();
      expect(reads).not.toHaveBeenCalled();
      expect(state.optimizer).toBe(id);
      expect(Array.from(await p.data()).every(Number.isFinite)).toBe(true);
      // Leak check: a further step adds no tensors; dispose frees the state.
      const before = tf.memory().numTensors;
      await stepOnce();
      expect(tf.memory().numTensors).toBe(before);
      p.dispose();
      opt.dispose();
      expect(tf.memory().numTensors).toBe(base);
    },
  );
});

describe('no synchronous reads in a session', () => {
  it('advance, checkpoint (with a switch run), step metrics and defects', async () => {
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'tiny-net' },
      seed: 1,
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [{ id: 'ngd' }, { id: 'kfac' }, { id: 'adam' }],
      steps: 8,
      switchAt: { step: 2 },
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const base = tf.memory().numTensors;
    const reads = spyReads();
    const s = createSession(parsed.experiment);
    await s.ready;
    const metrics = createStepMetricsTracker(s);
    const defects = createDefectTracker(s);
    await s.advance(4);
    const cp = await s.checkpoint();
    const [m, d] = await Promise.all([metrics.update(), defects.update()]);
    expect(reads).not.toHaveBeenCalled();
    expect(cp.step).toBe(4);
    expect(cp.groups.some((g) => g.snapshot?.phase?.switched)).toBe(true);
    expect(m.length).toBe(s.runs.length);
    expect(m.every((r) => r.cond.length === 5 && r.cond.every((c) => c > 0))).toBe(true);
    expect(d).toHaveLength(3);
    expect(s.runs.find((r) => r.space === 'switch' && r.optimizer === 2)?.note).toContain(
      'first moment m transported',
    );
    s.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
