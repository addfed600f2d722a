/**
 * The session over batched runs: runs with equal space, optimizer and
 * hyper-parameters share one group, yet every run's record equals the record of the same
 * optimizer run alone; a diverging run stops alone; the run order and ids are those of
 * the experiment; the whole session loop leaks no tensors, for every optimizer.
 */
import { describe, expect, it, vi } from 'vitest';
import { tf } from './tf';
import { createSession, type RunResult } from './experiment';
import { optimizers, optimizerDef } from './optimizers';
import type { OptimizerId } from './optimizers/ids';
import { parseExperiment, type ExperimentInput, type OptimizerEntry } from './schema';
import { expectRowsClose } from './batch/testkit';
import { toRows } from './trajectory';

const ids = Object.keys(optimizers) as OptimizerId[];

function experiment(optimizers: OptimizerEntry[], over: Partial<ExperimentInput> = {}) {
  const res = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    reparam: { id: 'scale', factors: [2, 0.5] },
    optimizers,
    steps: 12,
    seed: 1,
    ...over,
  });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

async function finished(optimizers: OptimizerEntry[], over: Partial<ExperimentInput> = {}) {
  const session = createSession(experiment(optimizers, over));
  try {
    while (!session.done) await session.advance(5);
    return session.runs.map((r) => structuredClone(r) as RunResult);
  } finally {
    session.dispose();
  }
}

describe('createSession with batched runs', () => {
  it('records every batched run exactly as the same optimizer run alone, in experiment order', async () => {
    const entries: OptimizerEntry[] = [
      { id: 'gd', lr: 0.2 },
      { id: 'adam' },
      { id: 'gd', lr: 0.2, color: '#112233' },
      { id: 'gd', lr: 0.2 },
      { id: 'gd', lr: 1e6 }, // a group of its own that blows up
      { id: 'gd', lr: 0.2 },
    ];
    const gd = optimizerDef('gd');
    const creates = vi.spyOn(gd, 'create');
    const runs = await finished(entries);
    // gd runs batch by space and learning rate: {θ, φ} × {0.2, 1e6} — four instances, not ten.
    expect(creates).toHaveBeenCalledTimes(4);
    expect(creates.mock.calls.map((c) => c[2]).sort()).toEqual([1, 1, 4, 4]);
    creates.mockRestore();
    expect(runs.map((r) => r.id)).toEqual(
      entries.flatMap((e, i) => [`${e.id}-${i}-theta`, `${e.id}-${i}-phi`]),
    );
    for (const [i, e] of entries.entries()) {
      const solo = await finished([e]);
      for (const space of ['theta', 'phi'] as const) {
        const got = runs.find((r) => r.optimizer === i && r.space === space);
        const want = solo.find((r) => r.space === space);
        expect(got?.status, `${got?.id}`).toBe(want?.status);
        expect(got?.divergedAt).toBe(want?.divergedAt);
        const rows = (t: RunResult['phi']): number[][] => (t ? toRows(t) : []);
        expectRowsClose(rows(got?.theta), rows(want?.theta), 1e-6, `${got?.id} θ`);
        expectRowsClose(rows(got?.phi), rows(want?.phi), 1e-6, `${got?.id} φ`);
        expectRowsClose([got?.loss ?? []], [want?.loss ?? []], 1e-6, `${got?.id} loss`);
      }
    }
    // The huge learning rate diverged alone; every other run took all 12 steps.
    const bad = runs.filter((r) => r.status === 'diverged').map((r) => r.optimizer);
    expect(new Set(bad)).toEqual(new Set([4]));
    for (const r of runs.filter((x) => x.optimizer !== 4)) expect(r.theta).toHaveLength(13);
    // The two gd groups (θ and φ) moved their rows apart from the adam ones.
    expect(toRows(runs[0]!.theta)[12]).not.toEqual(toRows(runs[2]!.theta)[12]);
  });

  it.each(ids)('%s: the session loop leaks no tensors, and dispose frees everything', async (id) => {
    const entry: OptimizerEntry = optimizerDef(id).uses.includes('damping')
      ? { id, damping: { type: 'lm', value: 1e-2 } }
      : { id };
    const baseline = tf.memory().numTensors;
    // Two identical entries: each space's group has two rows.
    const session = createSession(experiment([entry, entry], { steps: 200 }));
    await session.advance(1);
    const n = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) await session.advance(1);
    expect(tf.memory().numTensors).toBe(n);
    expect(session.step).toBe(101);
    session.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
  });
});
