/**
 * The worker's analyses in Node: progress and result events through the listener, and
 * cancellation when the experiment changes (not when only its view does) or a newer
 * request replaces the running one.
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment, type Experiment } from '../engine/schema';
import type { WorkerEvent } from '../protocol/messages';
import { createAnalyses } from './analyses';

function experiment(extra: Record<string, unknown> = {}): Experiment {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    reparam: { id: 'cubic', a: 0.3 },
    optimizers: [{ id: 'gd', lr: 0.05 }],
    init: [0.4, 0.6],
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
}

function setup(start: Experiment | null) {
  const events: WorkerEvent[] = [];
  let current = start;
  const analyses = createAnalyses(
    (e) => void events.push(e),
    () => current,
  );
  return {
    analyses,
    events,
    set: (e: Experiment | null) => (current = e),
    of: (type: 'sweep' | 'table') => events.filter((e) => e.type === type),
  };
}

describe('worker analyses', () => {
  it('a sweep reports running, then done with a result; a view change does not stop it', async () => {
    const t = setup(experiment());
    const pending = t.analyses.sweep({ horizon: 0.2, divisors: [4, 8] });
    t.set(experiment({ view: { grid: 16, stepsPerFrame: 5 } }));
    expect(await pending).toEqual({ status: 'done' });
    const evs = t.of('sweep');
    expect(evs[0]).toMatchObject({ type: 'sweep', id: 1, status: 'running', progress: 0 });
    const last = evs.at(-1);
    if (last?.type !== 'sweep' || !last.result) throw new Error('expected a final sweep result');
    expect(last).toMatchObject({ status: 'done', progress: 1 });
    expect(last.result.etas).toEqual([0.05, 0.025]);
    expect(last.result.series[0]?.defects.every((d) => d > 0.01)).toBe(true);
  });

  it('stops when the experiment changes, saying why', async () => {
    const t = setup(experiment());
    const pending = t.analyses.naturalityTable({ steps: 30 });
    // The first chunk yields to the event loop; change the experiment meanwhile.
    await new Promise((r) => setTimeout(r, 0));
    t.set(experiment({ seed: 7 }));
    expect(await pending).toEqual({ status: 'cancelled', message: 'the experiment changed' });
    expect(t.of('table').at(-1)).toMatchObject({ status: 'cancelled', message: 'the experiment changed' });
  });

  it('idle: at once with nothing running; after the running analysis once its experiment is gone', async () => {
    const t = setup(experiment());
    let idle = false;
    await t.analyses.idle().then(() => (idle = true));
    expect(idle).toBe(true);
    const pending = t.analyses.naturalityTable({ steps: 30 });
    let ended = false;
    void pending.then(() => (ended = true));
    // What the worker does before it changes the backend: no experiment, then wait.
    t.set(null);
    await t.analyses.idle();
    expect(ended).toBe(true);
    expect(await pending).toEqual({ status: 'cancelled', message: 'the experiment changed' });
  });

  it('a newer request of the same kind replaces the running one', async () => {
    const t = setup(experiment());
    const first = t.analyses.sweep({ horizon: 0.2, divisors: [4, 8] });
    await new Promise((r) => setTimeout(r, 0));
    const second = t.analyses.sweep({ horizon: 0.2, divisors: [4, 8] });
    expect(await first).toEqual({ status: 'cancelled', message: 'a newer request replaced it' });
    expect(await second).toEqual({ status: 'done' });
    expect(t.of('sweep').at(-1)).toMatchObject({ id: 2, status: 'done' });
  });

  it('reports an error without an experiment, or with the identity map', async () => {
    expect((await setup(null).analyses.sweep({})).status).toBe('error');
    const t = setup(experiment({ reparam: { id: 'identity' } }));
    const reply = await t.analyses.sweep({});
    expect(reply.status).toBe('error');
    expect(reply.message).toMatch(/identity/);
    expect(t.of('sweep').at(-1)).toMatchObject({ status: 'error' });
  });
});
