/**
 * The step-metrics tracker of a restored session (docs/reliability.md): given the values an earlier
 * tracker computed (`prior`), it computes only the new points, and its first update reports
 * prior + new from step 0 — the same series a fresh tracker gives (κ(F) is sampled, so the
 * prior values are taken as they are; here few enough points that every one is computed).
 */
import { describe, expect, it } from 'vitest';
import { createSession } from '../experiment';
import { parseExperiment } from '../schema';
import { createStepMetricsTracker, type StepMetrics } from './step-metrics';

function experiment() {
  const res = parseExperiment({
    version: 1,
    problem: { id: 'gaussian-fit' },
    reparam: { id: 'exp', coords: [1] },
    optimizers: [{ id: 'adam', lr: 0.05 }],
    steps: 20,
    init: [-1, 2],
  });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

describe('step metrics with prior values', () => {
  it('reports the prior values cut to the points, then only computes the new ones', async () => {
    const s = createSession(experiment());
    await s.advance(6);
    const whole = createStepMetricsTracker(s);
    const seven = new Map((await whole.update()).map((d) => [d.id, d]));
    const prior: Record<string, StepMetrics> = {};
    for (const [id, d] of seven) {
      // A page ahead of the checkpoint: values past the points are dropped. Marked values
      // (−1) show that they are carried, not recomputed.
      prior[id] = { kappa: [...d.kappa.map(() => -1), -1, -1], cond: [...d.cond.map(() => -1), -1, -1] };
    }
    const tracker = createStepMetricsTracker(s, prior);
    // No new points yet: the first update carries the 7 points' values (6 κ*) from step 0.
    const first = await tracker.update();
    expect(first).toHaveLength(2);
    for (const d of first) {
      expect(d).toMatchObject({ kappaFrom: 0, condFrom: 0 });
      expect(d.cond).toEqual(Array(7).fill(-1));
      expect(d.kappa).toEqual(Array(6).fill(-1));
    }
    await s.advance(3);
    const fresh = new Map((await createStepMetricsTracker(s).update()).map((d) => [d.id, d]));
    const next = await tracker.update();
    expect(next).toHaveLength(2);
    for (const d of next) {
      const f = fresh.get(d.id);
      expect(d).toMatchObject({ kappaFrom: 6, condFrom: 7 });
      expect(d.cond).toEqual(f?.cond.slice(7));
      expect(d.kappa).toEqual(f?.kappa.slice(6));
      expect(d.cond).toHaveLength(3);
    }
    s.dispose();
  });
});
