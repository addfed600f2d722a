/**
 * docs/theory.md §4 through the sweep the page runs: tiny-net, θᵢ = φᵢ + 0.3φᵢ³, start (0.4, 0.6),
 * horizon T = 0.5, η ∈ {T/10, T/20, T/40, T/80} (the setup of optimizers/order.test.ts,
 * here driven through createSession like the worker does).
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperiment, type Experiment, type ExperimentInput } from '../schema';
import { sweep, sweepSteps, type SweepProgress } from './sweep';

function experiment(input: Partial<ExperimentInput> = {}): Experiment {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    reparam: { id: 'cubic', a: 0.3 },
    optimizers: [
      { id: 'gd', lr: 0.1 },
      { id: 'ngd', lr: 0.1 },
      { id: 'ngd', lr: 0.1, integrator: 'midpoint' },
    ],
    init: [0.4, 0.6],
    steps: 200,
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
}

describe('defect vs learning rate sweep (docs/theory.md §4)', () => {
  it('fits slope ≈ 0 for gd, ≈ 1 for ngd euler, ≈ 2 for ngd midpoint; reports progress', async () => {
    const seen: SweepProgress[] = [];
    const result = await sweep(experiment(), {
      horizon: 0.5,
      divisors: [10, 20, 40, 80],
      onProgress: (p) => void seen.push(p),
    });
    if (!result) throw new Error('not cancelled, so there must be a result');
    expect(result.etas).toEqual([0.05, 0.025, 0.0125, 0.00625]);
    expect(result.steps).toEqual([10, 20, 40, 80]);
    const [gd, euler, mid] = result.series;
    const msg = (s: typeof gd): string => `D = ${s?.defects.join(', ')}`;
    expect(Math.abs(gd!.slope), msg(gd)).toBeLessThan(0.3);
    expect(Math.min(...gd!.defects), msg(gd)).toBeGreaterThan(0.03);
    expect(Math.abs(euler!.slope - 1), msg(euler)).toBeLessThan(0.2);
    expect(Math.abs(mid!.slope - 2), msg(mid)).toBeLessThan(0.3);
    expect(mid!.fitted).toBe(4);
    // Progress counts steps over all sessions and ends at the total.
    const total = sweepSteps([10, 20, 40, 80]);
    expect(seen.at(-1)).toEqual({ done: total, total });
    seen.slice(1).forEach((p, i) => expect(p.done).toBeGreaterThanOrEqual(seen[i]!.done));
  });

  it('stops when cancelled, returns null and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const result = await sweep(experiment({ optimizers: [{ id: 'ngd' }] }), {
      horizon: 0.5,
      divisors: [10, 20],
      onProgress: () => void calls++,
      cancelled: () => calls >= 2,
    });
    expect(result).toBeNull();
    expect(calls).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses the identity map and bad divisors, naming the reason', async () => {
    await expect(sweep(experiment({ reparam: { id: 'identity' } }), { horizon: 1 })).rejects.toThrow(
      /identity/,
    );
    await expect(sweep(experiment(), { horizon: 1, divisors: [10] })).rejects.toThrow(/two/);
    await expect(sweep(experiment(), { horizon: 0 })).rejects.toThrow(/horizon/);
  });
});
