/**
 * "Did not go downhill" and κ* are judged up to float32 round-off of the iterates
 * (implied-metric.ts ROUNDOFF_ULPS): at a converged point the step is a few ulps long and
 * its direction is noise. On the lab's default experiment (GD on the Gaussian fit, 200
 * steps) the loss is flat to round-off after about 60 steps; judged exactly, more than
 * half the steps would be marked uphill and GD's κ* would climb above 2.
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import {
  ROUNDOFF_ULPS,
  impliedMetric,
  impliedMetricOfStep,
  impliedMetricWithin,
  roundoffRadius,
  ulp32,
} from './implied-metric';
import { createSession } from '../experiment';
import { defaultExperiment, parseExperiment } from '../schema';
import { stepMetrics } from './step-metrics';
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';

describe('round-off tolerance of the implied metric', () => {
  it('ulp32 is one float32 unit in the last place (rounded up to a power of two)', () => {
    expect(ulp32(1)).toBe(2 ** -23);
    expect(ulp32(0.75)).toBe(2 ** -23);
    expect(ulp32(-3)).toBe(2 ** -21);
    expect(ulp32(0)).toBe(2 ** -149);
    // Math.fround really moves by at most this much.
    for (const x of [0.9640081524848938, 0.5063124895095825, 123.456, -7e-5]) {
      expect(Math.abs(Math.fround(x * (1 + 1e-9)) - Math.fround(x))).toBeLessThanOrEqual(ulp32(x));
    }
    expect(roundoffRadius([1, 1], [1, 1])).toBeCloseTo(Math.SQRT2 * ROUNDOFF_ULPS * 2 ** -23, 30);
  });

  it('a step within round-off is not judged uphill; a real uphill step still is', () => {
    const e = 1e-7;
    // A 0.5e-7 step pointing uphill: shorter than the round-off radius.
    expect(impliedMetricWithin([-0.5e-7, 0], [1, 0], e)).toMatchObject({ descent: true, kappa: 1 });
    // A step 100 radii long, 45° past orthogonal: uphill beyond doubt.
    expect(impliedMetricWithin([-1e-5, 1e-5], [1, 0], e)).toEqual({ descent: false, reason: 'ascent' });
    // Far from round-off the tolerance changes κ* by a hair: ψ shrinks by asin(e/‖u‖).
    const exact = impliedMetric([1, 1], [1, 0]);
    const within = impliedMetricWithin([1, 1], [1, 0], e);
    if (!exact.descent || !within.descent) throw new Error('expected descent steps');
    expect(within.psi).toBeCloseTo(exact.psi - Math.asin(e / Math.SQRT2), 12);
    expect(within.kappa).toBeLessThan(exact.kappa);
    expect(within.kappa / exact.kappa).toBeGreaterThan(1 - 1e-5);
  });

  it('default experiment: no uphill marks and GD κ* = 1 once the loss is flat to round-off', async () => {
    const parsed = parseExperiment(defaultExperiment);
    if (!parsed.ok) throw new Error(parsed.error);
    const s = createSession(parsed.experiment);
    try {
      await s.advance(parsed.experiment.steps);
      const run = s.runs[0]!;
      expect(run.optimizer).toBe(0);
      const loss = run.loss;
      const last = loss.at(-1)!;
      // The loss is flat to float32 round-off from some step on.
      const flatFrom = loss.findIndex((_, k) =>
        loss.slice(k).every((v) => Math.abs(v - last) <= 4 * ulp32(last)),
      );
      expect(flatFrom).toBeGreaterThan(0);
      expect(flatFrom).toBeLessThan(parsed.experiment.steps - 50);
      const theta = toRows(run.theta);
      const m = await stepMetrics(s.objective(run.space), theta);
      expect(m.kappa).toHaveLength(parsed.experiment.steps);
      expect(m.kappa.filter((k) => k === null)).toHaveLength(0);
      for (const k of m.kappa) expect(k).toBe(1);
      // Judged exactly, the flat stretch is full of "uphill" steps: the tolerance is what removes them.
      let exactUphill = 0;
      for (let k = flatFrom; k < theta.length - 1; k++) {
        const g = await gradientAt(s, theta[k]!);
        if (!impliedMetricOfStep(theta[k]!, theta[k + 1]!, g).descent) exactUphill++;
      }
      expect(exactUphill).toBeGreaterThan(20);
    } finally {
      s.dispose();
    }
  });
});

async function gradientAt(s: ReturnType<typeof createSession>, p: number[]): Promise<number[]> {
  const g = tf.tidy(() => gradient(s.objective('theta'), tf.tensor2d([p]) as Tensor2D));
  try {
    return ((await g.array()) as number[][])[0]!;
  } finally {
    g.dispose();
  }
}
