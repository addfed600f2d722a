/**
 * Per-step implied metric κ* and Fisher condition number (docs/theory.md §5): for NGD steps on a
 * real problem κ(F) ≥ κ* at every step (the step is u = F⁻¹g, so F is one metric that
 * explains it, and κ* is the smallest such condition number); GD gives κ* = 1.
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { tf } from '../tf';
import { createSession, type Session } from '../experiment';
import { parseExperiment, type ExperimentInput } from '../schema';
import {
  STEP_METRICS_MAX_P,
  createStepMetricsTracker,
  sampledPoints,
  sessionStepMetrics,
  stepMetrics,
} from './step-metrics';

function session(input: Partial<ExperimentInput>): Session {
  const parsed = parseExperiment({ version: 1, steps: 25, ...input });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

const cases: [string, Partial<ExperimentInput>][] = [
  [
    'tiny-net, θ = φ + 0.3φ³',
    {
      problem: { id: 'tiny-net' },
      reparam: { id: 'cubic', a: 0.3 },
      init: [0.4, 0.6],
      optimizers: [
        { id: 'ngd', lr: 0.1 },
        { id: 'gd', lr: 0.1 },
      ],
    },
  ],
  [
    'gaussian-fit, σ = e^s',
    {
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      init: [-1, 2],
      optimizers: [
        { id: 'ngd', lr: 0.05 },
        { id: 'gd', lr: 0.05 },
      ],
    },
  ],
];

describe('per-step implied metric and Fisher condition number', () => {
  for (const [label, input] of cases) {
    it(`${label}: κ(F) ≥ κ* for every NGD step (θ- and φ-runs); GD has κ* = 1`, async () => {
      const s = session(input);
      await s.advance(25);
      let checked = 0;
      let largest = 1;
      for (const run of s.runs) {
        const points = toRows(run.phi ?? run.theta);
        const m = await stepMetrics(s.objective(run.space), points);
        expect(m.cond).toHaveLength(points.length);
        expect(m.kappa).toHaveLength(points.length - 1);
        const isNgd = run.optimizer === 0;
        m.kappa.forEach((kappa, k) => {
          const where = `${run.id} step ${k}: κ* = ${kappa}, κ(F) = ${m.cond[k]}`;
          expect(kappa, where).not.toBeNull();
          if (isNgd) {
            // float32 iterates: allow a relative 1e-3 for the direction read from θ_k − θ_{k+1}.
            expect(kappa as number, where).toBeLessThanOrEqual((m.cond[k] as number) * (1 + 1e-3));
            checked++;
            largest = Math.max(largest, kappa as number);
          } else {
            expect(kappa as number, where).toBeCloseTo(1, 3);
          }
          expect(m.cond[k], where).toBeGreaterThanOrEqual(1);
        });
      }
      expect(checked).toBe(50);
      // NGD's steps are not gradient steps: the bound has teeth (κ* well above 1).
      expect(largest).toBeGreaterThan(2);
      s.dispose();
    });
  }

  it('the incremental tracker equals the whole-run computation and leaks no tensors', async () => {
    const s = session(cases[0]![1]);
    const tracker = createStepMetricsTracker(s);
    const acc = new Map<string, { kappa: (number | null)[]; cond: number[] }>();
    for (const n of [0, 3, 1, 7]) {
      await s.advance(n);
      for (const d of await tracker.update()) {
        const a = acc.get(d.id) ?? { kappa: [], cond: [] };
        expect(d.kappaFrom).toBe(a.kappa.length);
        expect(d.condFrom).toBe(a.cond.length);
        a.kappa.push(...d.kappa);
        a.cond.push(...d.cond);
        acc.set(d.id, a);
      }
    }
    for (const run of s.runs) {
      const whole = await stepMetrics(s.objective(run.space), toRows(run.phi ?? run.theta));
      expect(acc.get(run.id)).toEqual(whole);
      expect(whole.cond).toHaveLength(12);
    }
    const before = tf.memory().numTensors;
    await s.advance(1);
    const after = tf.memory().numTensors;
    await tracker.update();
    expect(tf.memory().numTensors).toBe(after);
    expect(after).toBe(before);
    s.dispose();
  });

  it('is not computed above P = 50 (the tracker reports nothing, the whole-session form null)', async () => {
    const s = session({ problem: { id: 'mlp' }, optimizers: [{ id: 'gd' }], steps: 2 });
    expect(s.problem.P).toBeGreaterThan(STEP_METRICS_MAX_P);
    await s.advance(1);
    expect(await createStepMetricsTracker(s).update()).toEqual([]);
    expect(await sessionStepMetrics(s)).toBeNull();
    s.dispose();
  });

  it('the whole-session form (the command line’s) forms every Fisher where one live update would sample', async () => {
    const s = session(cases[1]![1]);
    await s.advance(25);
    const all = await sessionStepMetrics(s);
    const live = await createStepMetricsTracker(s).update();
    expect(Object.keys(all ?? {})).toEqual(s.runs.map((r) => r.id));
    for (const run of s.runs) {
      const whole = await stepMetrics(s.objective(run.space), toRows(run.phi ?? run.theta));
      expect(all?.[run.id]).toEqual(whole);
      expect(whole.cond.every(Number.isFinite)).toBe(true);
      // 26 new points in one live update: 16 Fishers, the rest NaN; κ* the same.
      const d = live.find((x) => x.id === run.id);
      expect(d?.cond.filter(Number.isFinite)).toHaveLength(16);
      expect(d?.kappa).toEqual(whole.kappa);
    }
    s.dispose();
  });
});

describe('Fisher sampling of the live tracker', () => {
  it('forms every Fisher for few new points, an even sample ending at the newest for many', () => {
    expect([...sampledPoints(3, 7, 16)]).toEqual([3, 4, 5, 6]);
    const many = [...sampledPoints(0, 100, 16)];
    expect(many).toHaveLength(16);
    expect(many.at(-1)).toBe(99);
    expect(Math.max(...many.slice(1).map((v, i) => v - (many[i] as number)))).toBeLessThanOrEqual(7);
  });
});
