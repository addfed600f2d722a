/**
 * Batched runs: a group of R runs stepped as stacked rows by one optimizer
 * equals the same runs stepped one by one; a run that leaves the group (it diverged)
 * takes its optimizer state with it and the others go on exactly as their solo runs;
 * no tensor leaks across steps, leaves and disposal.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { makeObjective } from '../objective';
import { problems } from '../problems';
import { optimizers } from '../optimizers';
import type { OptimizerId } from '../optimizers/ids';
import type { OptimizerEntry } from '../schema';
import { batchKey, planBatches } from './plan';
import { batchRuns } from './driver';
import { resolveHyper } from '../optimizers/optimizer';
import { optimizerDef } from '../optimizers';
import { blankResult, expectRowsClose, groupOf, rowsOf, runGroup } from './testkit';
import { toRows } from '../trajectory';

const ids = Object.keys(optimizers) as OptimizerId[];
const make = (id: 'tiny-net' | 'mlp' | 'rosenbrock', params: Record<string, unknown> = {}) =>
  problems[id].create(problems[id].params.parse(params) as never, 3);

const tiny = make('tiny-net');
const tinyObj = makeObjective(tiny, null);
// A small network (P = 2·4 + 4 + 4 + 1 = 17) so batched matMuls are exercised.
const net = make('mlp', { hidden: [4], n: 32, testFraction: 0 });
const netObj = makeObjective(net, null);
const rosen = make('rosenbrock');
const rosenObj = makeObjective(rosen, null);
afterAll(() => [tiny, net, rosen].forEach((p) => p.dispose()));

/** Second-order methods get a little damping so every start stays finite. */
const entryFor = (id: OptimizerId): OptimizerEntry =>
  optimizerDef(id).uses.includes('damping') ? { id, damping: { type: 'lm', value: 1e-2 } } : { id };

const tinyStarts = [
  [0.4, 0.6],
  [1.5, -0.5],
  [-0.8, 1.2],
];
const netStarts = [0, 1, 2, 3].map((s) => net.init.map((v, j) => v * (1 + 0.3 * s) + 0.05 * Math.sin(j + s)));

describe('planBatches', () => {
  const hyper = resolveHyper(optimizerDef('ngd'), { id: 'ngd', damping: { type: 'lm', value: 0.1 } });
  it('groups equal space, optimizer and hyper-parameters, whatever the key order', () => {
    const reordered = { ...hyper, damping: { value: 0.1, type: 'lm' as const } };
    const other = { ...hyper, lr: 0.2 };
    const specs = [
      { space: 'theta', optimizer: 'ngd' as const, hyper },
      { space: 'phi', optimizer: 'ngd' as const, hyper },
      { space: 'theta', optimizer: 'ngd' as const, hyper: reordered },
      { space: 'theta', optimizer: 'ngd' as const, hyper: other },
      { space: 'theta', optimizer: 'ggn' as const, hyper },
    ];
    expect(batchKey(specs[0]!)).toBe(batchKey(specs[2]!));
    expect(planBatches(specs)).toEqual([[0, 2], [1], [3], [4]]);
  });
});

describe('a run group', () => {
  it('steps 4 gd rows and 2 adam rows of a network exactly as their solo runs', async () => {
    for (const entry of [{ id: 'gd', lr: 0.5 }, { id: 'adam' }] as OptimizerEntry[]) {
      const starts = entry.id === 'gd' ? netStarts : netStarts.slice(1, 3);
      const batched = await runGroup(netObj, entry, starts, 8);
      const solo: number[][] = [];
      for (const s of starts) solo.push((await runGroup(netObj, entry, [s], 8))[0] as number[]);
      expectRowsClose(batched, solo, 1e-6, entry.id);
      // The runs really moved apart from their starts and from each other.
      expect(Math.abs((batched[0]?.[0] ?? 0) - (starts[0]?.[0] ?? 0))).toBeGreaterThan(1e-4);
    }
  });

  it.each(ids)('%s: batched rows equal solo runs; survivors of a leave keep their state', async (id) => {
    const entry = entryFor(id);
    const batched = await runGroup(tinyObj, entry, tinyStarts, 6);
    const solo: number[][] = [];
    for (const s of tinyStarts) solo.push((await runGroup(tinyObj, entry, [s], 6))[0] as number[]);
    expectRowsClose(batched, solo, 1e-5, `${id} batched`);
    // Row 1 leaves after 3 steps; rows 0 and 2 must go on as if alone (state kept, not reset).
    const left = await runGroup(tinyObj, entry, tinyStarts, 6, { at: 3, keep: [0, 2] });
    expectRowsClose(left, [solo[0]!, solo[2]!], 1e-5, `${id} after leave`);
  });

  it.each(ids)('%s: no tensor leaks across steps, a leave and disposal', async (id) => {
    const before = tf.memory().numTensors;
    const g = groupOf(tinyObj, entryFor(id), tinyStarts);
    await g.step();
    const n = tf.memory().numTensors;
    await g.step();
    expect(tf.memory().numTensors).toBe(n);
    g.keep([0, 2]);
    await g.step();
    const m = tf.memory().numTensors;
    await g.step();
    expect(tf.memory().numTensors).toBe(m);
    expect(rowsOf(g)).toHaveLength(2);
    g.keep([]);
    expect(g.size).toBe(0);
    g.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('batched runs with a diverging member', () => {
  /** Drive one group of `entry` from `starts` for k steps; returns the run records. */
  async function drive(obj: typeof tinyObj, entry: OptimizerEntry, starts: number[][], k: number) {
    const members = starts.map((s, i) => blankResult(entry.id, i, s));
    const runs = batchRuns([{ group: groupOf(obj, entry, starts), members }]);
    await runs.record(0);
    for (let step = 1; step <= k && runs.live > 0; step++) {
      await runs.step();
      await runs.record(step);
    }
    runs.dispose();
    return members;
  }

  it.each(['gd', 'momentum'] as const)(
    '%s: the run that blows up stops alone; the others equal their solo runs',
    async (id) => {
      const entry: OptimizerEntry = { id, lr: 1e-3 };
      // On Rosenbrock the gradient grows like x³: from (4, 0) the steps overshoot and explode.
      const starts = [
        [-1.2, 1],
        [4, 0],
        [0.5, 0.5],
      ];
      const K = 30;
      const before = tf.memory().numTensors;
      const [a, bad, c] = await drive(rosenObj, entry, starts, K);
      expect(tf.memory().numTensors).toBe(before);
      expect(bad?.status).toBe('diverged');
      const k = bad?.divergedAt ?? 0;
      expect(k).toBeGreaterThan(1); // it ran a few steps inside the group first
      expect(bad?.theta).toHaveLength(k);
      for (const [run, s] of [
        [a, starts[0]],
        [c, starts[2]],
      ] as const) {
        expect(run?.status).toBe('ok');
        expect(run?.theta).toHaveLength(K + 1);
        const [solo] = await drive(rosenObj, entry, [s as number[]], K);
        expectRowsClose(toRows(run!.theta), toRows(solo!.theta), 1e-5, `${id} ${run?.id}`);
        expectRowsClose([run?.loss ?? []], [solo?.loss ?? []], 1e-5, `${id} loss`);
      }
    },
  );

  it.each(ids)('%s: a row that starts non-finite diverges at step 1, alone', async (id) => {
    const starts = [tinyStarts[0]!, [Number.NaN, 1], tinyStarts[2]!];
    const [a, bad, c] = await drive(tinyObj, entryFor(id), starts, 4);
    expect(bad?.status).toBe('diverged');
    expect(bad?.divergedAt).toBe(1);
    const solo = await drive(tinyObj, entryFor(id), [tinyStarts[0]!, tinyStarts[2]!], 4);
    for (const [run, want] of [
      [a, solo[0]],
      [c, solo[1]],
    ] as const) {
      expect(run?.status).toBe('ok');
      expectRowsClose(toRows(run!.theta), toRows(want!.theta), 1e-5, `${id} ${run?.id}`);
    }
  });
});
