/**
 * The automatic backend choice follows the experiment's size class (backend-fit.ts), with the
 * timing faked: each backend's "ms per step" is a fixed overhead plus a cost per parameter, so
 * a GPU-like backend wins only on a large network. Checked: a new choice when a load changes
 * class (the old session released first, the page told, the header's info updated), none
 * within a class, none for a forced backend, and calls made meanwhile keep their order.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import type { BackendInfo, BackendMeasurement, BackendName, BackendRequest } from '../protocol/messages';
import { createLabStore } from '../state/store';
import { createBackendFit, type BackendFitDeps } from './backend-fit';
import { sessionBuilds, type Workload } from './workload';

/** Fake timing: overhead + cost × P ms per step (webgl: a slow start, cheap per parameter). */
const cost: Record<BackendName, { overhead: number; perP: number } | null> = {
  webgpu: null, // not in this browser
  webgl: { overhead: 0.3, perP: 0.00005 },
  wasm: { overhead: 0.05, perP: 0.001 },
  cpu: { overhead: 0.1, perP: 0.004 },
};

/** What the real choice does (backend.ts), on the fake timing: measure the candidates, keep the fastest. */
function fakeChoice(
  candidates: readonly BackendName[],
  workload: Workload | null,
  notes: string[],
): BackendInfo {
  const P = workload?.P ?? 337;
  const measurements: BackendMeasurement[] = candidates.map((b) => {
    const c = cost[b];
    return c
      ? { backend: b, status: 'measured', msPerStep: c.overhead + c.perP * P, steps: 3 }
      : { backend: b, status: 'unavailable', note: 'not in this browser' };
  });
  const best = measurements
    .filter((m) => m.status === 'measured')
    .reduce((a, b) => ((b.msPerStep as number) < (a.msPerStep as number) ? b : a));
  const label = workload?.label ?? 'the benchmark';
  const reason = `${best.backend} chosen on ${label}`;
  return {
    name: best.backend,
    requested: 'auto',
    notes: [reason, ...notes],
    measurements,
    reason,
    workload: label,
  };
}

const tiny = (optimizer = 'gd') => ({
  version: 1,
  problem: { id: 'tiny-net' },
  optimizers: [{ id: optimizer }],
});
const digits = { version: 1, problem: { id: 'digits', hidden: [8] }, optimizers: [{ id: 'gd' }] };

function harness() {
  const log: string[] = [];
  const rechosen: { candidates: BackendName[]; P: number; note: string }[] = [];
  const store = createLabStore();
  const deps: BackendFitDeps = {
    choose: async (request: BackendRequest, _after, workload) => {
      log.push(`choose ${request}`);
      if (request !== 'auto') return { name: request, requested: request, notes: [] };
      return fakeChoice(['webgpu', 'webgl', 'wasm', 'cpu'], workload, []);
    },
    rechoose: async (candidates, workload, note) => {
      log.push(`rechoose P=${workload.P}`);
      rechosen.push({ candidates: [...candidates], P: workload.P, note });
      return fakeChoice(candidates, workload, [note]);
    },
    release: async () => void log.push('release'),
    changed: (info, previous) => {
      log.push(`changed ${previous} -> ${info.name}`);
      // What the worker does: a `backend` event, which the page's store applies.
      store.getState().apply({ type: 'backend', info });
    },
    prepare: async () => void log.push('prepare'),
    benchmark: () => null,
    builds: async (experiment) => {
      const ok = sessionBuilds(experiment);
      log.push(`builds ${experiment.problem.id}`);
      return ok;
    },
  };
  const fit = createBackendFit(deps);
  const load = (raw: unknown) =>
    fit.load(raw, async () => void log.push(`load ${JSON.stringify(raw).length}`));
  return { fit, log, rechosen, store, load };
}

describe('backend fitted to the experiment’s size class', () => {
  it('chooses again when a load changes class, and the header follows', async () => {
    const { fit, log, rechosen, store, load } = harness();
    const first = await fit.init('auto', { experiment: tiny() });
    store.getState().setBackend(first);
    // P = 2: wasm's small overhead wins.
    expect(first.name).toBe('wasm');
    // The first load is of the experiment the choice was timed on: straight through.
    await load(tiny());
    expect(log).toEqual(['prepare', 'choose auto', `load ${JSON.stringify(tiny()).length}`]);
    log.length = 0;

    // digits with 8 hidden units: P = 610, class 3 (tiny-net's is 1).
    await load(digits);
    expect(log.slice(0, 4)).toEqual(['builds digits', 'release', 'rechoose P=610', 'changed wasm -> webgl']);
    expect(log[4]).toMatch(/^load /);
    // Only backends that were available: webgpu was not.
    expect(rechosen[0]?.candidates).toEqual(['webgl', 'wasm', 'cpu']);
    expect(rechosen[0]?.note).toContain('P = 2 before, 610 now');
    const header = store.getState().backend;
    expect(header?.name).toBe('webgl');
    expect(header?.reason).toBe('webgl chosen on this experiment (digits, P = 610)');
    expect(header?.workload).toBe('this experiment (digits, P = 610)');
    expect(fit.info()).toBe(header);

    // Back to P = 2: class 1 again, chosen again (wasm wins).
    log.length = 0;
    await load(tiny('adam'));
    expect(log.slice(0, 4)).toEqual(['builds tiny-net', 'release', 'rechoose P=2', 'changed webgl -> wasm']);
    expect(store.getState().backend?.reason).toBe('wasm chosen on this experiment (tiny-net, P = 2)');
  });

  it('keeps the choice within a class and for invalid input', async () => {
    const { fit, log, load } = harness();
    await fit.init('auto', { experiment: tiny() });
    await load(tiny('adam'));
    await load({ ...tiny(), seed: 7 });
    await load({ version: 1, problem: { id: 'nope' } });
    expect(log.filter((l) => !l.startsWith('load '))).toEqual(['prepare', 'choose auto']);
    expect(log.filter((l) => l.startsWith('load '))).toHaveLength(3);
  });

  it('keeps the runs and the choice when the new experiment’s session would not build', async () => {
    const { fit, log, load } = harness();
    await fit.init('auto', { experiment: tiny() });
    const tensors = tf.memory().numTensors;
    // Valid settings, but rank k = 1000 exceeds digits' P = 610: the load itself reports it.
    await load({ ...digits, optimizers: [{ id: 'lowrank-fisher', rank: 1000 }] });
    expect(log.slice(2).map((l) => l.replace(/^load \d+$/, 'load n'))).toEqual(['builds digits', 'load n']);
    expect(fit.info()?.name).toBe('wasm');
    // The trial session left nothing behind.
    expect(tf.memory().numTensors).toBe(tensors);
    // The next load of that class still chooses again.
    await load(digits);
    expect(log).toContain('rechoose P=610');
  });

  it('never changes a forced backend', async () => {
    const { fit, log, store, load } = harness();
    const info = await fit.init('cpu', { experiment: tiny() });
    store.getState().setBackend(info);
    await load(digits);
    await load(tiny());
    expect(log.filter((l) => !l.startsWith('load '))).toEqual(['choose cpu']);
    expect(store.getState().backend?.name).toBe('cpu');
  });

  it('a backend forced for a restart, adopted as the automatic choice it was, chooses again on a new class', async () => {
    const { fit, log, rechosen, load } = harness();
    await fit.init('wasm', { experiment: tiny() });
    fit.adopt(tiny(), ['wasm', 'cpu']);
    await load(tiny('adam'));
    expect(rechosen).toEqual([]);
    log.length = 0;
    await load(digits);
    expect(log.slice(0, 3)).toEqual(['builds digits', 'release', 'rechoose P=610']);
    expect(rechosen[0]?.candidates).toEqual(['wasm', 'cpu']);
    expect(rechosen[0]?.note).toContain('P = 2 before, 610 now');
  });

  it('adopting invalid input or no candidates leaves a forced backend forced', async () => {
    const { fit, rechosen, load } = harness();
    await fit.init('wasm', { experiment: tiny() });
    fit.adopt({ version: 1, problem: { id: 'nope' } }, ['wasm', 'cpu']);
    fit.adopt(tiny(), []);
    await load(digits);
    expect(rechosen).toEqual([]);
  });

  it('after a lost GPU, chooses again only among the backends after it', async () => {
    const { fit, rechosen, load } = harness();
    await fit.init('auto', { experiment: tiny(), after: 'webgl' });
    await load(digits);
    expect(rechosen[0]?.candidates).toEqual(['wasm', 'cpu']);
  });

  it('a call made during the new choice waits for it and for the load, in order', async () => {
    const { fit, log, load } = harness();
    await fit.init('auto', { experiment: tiny() });
    const loading = load(digits);
    // Sent right after the load (Play pressed meanwhile), as the worker's API would.
    const playing = fit.gate(() => void log.push('play'));
    // A second load of the same class waits and does not choose again.
    const second = load({ ...digits, seed: 3 });
    await Promise.all([loading, playing, second]);
    expect(
      log.filter((l) => l !== 'prepare' && l !== 'choose auto').map((l) => l.replace(/^load \d+$/, 'load n')),
    ).toEqual([
      'builds digits',
      'release',
      'rechoose P=610',
      'changed wasm -> webgl',
      'load n',
      'play',
      'load n',
    ]);
  });
});
