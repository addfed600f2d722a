/**
 * The scene "Low rank for free — and lost" (docs/theory.md §6): on its experiment (seed 2),
 * gradient descent on the factors of W = W₃W₂W₁ ends with a W of lower effective rank than
 * damped natural gradient's, and fills in the unobserved entries better, while both fit
 * the observed ones.
 */
import { describe, expect, it } from 'vitest';
import { setupNode } from '../engine/setup-node';
import { createSession } from '../engine/experiment';
import { toRows } from '../engine/trajectory';
import { parseExperiment } from '../engine/schema';
import { scenes } from './scenes';
import { asMatrixCompletion } from '../engine/problems/matrix-completion';
import { effectiveRank, singularValues, unobservedError } from '../engine/problems/matrix-completion-report';

describe('deep matrix factorization: GD keeps a low-rank bias that NGD loses', () => {
  it('effective rank (Σσ)²/Σσ²: 1 for rank 1, r for r equal singular values', () => {
    expect(effectiveRank([3, 0, 0])).toBe(1);
    expect(effectiveRank([2, 2, 2])).toBeCloseTo(3, 12);
    expect(effectiveRank([0, 0])).toBeNaN();
  });

  it('seed 2, 1,500 steps: GD’s W nearer rank 1 than NGD’s, and better on the unseen entries', async () => {
    await setupNode('wasm');
    const scene = scenes.find((s) => s.id === 'low-rank-lost');
    if (!scene) throw new Error('no scene low-rank-lost');
    const parsed = parseExperiment({
      ...scene.experiment,
      // GD and NGD only (Adam lies between them and is not what this test is about).
      optimizers: scene.experiment.optimizers.filter((o) => o.id !== 'adam'),
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.experiment.seed).toBe(2);
    const session = createSession(parsed.experiment);
    try {
      while (!session.done) if ((await session.advance(500)) === 0) break;
      const mc = asMatrixCompletion(session.problem);
      if (!mc) throw new Error('not matrix-completion');
      const end = (id: string) => {
        const run = session.runs.find((r) => r.id === id);
        if (!run) throw new Error(`no run ${id}`);
        const theta = toRows(run.theta).at(-1) ?? [];
        expect(run.theta.length).toBe(1501);
        return {
          loss: run.loss.at(-1) ?? NaN,
          rank: effectiveRank(singularValues(mc, theta)),
          error: unobservedError(mc, theta),
        };
      };
      const gd = end('gd-0-theta');
      const ngd = end('ngd-1-theta');
      // Both fit the 40 seen entries.
      expect(gd.loss).toBeLessThan(1e-4);
      expect(ngd.loss).toBeLessThan(1e-4);
      // Measured 1.05 and 1.93 on wasm with the command line.
      expect(gd.rank).toBeLessThan(1.2);
      expect(ngd.rank).toBeGreaterThan(gd.rank + 0.5);
      // Measured 0.04 and 0.60.
      expect(gd.error).toBeLessThan(0.1);
      expect(ngd.error).toBeGreaterThan(0.3);
    } finally {
      session.dispose();
    }
  }, 60_000);
});
