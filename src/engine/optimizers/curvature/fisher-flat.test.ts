import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { makeObjective, type Objective } from '../../objective';
import { mlp, mlpParams } from '../../problems/mlp';
import { cubicMap } from '../../reparam/cubic';
import { rowsOf, type RowMajor } from '../../linalg/woodbury';
import type { Mat } from '../../linalg/dense';
import { empiricalFisherFactor, fisherFactor } from './fisher';
import { empiricalFisherFlat, fisherFactorFlat } from './fisher-flat';

/** max |a − b| / max |b| over all entries. */
function relErr(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  const scale = Math.max(...b.flat().map(Math.abs));
  return (
    Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - ((b[i] as number[])[j] as number))))) / scale
  );
}

/** UUᵀ in float64 from the factor's rows. */
const gram64 = (U: Mat): Mat =>
  U.map((a) => U.map((b) => a.reduce((s, v, j) => s + v * (b[j] as number), 0)));

describe('ngd’s flat Fisher factor', () => {
  // Two classes (one row per example), three classes (three rows each), regression; all
  // with fewer rows than parameters, so the float32 UUᵀ is formed.
  const binary = mlp(mlpParams.parse({ hidden: [8], n: 30 }), 3);
  const three = mlp(mlpParams.parse({ hidden: [8], n: 12, dataset: 'gaussians', classes: 3 }), 4);
  const sine = mlp(mlpParams.parse({ hidden: [6, 5], n: 20, dataset: 'sine' }), 5);
  afterAll(() => [binary, three, sine].forEach((p) => p.dispose()));
  const row = (p: readonly number[]): Tensor2D => tf.tensor2d([[...p]]);
  const cases = (): [string, Objective, number[]][] => [
    ['two classes', makeObjective(binary, null), [...binary.init]],
    ['three classes', makeObjective(three, null), [...three.init]],
    ['regression, two hidden layers', makeObjective(sine, null), [...sine.init]],
    // A φ-objective: U·Uᵀ directly (U is not made of dense-layer blocks).
    ['cubic φ-objective', makeObjective(sine, cubicMap(sine.P, 0.3)), sine.init.map((v) => 0.9 * v)],
  ];

  it('UUᵀ from the layers’ activations and U’s bias blocks equals U·Uᵀ (float32 round-off); no leaks', async () => {
    for (const [name, obj, p] of cases()) {
      const r = row(p);
      const before = tf.memory().numTensors;
      const f = await fisherFactorFlat(obj, r);
      expect(tf.memory().numTensors, name).toBe(before);
      const U = rowsOf(f.U);
      expect(U, name).toEqual((await fisherFactor(obj, r)).U);
      expect(f.U.rows, name).toBeLessThan(f.P);
      expect(relErr(rowsOf(f.gram32 as RowMajor), gram64(U)), name).toBeLessThan(1e-5);
      r.dispose();
    }
  });

  it('the empirical Fisher’s factor (per-example gradients) gets the same Gram', async () => {
    for (const [name, obj, p] of cases()) {
      const r = row(p);
      const before = tf.memory().numTensors;
      const f = await empiricalFisherFlat(obj, r);
      expect(tf.memory().numTensors, name).toBe(before);
      const U = rowsOf(f.U);
      expect(relErr(U, (await empiricalFisherFactor(obj, r)).U), name).toBeLessThan(1e-6);
      expect(relErr(rowsOf(f.gram32 as RowMajor), gram64(U)), name).toBeLessThan(1e-5);
      r.dispose();
    }
  });
});
