/** The play pace: the rate it implies is the rate asked for, from 2 to 600 steps per second. */
import { describe, expect, it } from 'vitest';
import { FRAME_MS, pace } from './pace';

const rate = (p: { steps: number; intervalMs: number }): number => (1000 * p.steps) / p.intervalMs;

describe('pace', () => {
  it('without stepsPerSecond: stepsPerFrame steps per frame', () => {
    expect(pace({ stepsPerFrame: 5 })).toEqual({ steps: 5, intervalMs: FRAME_MS });
    expect(pace(null)).toEqual({ steps: 1, intervalMs: FRAME_MS });
  });
  it('slow rates: one step per tick, ticks 1/rate apart', () => {
    for (const r of [0.5, 2, 5, 10, 30]) {
      const p = pace({ stepsPerFrame: 1, stepsPerSecond: r });
      expect(p.steps).toBe(1);
      expect(rate(p)).toBeCloseTo(r, 9);
    }
  });
  it('fast rates: several steps per frame, within a step per frame of the rate', () => {
    for (const r of [120, 300, 600, 2000]) {
      const p = pace({ stepsPerFrame: 1, stepsPerSecond: r });
      expect(p.intervalMs).toBe(FRAME_MS);
      expect(Math.abs(rate(p) - r)).toBeLessThanOrEqual(1000 / FRAME_MS / 2);
    }
  });
});
