import { describe, expect, it } from 'vitest';
import { createSession, type Session } from '../engine/experiment';
import { toRows } from '../engine/trajectory';
import { parseExperiment } from '../engine/schema';
import { asMatrixCompletion } from '../engine/problems/matrix-completion';
import { asSparseRegression } from '../engine/problems/sparse-regression';
import { singularValues, unobservedError } from '../engine/problems/matrix-completion-report';
import { sortedAbsWeights, testAccuracy64 } from '../engine/problems/sparse-regression-report';
import { reportDeltas, reportSteps } from './reports';

function session(input: Record<string, unknown>): Session {
  const parsed = parseExperiment({ version: 1, steps: 100, ...input });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

describe('reportSteps', () => {
  it('every 10th step plus the newest point', () => {
    expect(reportSteps(0, 26)).toEqual([0, 10, 20, 25]);
    expect(reportSteps(26, 29)).toEqual([28]);
    expect(reportSteps(29, 31)).toEqual([30]);
  });
});

describe('reportDeltas', () => {
  it('matrix-completion: unobserved error and singular values of each run, as the helpers give', async () => {
    const s = session({
      problem: { id: 'matrix-completion', size: 6, depth: 2, rank: 1, initStd: 0.1 },
      reparam: { id: 'scale', factors: Array.from({ length: 72 }, (_, i) => (i % 2 ? 2 : 0.5)) },
      optimizers: [{ id: 'gd', lr: 0.05 }],
    });
    const mc = asMatrixCompletion(s.problem);
    if (!mc) throw new Error('not matrix-completion');
    await s.advance(25);
    const first = reportDeltas(s);
    expect(first?.map((r) => r.id).sort()).toEqual(s.runs.map((r) => r.id).sort());
    expect(first?.length).toBe(2); // θ-run and φ-run
    for (const rep of first ?? []) {
      const run = s.runs.find((r) => r.id === rep.id);
      if (!run) throw new Error(rep.id);
      expect(rep.steps).toEqual([0, 10, 20, 25]);
      const theta = toRows(run.theta);
      expect(rep.error).toEqual(rep.steps.map((k) => unobservedError(mc, theta[k] ?? [])));
      expect(rep.spectrum).toEqual(singularValues(mc, theta[25] ?? []));
      expect(rep.spectrum.length).toBe(6);
      expect(rep.error.every((e) => Number.isFinite(e) && e > 0)).toBe(true);
    }
    // The second call reports only the new points; none when nothing moved.
    await s.advance(5);
    const second = reportDeltas(s);
    expect(second?.map((r) => r.steps)).toEqual([[30], [30]]);
    expect(reportDeltas(s)).toEqual([]);
    s.dispose();
  });

  it('sparse-regression: 1 − test accuracy and sorted |w|, as the helpers give', async () => {
    const s = session({
      problem: { id: 'sparse-regression', d: 8, n: 6, nTest: 50 },
      optimizers: [{ id: 'gd', lr: 0.1 }],
    });
    const sr = asSparseRegression(s.problem);
    if (!sr) throw new Error('not sparse-regression');
    await s.advance(12);
    const reps = reportDeltas(s) ?? [];
    expect(reps.length).toBe(1);
    const run = s.runs[0];
    const rep = reps[0];
    if (!run || !rep) throw new Error('no run');
    expect(rep.steps).toEqual([0, 10, 12]);
    const theta = toRows(run.theta);
    expect(rep.error).toEqual(rep.steps.map((k) => 1 - (testAccuracy64(sr, theta[k] ?? []) ?? NaN)));
    expect(rep.spectrum).toEqual(sortedAbsWeights(sr, theta[12] ?? []));
    expect(rep.spectrum.length).toBe(8);
    s.dispose();
  });

  it('other problems: nothing', async () => {
    const s = session({
      problem: { id: 'tiny-net' },
      optimizers: [{ id: 'gd', lr: 0.05 }],
      init: [0.4, 0.6],
    });
    await s.advance(3);
    expect(reportDeltas(s)).toBeNull();
    s.dispose();
  });
});
