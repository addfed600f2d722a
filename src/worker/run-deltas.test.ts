/**
 * Telemetry deltas of switch runs (run-deltas.ts): their φ rows for the φ plot (NaN before
 * the switch step k, then points φ_j with f(φ_j) = θ_j) and, when the switch fails, the
 * engine's reason travelling with the diverged status.
 */
import { describe, expect, it } from 'vitest';
import { createSession, type Session } from '../engine/experiment';
import { toRows } from '../engine/trajectory';
import { parseExperiment, type ExperimentInput } from '../engine/schema';
import { noneSent, runDeltas } from './run-deltas';

function session(input: Partial<ExperimentInput>): Session {
  const res = parseExperiment({ version: 1, problem: { id: 'tiny-net' }, seed: 1, ...input });
  if (!res.ok) throw new Error(res.error);
  return createSession(res.experiment);
}

async function finish(s: Session): Promise<void> {
  while (!s.done) await s.advance(20);
}

describe('run deltas', () => {
  it('a switch run carries φ rows from step k on (NaN before), only the new ones each time', async () => {
    const k = 5;
    const s = session({
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [{ id: 'gd', lr: 0.05 }],
      steps: 12,
      switchAt: { step: k },
    });
    try {
      const sent = noneSent();
      await s.advance(8);
      const first = runDeltas(s, sent, null, []);
      const sw = first.find((d) => d.id === 'gd-0-switch');
      const run = s.runs.find((r) => r.id === 'gd-0-switch');
      if (!sw?.phi || !run) throw new Error('no switch delta');
      expect(sw.from).toBe(0);
      expect(sw.phi).toHaveLength(9 * 2);
      expect(Array.from(sw.phi.subarray(0, 2 * k)).every(Number.isNaN)).toBe(true);
      for (let j = k; j <= 8; j++) {
        const phi = Array.from(sw.phi.subarray(2 * j, 2 * j + 2));
        const back = s.reparam.forward64(phi);
        const theta = toRows(run.theta)[j] as number[];
        back.forEach((v, c) => expect(Math.abs(v - (theta[c] as number))).toBeLessThan(1e-12));
      }
      // The θ- and φ-runs keep their own rows: θ-runs none, φ-runs the engine's.
      expect(first.find((d) => d.id === 'gd-0-theta')?.phi).toBeNull();
      expect(first.find((d) => d.id === 'gd-0-phi')?.phi).toHaveLength(9 * 2);
      await finish(s);
      const next = runDeltas(s, sent, null, []).find((d) => d.id === 'gd-0-switch');
      expect(next?.from).toBe(9);
      expect(next?.phi).toHaveLength(4 * 2);
      expect(Array.from(next?.phi ?? []).every(Number.isFinite)).toBe(true);
      expect(runDeltas(s, sent, null, [])).toEqual([]);
    } finally {
      s.dispose();
    }
  });

  it('a failed switch: the delta says why, stopped runs are resent with it, the others go on', async () => {
    const s = session({
      reparam: { id: 'exp', coords: [0] },
      init: [0.3, -0.8],
      optimizers: [{ id: 'gd', lr: 0.1 }],
      steps: 40,
      switchAt: { step: 30 },
    });
    try {
      await finish(s);
      const sent = noneSent();
      const deltas = runDeltas(s, sent, null, []);
      const sw = deltas.find((d) => d.id === 'gd-0-switch');
      expect(sw).toMatchObject({ status: 'diverged', divergedAt: 31 });
      expect(sw?.failure).toMatch(
        /^switch at step 30 failed: θ is outside the domain of exp \(a = -[\d.]+ must be > 0\)/,
      );
      // Points up to k; φ rows all NaN (the run never got into φ).
      expect(sw?.theta).toHaveLength(31 * 2);
      expect(Array.from(sw?.phi ?? [0]).every(Number.isNaN)).toBe(true);
      expect(deltas.filter((d) => d.status === 'ok').map((d) => d.id)).toEqual(['gd-0-theta', 'gd-0-phi']);
      expect(deltas.every((d) => d.id === 'gd-0-switch' || d.failure === undefined)).toBe(true);
      const again = runDeltas(s, sent, null, []);
      expect(again.map((d) => [d.id, d.theta.length, d.failure])).toEqual([['gd-0-switch', 0, sw?.failure]]);
    } finally {
      s.dispose();
    }
  });
});
