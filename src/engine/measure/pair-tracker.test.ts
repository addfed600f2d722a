import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { createSession } from '../experiment';
import { parseExperiment } from '../schema';
import { createDefectTracker } from './pair-tracker';
import { parameterDistances } from './defect';
import { functionDistances } from './function-defect';

function session() {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    reparam: { id: 'cubic', a: 0.3 },
    optimizers: [
      { id: 'gd', lr: 0.05 },
      { id: 'ngd', lr: 0.05 },
    ],
    steps: 12,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

describe('incremental defect tracker', () => {
  it('equals the whole-trajectory distances, however the steps are chunked', async () => {
    const s = session();
    const tracker = createDefectTracker(s);
    const seen: Record<number, { parameter: number[]; function: number[] }> = {};
    for (const chunk of [0, 3, 1, 5, 3]) {
      await s.advance(chunk);
      for (const d of await tracker.update()) {
        const acc = (seen[d.optimizer] ??= { parameter: [], function: [] });
        expect(d.from).toBe(acc.parameter.length);
        acc.parameter.push(...d.parameter);
        acc.function.push(...d.function);
      }
    }
    for (const index of [0, 1]) {
      const theta = toRows(s.runs.find((r) => r.optimizer === index && r.space === 'theta')!.theta);
      const phi = toRows(s.runs.find((r) => r.optimizer === index && r.space === 'phi')!.theta);
      expect(seen[index]?.parameter).toEqual(parameterDistances(theta, phi));
      expect(seen[index]?.function).toEqual(await functionDistances(s.problem, theta, phi));
      expect(seen[index]?.parameter.length).toBe(13);
    }
    // GD under a nonlinear map drifts; NGD follows its twin far more closely.
    const dGd = Math.max(...(seen[0]?.parameter ?? []));
    const dNgd = Math.max(...(seen[1]?.parameter ?? []));
    expect(dGd).toBeGreaterThan(5 * dNgd);
    s.dispose();
  });
});
