/**
 * The step timing behind the automatic backend choice and the browser benchmark hook, in
 * Node on the cpu backend: the workload is the benchmark network with R runs (past the
 * schema's 16 too), the warm-up respects its step limit and takes at least one timed step,
 * throughput reports every run count, the digits timing one time per grid and per step, and
 * none leaves tensors behind.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import { createSession } from '../engine/experiment';
import { digitsTiming, gdBatch, median, throughput, warmupTiming } from './step-timing';
import { sizeClass, workloadOf } from './workload';

describe('step timing', () => {
  it('builds R identical gd runs of the 2-16-16-1 tanh MLP on 256 points, past 16 runs too', () => {
    for (const R of [1, 16, 64]) {
      const e = gdBatch(R);
      expect(e.optimizers).toHaveLength(R);
      expect(new Set(e.optimizers.map((o) => JSON.stringify(o))).size).toBe(1);
    }
    const s = createSession(gdBatch(2));
    try {
      expect(s.problem.P).toBe(337);
      expect(s.runs).toHaveLength(2);
    } finally {
      s.dispose();
    }
  });

  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('warm-up: between 1 and maxSteps timed steps, a positive median, no tensors left', async () => {
    const before = tf.memory().numTensors;
    const tight = await warmupTiming(1, 5, 0, false);
    expect(tight.steps).toBe(1);
    const loose = await warmupTiming(1, 3, 60_000);
    expect(loose.steps).toBe(3);
    for (const t of [tight, loose]) {
      expect(t.msPerStep).toBeGreaterThan(0);
      expect(t.spentMs).toBeGreaterThanOrEqual(t.msPerStep);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('warm-up of the user’s own experiment: its runs and its size set the time per step', async () => {
    const before = tf.memory().numTensors;
    const small = workloadOf({ version: 1, problem: { id: 'tiny-net' }, optimizers: [{ id: 'gd' }] });
    const large = workloadOf({
      version: 1,
      problem: { id: 'digits', hidden: [8] },
      optimizers: [{ id: 'gd' }, { id: 'adam' }],
      steps: 2,
    });
    expect(small?.label).toBe('this experiment (tiny-net, P = 2)');
    expect(large?.label).toBe('this experiment (digits, P = 610)');
    expect(workloadOf({ version: 1, problem: { id: 'nope' } })).toBeNull();
    const [a, b] = [
      await warmupTiming(1, 3, 60_000, false, small?.experiment),
      await warmupTiming(1, 3, 60_000, false, large?.experiment),
    ];
    // Three timed steps even though the experiment itself has only 2.
    expect(b.steps).toBe(3);
    // What was timed is the experiment itself: its runs and its network (how long a step
    // takes is the benchmark's business, not a unit test's).
    expect([a.runs, a.P]).toEqual([1, 2]);
    expect([b.runs, b.P]).toEqual([2, 610]);
    expect(b.msPerStep).toBeGreaterThan(0);
    expect(sizeClass(2)).toBe(1);
    expect(sizeClass(337)).toBe(3);
    expect(sizeClass(2410)).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('throughput: one row per run count with a finite rate per round, no tensors left', async () => {
    const before = tf.memory().numTensors;
    const rows = await throughput([1, 2], 2, 10);
    expect(rows.map((r) => r.runs)).toEqual([1, 2]);
    for (const r of rows) {
      expect(r.reps).toHaveLength(2);
      expect(r.stepsPerRep).toBeGreaterThanOrEqual(1);
      expect(Number.isFinite(r.runStepsPerSec) && r.runStepsPerSec > 0).toBe(true);
      expect(r.runStepsPerSec).toBe(median(r.reps));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('digits: one wall time per slice grid and per gd step, none for zero, no tensors left', async () => {
    const before = tf.memory().numTensors;
    // A 6×6 grid: the 64×64 one is the benchmark's (bench/browser.ts), not a unit test's.
    const t = await digitsTiming(2, 3, 6);
    expect(t.sliceMs).toHaveLength(2);
    expect(t.stepMs).toHaveLength(3);
    for (const ms of [...t.sliceMs, ...t.stepMs]) expect(Number.isFinite(ms) && ms > 0).toBe(true);
    expect(await digitsTiming(0, 0)).toEqual({ sliceMs: [], stepMs: [] });
    expect(tf.memory().numTensors).toBe(before);
  });
});
