/**
 * Session checkpoints (docs/reliability.md): run A k steps, checkpoint, pass it through JSON, restore
 * it with A's trajectories into a fresh session B, advance both: every run's trajectory,
 * loss, status and note equal bit for bit — for every optimizer, in θ, in φ and switch
 * runs (checkpoints before and after the switch), a run that diverged before the checkpoint
 * and one that diverges after it. A checkpoint that does not fit is refused. No leaks.
 */
import { describe, expect, it } from 'vitest';
import { tf } from './tf';
import { createSession, type RunResult, type RunTrajectory, type Session } from './experiment';
import type { SessionCheckpoint } from './checkpoint';
import { fromRows, toRows, withRows, type WithRows } from './trajectory';
import { optimizers } from './optimizers';
import type { OptimizerId } from './optimizers/ids';
import { parseExperiment, type ExperimentInput } from './schema';

const ids = Object.keys(optimizers) as OptimizerId[];

function experiment(input: Partial<ExperimentInput> = {}) {
  const res = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    seed: 1,
    reparam: { id: 'cubic', a: 0.3 },
    // gd at lr 100: its φ-run diverges at step 2, its θ-run at step 10 (and its switch run).
    optimizers: [...ids.map((id) => ({ id })), { id: 'gd', lr: 100 }],
    steps: 14,
    switchAt: { step: 4 },
    ...input,
  });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

const copyRuns = (s: Session): RunResult[] => s.runs.map((r) => structuredClone(r) as RunResult);
const trajectories = (s: Session): RunTrajectory[] => copyRuns(s);
/** The records with their points as rows, to compare. */
const rowRuns = (s: Session): WithRows<RunResult>[] => s.runs.map((r) => withRows(r));

/** A checkpoint after k steps of a fresh session (passed through JSON), with its trajectories. */
async function checkpointAfter(k: number, input: Partial<ExperimentInput> = {}) {
  const a = createSession(experiment(input));
  await a.advance(k);
  const cp = JSON.parse(JSON.stringify(await a.checkpoint())) as SessionCheckpoint;
  return { a, cp, runs: trajectories(a) };
}

describe('session checkpoints', () => {
  it.each([3, 4, 6])(
    'restored after %i steps, B continues exactly as A (every optimizer, θ / φ / switch, diverged runs)',
    async (k) => {
      const base = tf.memory().numTensors;
      const { a, cp, runs } = await checkpointAfter(k);
      expect(cp.step).toBe(k);
      const b = createSession(experiment());
      await b.restore(cp, runs);
      expect(b.step).toBe(k);
      expect(rowRuns(b)).toEqual(rowRuns(a));
      while (!a.done) await a.advance(5);
      while (!b.done) await b.advance(5);
      const want = rowRuns(a);
      expect(rowRuns(b)).toEqual(want);
      // The cases the test means to cover did happen.
      const gd = (space: string) => want.find((r) => r.id === `gd-${ids.length}-${space}`);
      expect(gd('phi')?.divergedAt).toBeLessThanOrEqual(k);
      expect(gd('theta')?.divergedAt).toBeGreaterThan(k);
      expect(want.filter((r) => r.status === 'ok' && r.space === 'switch').length).toBeGreaterThan(
        ids.length / 2,
      );
      a.dispose();
      b.dispose();
      expect(tf.memory().numTensors).toBe(base);
    },
  );

  it('a restored session leaks no tensors per step', async () => {
    const { a, cp, runs } = await checkpointAfter(5);
    a.dispose();
    const base = tf.memory().numTensors;
    const b = createSession(experiment());
    await b.restore(cp, runs);
    await b.advance(1);
    const before = tf.memory().numTensors;
    await b.advance(1);
    expect(tf.memory().numTensors).toBe(before);
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refuses a checkpoint of another experiment, too short or foreign trajectories; leaks nothing', async () => {
    const { a, cp, runs } = await checkpointAfter(5);
    a.dispose();
    const base = tf.memory().numTensors;
    const refused = async (input: Partial<ExperimentInput>, c: SessionCheckpoint, t: RunTrajectory[]) => {
      const b = createSession(experiment(input));
      try {
        await b.restore(c, t);
        return null;
      } catch (err) {
        return String(err);
      } finally {
        b.dispose();
      }
    };
    expect(await refused({ seed: 2 }, cp, runs)).toMatch(/another experiment/);
    const short = runs.map((r) => ({
      ...r,
      theta: fromRows(toRows(r.theta, 0, 3)),
      loss: r.loss.slice(0, 3),
    }));
    expect(await refused({}, cp, short)).toMatch(/does not reach/);
    const moved = runs.map((r) => ({
      ...r,
      theta: fromRows(toRows(r.theta).map((p) => p.map((v) => v + 1e-3))),
    }));
    expect(await refused({}, cp, moved)).toMatch(/does not pass through/);
    // A view change keeps the runs: the checkpoint still fits.
    expect(await refused({ view: { stepsPerFrame: 7 } }, cp, runs)).toBeNull();
    expect(tf.memory().numTensors).toBe(base);
  });
});
