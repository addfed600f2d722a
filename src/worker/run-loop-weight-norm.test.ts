/**
 * weight-norm through the worker's run loop: φ has Q > P coordinates, so telemetry says
 * how many numbers each φ point has (Q) next to θ's P; the loop (slices, step metrics,
 * defects, decision regions) runs without error, and no φ plot is offered (φ is not 2-D).
 */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';
import { loadedOf } from './loaded-event';

describe('the run loop under weight-norm', () => {
  it('telemetry carries φ rows of Q numbers; nothing errors', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    // 2-3-1 tanh net on xor: P = 9 + 4 = 13, Q = 13 + 3 + 1 = 17 (≤ 50: step metrics on).
    const reply = await loop.load({
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [3], n: 40 },
      reparam: { id: 'weight-norm' },
      optimizers: [
        { id: 'gd', lr: 0.1 },
        { id: 'ngd', lr: 0.05 },
      ],
      steps: 4,
    });
    expect(reply.ok).toBe(true);
    if (reply.ok) expect(loadedOf(events).windows.phi).toBeNull();
    await loop.step();
    await loop.step();
    await new Promise((r) => setTimeout(r, 50));
    await loop.settled();
    const telemetry = events.flatMap((e) => (e.type === 'telemetry' ? [e] : []));
    expect(telemetry.length).toBeGreaterThan(0);
    for (const t of telemetry) {
      expect([t.P, t.Q]).toEqual([13, 17]);
      for (const d of t.runs) {
        const count = d.theta.length / t.P;
        expect(Number.isInteger(count)).toBe(true);
        if (d.id.endsWith('-phi')) expect(d.phi?.length).toBe(count * t.Q);
        else expect(d.phi).toBeNull();
      }
    }
    expect(telemetry.some((t) => t.defects.length > 0)).toBe(true);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    loop.dispose();
  });
});
