/**
 * The defect curves beside the naturality table (docs/theory.md §9.2, §9.3), measured on
 * tiny-net (P = 2): under the linear map both curves fall from a drifting pair at k = 1,
 * m = 1 to round-off at k = m = P (ngd); under the nonlinear map the end point is ngd's own
 * O(η) defect (§4), well above round-off.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from '../schema';
import { curveValues, fisherDefectCurves } from './fisher-curves';
import { EQUIVARIANT_BELOW } from './analysis-constants';

describe('defect vs k and defect vs m', () => {
  it('values: powers of two below P, then P', () => {
    expect(curveValues(2)).toEqual([1, 2]);
    expect(curveValues(13)).toEqual([1, 2, 4, 8, 13]);
    expect(curveValues(337)).toEqual([1, 2, 4, 8, 16, 337]);
  });

  it('on tiny-net: linear map, k = P and m = P at round-off, k = m = 1 not; nonlinear: ngd’s O(η) defect', async () => {
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'tiny-net' },
      optimizers: [{ id: 'ngd', lr: 0.05 }],
      init: [0.4, 0.6],
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const res = await fisherDefectCurves(parsed.experiment, { steps: 30 });
    if (!res) throw new Error('not cancelled');
    expect(res.curves.map((c) => `${c.kind}/${c.map}`)).toEqual([
      'rank/linear',
      'rank/nonlinear',
      'cgIters/linear',
      'cgIters/nonlinear',
    ]);
    for (const c of res.curves) {
      const [first, last] = [c.defects[0]!, c.defects[c.defects.length - 1]!];
      if (c.map === 'linear') {
        expect(last, `${c.kind} at P, linear: ${last}`).toBeLessThan(EQUIVARIANT_BELOW);
        expect(first, `${c.kind} at 1, linear: ${first}`).toBeGreaterThan(1e-2);
      } else {
        expect(last, `${c.kind} at P, cubic: ${last}`).toBeGreaterThan(EQUIVARIANT_BELOW);
        expect(first).toBeGreaterThan(last);
      }
    }
  });
});
