/**
 * The transformation laws of transport.ts on hand-made states with a non-orthogonal J:
 * vectors by J⁻¹ (so J·v_φ = v_θ), covectors by Jᵀ, the three second-moment policies
 * (and the bias-correction restart of 'reset'), curvature dropped, scalars kept; a
 * singular J gives NaN (the run diverges), a non-square J is refused.
 */
import { describe, expect, it } from 'vitest';
import { transportNote, transportState } from './transport';
import type { OptimizerState } from './optimizers/state';

const J = [
  [2, 1],
  [0.5, 3],
];
const state = (): OptimizerState => ({
  optimizer: 'adam',
  rows: 2,
  P: 2,
  counters: { t1: 7, t2: 7 },
  entries: {
    velocity: { kind: 'vector', rows: [[1, -2], null] },
    m: {
      kind: 'covector',
      rows: [
        [0.3, 0.4],
        [1, 0],
      ],
      counter: 't1',
    },
    v: {
      kind: 'second-moment',
      rows: [
        [0.5, 2],
        [1, 1],
      ],
      counter: 't2',
    },
    factors: { kind: 'curvature', rows: [[1, 2, 3], [4]] },
    lambda: { kind: 'scalar', rows: [[0.1], [0.2]] },
  },
});
const rowsOf = (s: OptimizerState, name: string) => s.entries[name]?.rows ?? [];

describe('transportState', () => {
  it('vectors by J⁻¹, covectors by Jᵀ, curvature dropped, scalars kept', () => {
    const out = transportState(state(), [J, J], 'keep');
    const v = rowsOf(out, 'velocity')[0] as number[];
    // J v_φ = v_θ.
    expect(2 * v[0]! + 1 * v[1]!).toBeCloseTo(1, 12);
    expect(0.5 * v[0]! + 3 * v[1]!).toBeCloseTo(-2, 12);
    expect(rowsOf(out, 'velocity')[1]).toBeNull();
    // Jᵀ m: (2·0.3 + 0.5·0.4, 1·0.3 + 3·0.4).
    expect(rowsOf(out, 'm')[0]?.[0]).toBeCloseTo(0.8, 12);
    expect(rowsOf(out, 'm')[0]?.[1]).toBeCloseTo(1.5, 12);
    expect(rowsOf(out, 'factors')).toEqual([null, null]);
    expect(rowsOf(out, 'lambda')).toEqual([[0.1], [0.2]]);
    expect(rowsOf(out, 'v')).toEqual([
      [0.5, 2],
      [1, 1],
    ]);
    expect(out.counters).toEqual({ t1: 7, t2: 7 });
  });

  it("second-moment policies: 'reset' zeroes v and restarts its counter, 'diagonal' is diag(Jᵀ diag(v) J)", () => {
    const reset = transportState(state(), [J, J], 'reset');
    expect(rowsOf(reset, 'v')).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(reset.counters).toEqual({ t1: 7, t2: 0 });
    const diag = transportState(state(), [J, J], 'diagonal');
    // (4·0.5 + 0.25·2, 1·0.5 + 9·2).
    expect(rowsOf(diag, 'v')[0]?.[0]).toBeCloseTo(2.5, 12);
    expect(rowsOf(diag, 'v')[0]?.[1]).toBeCloseTo(18.5, 12);
    expect(diag.counters.t2).toBe(7);
  });

  it('a singular J gives NaN vectors; a non-square J is refused', () => {
    const singular = [
      [1, 2],
      [2, 4],
    ];
    const out = transportState(state(), [singular, J], 'keep');
    expect(rowsOf(out, 'velocity')[0]?.every(Number.isNaN)).toBe(true);
    expect(() =>
      transportState(
        state(),
        [
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
          J,
        ],
        'keep',
      ),
    ).toThrow(/square/);
  });

  it('the note names what happened to each kind of state', () => {
    const note = transportNote('Adam', state(), 'reset', 20);
    expect(note).toMatch(/^Adam, θ→φ at step 20: /);
    expect(note).toContain('second moment v reset at step 20: it has no transformation law');
    expect(note).toContain('first moment m transported as a covector');
    expect(note).toContain('curvature averages rebuilt from the φ-objective');
  });
});
