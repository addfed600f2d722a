import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';
import { loadedOf } from './loaded-event';

const mlpExperiment = (seed: number, grid: number, view: Record<string, unknown> = {}) => ({
  version: 1,
  problem: { id: 'mlp', hidden: [8], n: 64 },
  optimizers: [{ id: 'gd', lr: 0.5 }],
  steps: 20,
  seed,
  view: { grid, ...view },
});

type Reprojected = Extract<WorkerEvent, { type: 'slice-reprojected' }>;

/** Resolves with the first event after index `from` that satisfies `match`. */
function waitFor<E extends WorkerEvent>(
  events: WorkerEvent[],
  match: (e: WorkerEvent) => e is E,
  from = 0,
): Promise<E> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = (): void => {
      const e = events.slice(from).find(match);
      if (e) resolve(e);
      else if (Date.now() - t0 > 15_000) reject(new Error('event never came'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}
const isReprojected = (e: WorkerEvent): e is Reprojected => e.type === 'slice-reprojected';
const isLandscape = (e: WorkerEvent): e is Extract<WorkerEvent, { type: 'landscape' }> =>
  e.type === 'landscape';

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
    const reply = await loop.load(mlpExperiment(1, 8));
    if (!reply.ok) throw new Error(reply.error);
    const info = loadedOf(events);
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
    // 65,536 points in 64 chunks: still running when the next load comes.
    await loop.load(mlpExperiment(1, 256));
    await loop.load(mlpExperiment(2, 8));
    const grid = (await landscape()).grid;
    expect(grid.n).toBe(8);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.filter((e) => e.type === 'landscape')).toHaveLength(1);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    // The first grid stopped short of the end: only the 8 × 8 grid's one chunk reached 1, last.
    const fractions = events.flatMap((e) => (e.type === 'landscape-progress' ? [e.fraction] : []));
    expect(fractions.filter((f) => f === 1)).toHaveLength(1);
    expect(fractions.at(-1)).toBe(1);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refits the slice to the runs’ principal directions when they stop, and resends every point', async () => {
    const before = tf.memory().numTensors;
    const { events, loop } = recorder();
    const pair = (view: Record<string, unknown> = {}) => ({
      ...mlpExperiment(3, 8, view),
      optimizers: [
        { id: 'gd', lr: 0.5 },
        { id: 'adam', lr: 0.02 },
      ],
      steps: 12,
    });
    const reply = await loop.load(pair());
    if (!reply.ok) throw new Error(reply.error);
    const info = loadedOf(events);
    await loop.step();
    await loop.step(); // two steps beyond the start: too few to fit, the slice stays random
    await loop.settled();
    expect(events.some(isReprojected)).toBe(false);
    loop.play(); // runs to step 12 ('done'), which refits
    const re = await waitFor(events, isReprojected);
    expect(re.slice.kind).toBe('pca');
    expect(re.slice.label).toBe('principal directions of the runs');
    expect(re.slice.explained).toBeGreaterThan(0);
    expect(re.slice.explained).toBeLessThanOrEqual(1 + 1e-12);
    expect(re.runs.map((r) => r.id)).toEqual(info.runs.map((r) => r.id));
    const worst: number[] = [];
    for (const r of re.runs) {
      expect(r.slice.length).toBe(2 * 13); // every point, steps 0 … 12
      expect(r.sliceError.length).toBe(13);
      expect([r.slice[0], r.slice[1]]).toEqual([0, 0]); // the start is the centre
      worst.push(Math.max(...r.sliceError));
    }
    // Measured on this seed: gd 0.12, adam 0.55 (its first steps leave the plane most);
    // the random slice gives 0.998 and 0.991.
    expect(Math.max(...worst)).toBeLessThanOrEqual(0.6);
    // The fitted window holds every projected point, with a margin.
    const [[a0, a1], [b0, b1]] = re.window;
    for (const r of re.runs)
      for (let k = 0; k < r.slice.length; k += 2) {
        expect(r.slice[k]).toBeGreaterThan(a0);
        expect(r.slice[k]).toBeLessThan(a1);
        expect(r.slice[k + 1]).toBeGreaterThan(b0);
        expect(r.slice[k + 1]).toBeLessThan(b1);
      }
    const grid = (await waitFor(events, isLandscape, events.indexOf(re))).grid;
    expect(grid.window).toEqual(re.window);
    expect(grid.values.every(Number.isFinite)).toBe(true);
    // Stopping again with no new points keeps the fitted slice.
    const count = events.filter(isReprojected).length;
    loop.pause();
    await loop.settled();
    await new Promise((r) => setTimeout(r, 20));
    expect(events.filter(isReprojected)).toHaveLength(count);
    // view.directions 'random' (a view change only) goes back to the random slice, all points again.
    const n = events.length;
    expect(loop.setView({ ...info.experiment.view, directions: 'random' }).ok).toBe(true);
    const back = await waitFor(events, isReprojected, n);
    expect(back.slice.kind).toBe('random');
    expect(Math.min(...back.runs.map((r) => Math.max(...r.sliceError)))).toBeGreaterThan(0.9);
    expect(back.window).toEqual([
      [-1, 1],
      [-1, 1],
    ]);
    expect(back.runs.every((r) => r.sliceError.length === 13)).toBe(true);
    await waitFor(events, isLandscape, events.indexOf(back));
    expect(events.some((e) => e.type === 'error')).toBe(false);
    loop.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a slice that is slow to compute sends a coarse preview first', () => {
  const thetaGrids = (events: WorkerEvent[]) =>
    events.flatMap((e) => (e.type === 'landscape' && e.space === 'theta' ? [e.grid] : []));
  const settle = async (events: WorkerEvent[], count: number): Promise<void> => {
    const t0 = Date.now();
    while (thetaGrids(events).length < count && Date.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
  };

  it('digits (P ≥ PREVIEW_MIN_P): a half-resolution grid over the same window, then the full one', async () => {
    const { events, loop } = recorder();
    const reply = await loop.load({
      version: 1,
      problem: { id: 'digits', hidden: [16] },
      optimizers: [{ id: 'gd', lr: 0.3 }],
      steps: 5,
      view: { grid: 12 },
    });
    if (!reply.ok) throw new Error(reply.error);
    await settle(events, 2);
    const grids = thetaGrids(events);
    expect(grids.map((g) => g.n)).toEqual([6, 12]);
    expect(grids[0]?.window).toEqual(grids[1]?.window);
    for (const g of grids) expect([...g.values].every(Number.isFinite)).toBe(true);
    // The coarse grid's corners are the full grid's corners (both span the window edge to edge).
    const corner = (g: (typeof grids)[number], i: number, j: number) => g.values[i * g.n + j] as number;
    const [c, f] = grids as [(typeof grids)[number], (typeof grids)[number]];
    for (const [i, j, fi, fj] of [
      [0, 0, 0, 0],
      [5, 5, 11, 11],
    ] as const)
      expect(corner(c, i, j)).toBeCloseTo(corner(f, fi, fj), 4);
    loop.dispose();
  }, 90_000);

  it('the mlp (P below it) sends the full grid only', async () => {
    const { events, loop } = recorder();
    const reply = await loop.load(mlpExperiment(2, 8));
    if (!reply.ok) throw new Error(reply.error);
    await settle(events, 1);
    expect(thetaGrids(events).map((g) => g.n)).toEqual([8]);
    loop.dispose();
  });
});
