/**
 * The checkpoint codec: pack → structured clone → unpack gives the checkpoint back exactly
 * (float32 rows, float64 state, NaN / ±∞, nulls, nested rows); a real session's checkpoint
 * restores from it; malformed input is refused.
 */
import { describe, expect, it } from 'vitest';
import { createSession } from '../engine/experiment';
import type { SessionCheckpoint } from '../engine/checkpoint';
import { withRows } from '../engine/trajectory';
import { parseExperiment } from '../engine/schema';
import { packCheckpoint, unpackCheckpoint } from './checkpoint-codec';

const sample: SessionCheckpoint = {
  experiment: '{"a":1}',
  step: 7,
  runs: [{ id: 'adam-0-theta', status: 'ok', divergedAt: null }],
  groups: [
    {
      members: ['adam-0-theta'],
      snapshot: {
        params: [[Math.fround(0.1), -2.5e-30]],
        state: {
          optimizer: 'adam',
          rows: 1,
          P: 2,
          counters: { t: 7 },
          entries: {
            m: { kind: 'covector', rows: [[0.1 + 0.2, Number.NaN]] },
            k: { kind: 'curvature', rows: [[1, Infinity, -Infinity, 0]] },
            d: { kind: 'vector', rows: [null] },
          },
        },
        phase: { taken: 7, switched: true },
      },
    },
    { members: [], snapshot: null },
  ],
};

describe('checkpoint codec', () => {
  it('round-trips exactly through a structured clone, with all numbers in one array', () => {
    const packed = structuredClone(packCheckpoint(sample));
    expect(packed.step).toBe(7);
    expect(packed.numbers).toHaveLength(8);
    expect(packed.json).not.toMatch(/0\.1/);
    expect(unpackCheckpoint(packed)).toEqual(sample);
  });

  it("restores a real session's checkpoint", async () => {
    const res = parseExperiment({
      version: 1,
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      optimizers: [{ id: 'adam', lr: 0.05 }, { id: 'kfac' }],
      steps: 20,
      init: [-1, 2],
    });
    if (!res.ok) throw new Error(res.error);
    const a = createSession(res.experiment);
    const b = createSession(res.experiment);
    await a.advance(6);
    await b.restore(unpackCheckpoint(structuredClone(packCheckpoint(await a.checkpoint()))), a.runs);
    await a.advance(5);
    await b.advance(5);
    expect(b.runs.map((r) => withRows(r))).toEqual(a.runs.map((r) => withRows(r)));
    a.dispose();
    b.dispose();
  });

  it('refuses malformed input', () => {
    const packed = packCheckpoint(sample);
    expect(() => unpackCheckpoint({ ...packed, numbers: new Float64Array(2) })).toThrow(/out of range/);
    expect(() => unpackCheckpoint({ ...packed, json: '{"step":1}' })).toThrow(/malformed/);
    expect(() => unpackCheckpoint({ ...packed, json: 'nope' })).toThrow();
  });
});
