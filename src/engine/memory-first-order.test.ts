/**
 * Issue 10, memory: after 10,000 steps of every first-order optimizer the tensor count is
 * what it was after the first step (no per-step leak), and disposing frees everything.
 */
import { describe, expect, it } from 'vitest';
import { leakRun } from './memory-testkit';
import type { OptimizerId } from './optimizers/ids';

const STEPS = 10_000;
const firstOrder: OptimizerId[] = ['gd', 'momentum', 'nesterov', 'adam', 'rmsprop'];

describe(`${STEPS} steps of each first-order optimizer on tiny-net`, () => {
  for (const id of firstOrder) {
    it(`${id}: tf.memory() after step ${STEPS} equals its value after step 1`, () => {
      const r = leakRun(id, STEPS);
      expect(r.params.every(Number.isFinite)).toBe(true);
      expect(r.last.numTensors).toBe(r.first.numTensors);
      expect(r.last.numBytes).toBe(r.first.numBytes);
      expect(r.after).toBe(r.before);
    });
  }
});
