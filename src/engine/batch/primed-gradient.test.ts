import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { dropPrimedGradient, gradient, lossPrimingGradient, makeObjective } from '../objective';
import { createSession } from '../experiment';
import { toRows } from '../trajectory';
import { parseExperiment } from '../schema';
import { mlp, mlpParams } from '../problems/mlp';
import { optimizers } from '../optimizers';
import { baseHyper } from '../optimizers/optimizer';
import { trajectory } from '../optimizers/paired-run';

describe('a gradient primed with the telemetry loss', () => {
  it('is the gradient at that tensor, handed over once; dropping frees it', () => {
    const problem = mlp(mlpParams.parse({ hidden: [4], n: 30 }), 2);
    const obj = makeObjective(problem, null);
    const p = tf.tensor2d([[...problem.init], problem.init.map((v) => v * 0.5)]) as Tensor2D;
    const fresh = tf.tidy(() => gradient(obj, p));
    const want = fresh.arraySync();
    fresh.dispose();
    const before = tf.memory().numTensors;
    const loss = tf.tidy(() => lossPrimingGradient(obj, p));
    expect(tf.memory().numTensors).toBe(before + 2); // the loss and the kept gradient
    const got = tf.tidy(() => gradient(obj, p));
    expect(got.arraySync()).toEqual(want); // bit for bit
    got.dispose();
    expect(tf.memory().numTensors).toBe(before + 1); // consumed: only the loss is left
    tf.tidy(() => lossPrimingGradient(obj, p)).dispose();
    expect(tf.memory().numTensors).toBe(before + 2);
    dropPrimedGradient(p);
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([loss, p]);
    problem.dispose();
  });

  it('a session of first-order θ-runs steps exactly as the optimizers alone do, and leaves nothing behind', async () => {
    const ids = ['gd', 'momentum', 'adam', 'rmsprop', 'nesterov'] as const;
    const parsed = parseExperiment({
      version: 1,
      seed: 3,
      problem: { id: 'mlp', dataset: 'xor', hidden: [4], n: 40, testFraction: 0 },
      optimizers: ids.map((id) => ({ id, lr: 0.05 })),
      steps: 12,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const before = tf.memory().numTensors;
    const session = createSession(parsed.experiment);
    await session.advance(12);
    const problem = mlp(mlpParams.parse({ dataset: 'xor', hidden: [4], n: 40, testFraction: 0 }), 3);
    try {
      for (const [i, id] of ids.entries()) {
        const run = session.runs.find((r) => r.space === 'theta' && r.optimizer === i);
        const def = optimizers[id];
        if (!run || !def) throw new Error(`no ${id} run`);
        const alone = await trajectory(
          def,
          { ...baseHyper, ...def.defaults, lr: 0.05 },
          makeObjective(problem, null),
          toRows(run.theta, 0, 1)[0] ?? [],
          12,
        );
        expect(toRows(run.theta), `${id} (#${i})`).toEqual(alone);
      }
    } finally {
      problem.dispose();
      session.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
