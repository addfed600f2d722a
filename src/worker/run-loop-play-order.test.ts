/**
 * Play asked for while a load or a restart is still in progress (the page's Space right after
 * a scene's key) takes effect on the new session, not on the old one it replaces; a pause
 * meanwhile cancels it.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';

const experiment = {
  version: 1,
  problem: { id: 'quadratic' },
  optimizers: [{ id: 'gd', lr: 0.05 }],
  steps: 30,
  view: { grid: 8, stepsPerFrame: 5 },
};

async function until(events: WorkerEvent[], pred: (e: WorkerEvent) => boolean): Promise<void> {
  while (!events.some(pred)) await new Promise((r) => setTimeout(r, 5));
}

describe('play during a load', () => {
  it('a play sent while a restart awaits plays the restarted session to the end', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    expect((await loop.load(experiment)).ok).toBe(true);
    await loop.step();
    const restarting = loop.reset();
    loop.play(); // arrives while the restart is in progress
    await restarting;
    await until(events, (e) => e.type === 'play-state' && e.state === 'done');
    expect(events.findLast((e) => e.type === 'play-state')).toMatchObject({ state: 'done', step: 30 });
    loop.dispose();
  });

  it('a pause after it cancels the held play', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    const loading = loop.load(experiment);
    loop.play();
    loop.pause();
    expect((await loading).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(events.some((e) => e.type === 'play-state' && e.state === 'playing')).toBe(false);
    loop.dispose();
  });
});
