/**
 * View settings change without restarting the runs (run-loop.ts `setView`, views.ts): the
 * page gets a `view` event with the new windows and a new landscape, never a `loaded` event;
 * the runs keep their step. An invalid view is refused with a reason and changes nothing;
 * Reset starts again with the view in force. A load of the same runs with another view (a
 * link) is taken the same way.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';
import { loadedOf } from './loaded-event';

const experiment = {
  version: 1,
  problem: { id: 'quadratic' },
  optimizers: [{ id: 'gd', lr: 0.05 }],
  steps: 30,
  view: { grid: 8 },
};
const window: [[number, number], [number, number]] = [
  [-0.5, 0.5],
  [-0.25, 0.75],
];

async function until<E extends WorkerEvent>(
  events: WorkerEvent[],
  pred: (e: WorkerEvent) => e is E,
  from: number,
): Promise<E> {
  for (;;) {
    const e = events.slice(from).find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 5));
  }
}
const isView = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'view' }> => e.type === 'view';
const isLandscape = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'landscape' }> =>
  e.type === 'landscape' && e.space === 'theta';
/** The step of the newest telemetry: where the runs are. */
const stepOf = (events: WorkerEvent[]): number =>
  events.findLast((e): e is Extract<WorkerEvent, { type: 'telemetry' }> => e.type === 'telemetry')?.step ??
  -1;

describe('setView', () => {
  it('redraws the landscape in the new window and leaves the runs alone', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    expect(loop.setView({ grid: 8 })).toEqual({ ok: false, error: 'no experiment is loaded' });
    expect((await loop.load(experiment)).ok).toBe(true);
    const loaded = loadedOf(events);
    await until(events, isLandscape, 0);
    await loop.step();
    await loop.step();
    await loop.settled();
    const n = events.length;
    expect(loop.setView({ ...loaded.experiment.view, window, grid: 10 })).toEqual({ ok: true });
    const view = await until(events, isView, n);
    expect(view.info.windows.theta).toEqual(window);
    expect(view.info.experiment.view.grid).toBe(10);
    expect(view.info.runs).toEqual(loaded.runs);
    const grid = (await until(events, isLandscape, n)).grid;
    expect(grid.window).toEqual(window);
    expect(grid.n).toBe(10);
    expect(events.slice(n).some((e) => e.type === 'loaded')).toBe(false);
    // The runs go on from where they were.
    await loop.step();
    await loop.settled();
    expect(stepOf(events)).toBe(3);

    // Refused: nothing changes, no event.
    const m = events.length;
    const refused = loop.setView({ grid: 3 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/grid/);
    expect(events.slice(m).some((e) => e.type === 'view' || e.type === 'landscape')).toBe(false);

    // Reset: step 0 of the same runs, in the view in force.
    await loop.reset();
    expect(loadedOf(events).experiment.view.window).toEqual(window);
    expect(loadedOf(events).windows.theta).toEqual(window);
    expect(stepOf(events)).toBe(0);
    loop.dispose();
  });

  it('a load of the same runs with another view (a link) is a view change too', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    expect((await loop.load(experiment)).ok).toBe(true);
    await loop.step();
    await loop.settled();
    const n = events.length;
    expect((await loop.load({ ...experiment, view: { grid: 8, window } })).ok).toBe(true);
    expect((await until(events, isView, n)).info.windows.theta).toEqual(window);
    expect(events.slice(n).some((e) => e.type === 'loaded')).toBe(false);
    // `restart` (Reset) loads it anew.
    expect((await loop.load({ ...experiment, view: { grid: 8, window } }, { restart: true })).ok).toBe(true);
    expect(events.slice(n).some((e) => e.type === 'loaded')).toBe(true);
    loop.dispose();
  });
});
