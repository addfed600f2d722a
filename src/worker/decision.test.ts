import { describe, expect, it } from 'vitest';
import { tf } from '../engine/tf';
import { softmax } from '../engine/ops';
import { createSession } from '../engine/experiment';
import { toRows } from '../engine/trajectory';
import { parseExperiment } from '../engine/schema';
import { gridPoint } from '../engine/landscape/grid';
import type { WorkerEvent } from '../protocol/messages';
import { decisionSender } from './decision';
import { createRunLoop } from './run-loop';

function sessionOf(problem: Record<string, unknown>) {
  const parsed = parseExperiment({ version: 1, problem, optimizers: [{ id: 'gd', lr: 0.3 }], steps: 20 });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

/** The model's class probabilities at one input point, computed directly. */
function probsAt(s: ReturnType<typeof sessionOf>, theta: number[], p: [number, number]): number[] {
  return tf.tidy(() =>
    Array.from(softmax(s.problem.model(tf.tensor2d([theta]), tf.tensor3d([[p]]))).dataSync() as Float32Array),
  );
}

describe('decision regions (mlp classification)', () => {
  it('grid values are the model probabilities of class 1 at the grid points', async () => {
    const s = sessionOf({ id: 'mlp', dataset: 'xor', hidden: [4], n: 64 });
    await s.advance(12);
    const next = decisionSender(9);
    const e = await next(s, true);
    expect(e).not.toBeNull();
    if (!e) return;
    expect(e.n).toBe(9);
    expect(e.points?.length).toBe(2 * s.problem.N);
    expect(e.labels?.length).toBe(s.problem.N);
    // The window is the data's bounding box plus 10%.
    const xs = Array.from(e.points ?? []).filter((_, i) => i % 2 === 0);
    const span = Math.max(...xs) - Math.min(...xs);
    expect(e.window[0][0]).toBeCloseTo(Math.min(...xs) - 0.1 * span, 5);
    expect(e.runs.map((r) => r.id)).toEqual(s.runs.map((r) => r.id));
    for (const run of s.runs) {
      const values = e.runs.find((r) => r.id === run.id)?.values as Float32Array;
      const theta = toRows(run.theta).at(-1) as number[];
      for (const [i, j] of [
        [0, 0],
        [8, 8],
        [3, 5],
        [7, 1],
      ] as const) {
        const p = probsAt(s, theta, gridPoint(e.window, 9, i, j));
        expect(values[j * 9 + i]).toBeCloseTo(p[1] as number, 5);
      }
    }
    // Points go once per load; a second call within 10 steps sends nothing unless forced.
    expect(await next(s, false)).toBeNull();
    const again = await next(s, true);
    expect(again?.points).toBeUndefined();
    s.dispose();
  });

  it('more than two classes: the argmax class', async () => {
    const s = sessionOf({ id: 'mlp', dataset: 'gaussians', classes: 3, hidden: [3], n: 30 });
    const e = await decisionSender(5)(s, true);
    const theta = toRows(s.runs[0]!.theta)[0] as number[];
    const p = probsAt(
      s,
      theta,
      gridPoint(
        e?.window ?? [
          [0, 1],
          [0, 1],
        ],
        5,
        2,
        3,
      ),
    );
    expect(e?.runs[0]?.values[3 * 5 + 2]).toBe(p.indexOf(Math.max(...p)));
    s.dispose();
  });

  it('nothing for other problems (regression mlp, gaussian-fit)', async () => {
    for (const problem of [{ id: 'mlp', dataset: 'sine', hidden: [2], n: 16 }, { id: 'gaussian-fit' }]) {
      const s = sessionOf(problem);
      expect(await decisionSender()(s, true)).toBeNull();
      s.dispose();
    }
  });

  it('leaks no tensors', async () => {
    const s = sessionOf({ id: 'mlp', dataset: 'xor', hidden: [4], n: 64 });
    const next = decisionSender();
    await next(s, true);
    const before = tf.memory().numTensors;
    await next(s, true);
    await next(s, true);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
  });

  it('the run loop emits decision events when it pauses', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    await loop.load({
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [4], n: 64 },
      optimizers: [{ id: 'gd' }],
      steps: 5,
    });
    await loop.step();
    await new Promise((r) => setTimeout(r, 50));
    const decisions = events.filter((e) => e.type === 'decision');
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions[0]?.points).toBeDefined();
    loop.dispose();
  });
});
