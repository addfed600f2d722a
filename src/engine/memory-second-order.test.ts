/**
 * Issue 10, memory, for the curvature-based optimizers. Their steps cost ~0.5–1 ms each
 * on the cpu backend (float64 solves on the CPU plus a read-back), so 10,000 steps of all
 * seven would take well over a minute: they run 2,000 steps each here. A per-step leak
 * grows numTensors by at least one per step, so 2,000 steps show it as clearly as 10,000.
 */
import { describe, expect, it } from 'vitest';
import { leakRun } from './memory-testkit';
import type { OptimizerId } from './optimizers/ids';

const STEPS = 2_000;
const secondOrder: OptimizerId[] = [
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
  'diag-fisher',
  'hessian-free',
  'kfac',
];

describe(`${STEPS} steps of each curvature-based optimizer on tiny-net`, () => {
  for (const id of secondOrder) {
    it(`${id}: tf.memory() after step ${STEPS} equals its value after step 1`, () => {
      const r = leakRun(id, STEPS);
      expect(r.params.every(Number.isFinite)).toBe(true);
      expect(r.last.numTensors).toBe(r.first.numTensors);
      expect(r.last.numBytes).toBe(r.first.numBytes);
      expect(r.after).toBe(r.before);
    });
  }
});
