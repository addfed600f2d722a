/**
 * The worker's geometry call (geometry-overlay.ts, through the run loop): answers for the
 * page's points and the grid in θ and φ, and within a network's slice; a
 * point outside the map's domain is told, not thrown.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';

const gaussian = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'exp', coords: [1] },
  optimizers: [{ id: 'ngd', lr: 0.05 }],
  steps: 5,
  init: [-1, 2],
};

describe('run loop: geometry', () => {
  it('answers the grid in θ and φ and each point, with the step’s implied metric', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    try {
      expect((await loop.geometry({ grid: 3, points: [] })).error).toMatch(/no experiment/);
      const info = await loop.load(gaussian);
      expect(info.ok).toBe(true);
      await loop.step();
      const reply = await loop.geometry({
        grid: 3,
        points: [
          { key: 'a', space: 'theta', at: [-1, 2], next: [-0.9, 1.9] },
          { key: 'b', space: 'phi', at: [-1, Math.log(2)] },
          { key: 'c', space: 'theta', at: [0, -1] },
        ],
      });
      expect(reply.error).toBeUndefined();
      expect(reply.grid?.theta).toHaveLength(9);
      expect(reply.grid?.phi).toHaveLength(9);
      const [a, b, c] = reply.points;
      expect(a?.implied?.kappa).toBeGreaterThanOrEqual(1);
      // F_φ at log σ = log 2: diag(1/4, 2).
      expect(b?.fisher?.[0]?.[0]).toBeCloseTo(0.25, 5);
      expect(b?.fisher?.[1]?.[1]).toBeCloseTo(2, 5);
      expect(c?.fisher).toBeNull();
      expect(c?.note).toMatch(/σ must be positive/);
    } finally {
      loop.dispose();
    }
  });

  it('a network (P > 2): the geometry within the θ plot’s slice, at the points’ projections', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    try {
      const info = await loop.load({
        version: 1,
        problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 16 },
        optimizers: [{ id: 'gd', lr: 0.1 }],
        steps: 2,
      });
      expect(info.ok).toBe(true);
      await loop.step();
      const telemetry = events.flatMap((e) => (e.type === 'telemetry' ? [e] : []));
      const P = telemetry[0]?.P ?? 0;
      expect(P).toBeGreaterThan(2);
      const theta = telemetry.flatMap((e) => Array.from(e.runs[0]?.theta ?? []));
      const sliceOf = telemetry.flatMap((e) => Array.from(e.runs[0]?.slice ?? []));
      const p0 = theta.slice(0, P);
      const p1 = theta.slice(P, 2 * P);
      expect(p1).toHaveLength(P);
      const reply = await loop.geometry({
        grid: 3,
        points: [
          { key: 'a', space: 'theta', at: p0, next: p1 },
          { key: 'b', space: 'theta', at: p1 },
          { key: 'c', space: 'theta', at: [0, 0] },
        ],
      });
      expect(reply.error).toBeUndefined();
      expect(reply.grid?.theta).toHaveLength(9);
      expect(reply.grid?.phi).toHaveLength(0);
      const [a, b, c] = reply.points;
      // The start is the slice's centre; the next point sits at its own projection.
      expect(a?.at[0]).toBeCloseTo(0, 12);
      expect(a?.at[1]).toBeCloseTo(0, 12);
      expect(b?.at[0]).toBeCloseTo(sliceOf[2] as number, 10);
      expect(b?.at[1]).toBeCloseTo(sliceOf[3] as number, 10);
      expect(a?.fisher).toHaveLength(2);
      expect(a?.euclidean).toHaveLength(2);
      expect(a?.implied?.kappa).toBeGreaterThanOrEqual(1);
      expect(c?.fisher).toBeNull();
      expect(c?.note).toMatch(/entries/);
    } finally {
      loop.dispose();
    }
  });
});
