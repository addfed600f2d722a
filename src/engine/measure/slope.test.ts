import { describe, expect, it } from 'vitest';
import { logLogSlope } from './slope';

describe('log-log slope fit', () => {
  it('recovers the exponent and prefactor of a power law', () => {
    const eta = [0.1, 0.05, 0.025, 0.0125];
    const fit = logLogSlope(
      eta,
      eta.map((e) => 3 * e ** 2),
    );
    expect(fit.slope).toBeCloseTo(2, 12);
    expect(Math.exp(fit.intercept)).toBeCloseTo(3, 10);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('gives the least-squares line through noisy points', () => {
    // log y = [0, 1, 1, 2] at log x = [0, 1, 2, 3]: slope 0.6, intercept 0.1.
    const fit = logLogSlope([0, 1, 2, 3].map(Math.exp), [0, 1, 1, 2].map(Math.exp));
    expect(fit.slope).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(0.1, 12);
    expect(fit.r2).toBeLessThan(1);
  });

  it('a constant defect has slope 0; zeros and too few points give NaN', () => {
    expect(logLogSlope([1, 2, 4], [0.15, 0.15, 0.15]).slope).toBeCloseTo(0, 12);
    expect(logLogSlope([1, 2], [0, 1]).slope).toBeNaN();
    expect(logLogSlope([1], [1]).slope).toBeNaN();
    expect(logLogSlope([2, 2], [1, 3]).slope).toBeNaN();
  });
});
