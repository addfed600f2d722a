/**
 * The step timing behind the automatic backend choice and the browser benchmark hook, in
 * Node on the cpu backend: the workload is the benchmark network with R runs (past the
 * schema's 16 too), the warm-up respects its step limit and takes at least one timed step,
 * throughput reports every run count, and neither leaves tensors behind.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import { createSession } from '../engine/experiment';
import { gdBatch, median, throughput, warmupTiming } from './step-timing';

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
});
