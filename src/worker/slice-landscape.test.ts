import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';

const mlpExperiment = (seed: number, grid: number) => ({
  version: 1,
  problem: { id: 'mlp', hidden: [8], n: 64 },
  optimizers: [{ id: 'gd', lr: 0.5 }],
  steps: 20,
  seed,
  view: { grid },
});

function recorder() {
  const events: WorkerEvent[] = [];
  const loop = createRunLoop((e) => events.push(e));
  const landscape = (): Promise<Extract<WorkerEvent, { type: 'landscape' }>> =>
    new Promise((resolve, reject) => {
      const t0 = Date.now();
      const poll = (): void => {
        const e = events.find((x) => x.type === 'landscape');
        if (e?.type === 'landscape') resolve(e);
        else if (Date.now() - t0 > 20_000) reject(new Error('no landscape'));
        else setTimeout(poll, 10);
      };
      poll();
    });
  return { events, loop, landscape };
}

describe('the θ plot of a network is a slice with projected trajectories', () => {
  it('sends slice info, projected points with their error, progress, then the grid', async () => {
    const { events, loop, landscape } = recorder();
    const info = await loop.load(mlpExperiment(1, 8));
    if (!info.ok) throw new Error(info.error);
    expect(info.slice).toEqual({ kind: 'random', label: 'random filter-normalized directions' });
    expect(info.windows.theta).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
    await loop.step();
    await loop.step();
    const grid = (await landscape()).grid;
    expect(grid.n).toBe(8);
    expect(grid.values.every(Number.isFinite)).toBe(true);
    const progress = events.flatMap((e) => (e.type === 'landscape-progress' ? [e.fraction] : []));
    expect(progress.at(-1)).toBe(1);
    const deltas = events.flatMap((e) => (e.type === 'telemetry' ? e.runs : []));
    const coords = deltas.flatMap((d) => Array.from(d.slice ?? []));
    const errors = deltas.flatMap((d) => Array.from(d.sliceError ?? []));
    expect(coords.length).toBe(2 * 3); // steps 0, 1, 2
    expect(errors.length).toBe(3);
    // The start point is the slice's centre; later points leave the plane (random directions).
    expect(coords.slice(0, 2)).toEqual([0, 0]);
    expect(errors[0]).toBe(0);
    expect(errors[2]).toBeGreaterThan(0);
    expect(errors.every((e) => e >= 0 && e <= 1)).toBe(true);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    loop.dispose();
  });

  it('a new experiment cancels the slice grid still being computed, quietly and without leaks', async () => {
    const before = tf.memory().numTensors;
    const { events, loop, landscape } = recorder();
    await loop.load(mlpExperiment(1, 96)); // 36 chunks: still running when the next load comes
    const progressed = (): number => events.filter((e) => e.type === 'landscape-progress').length;
    expect(progressed()).toBe(0);
    await loop.load(mlpExperiment(2, 8));
    const grid = (await landscape()).grid;
    expect(grid.n).toBe(8);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'landscape')).toHaveLength(1);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    // The first grid reported no progress after it was cancelled (only the 8 × 8 grid's one chunk).
    expect(progressed()).toBe(1);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
