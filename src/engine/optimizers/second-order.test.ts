import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective } from '../objective';
import { gaussianFit, gaussianFitParams } from '../problems/gaussian-fit';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { solveSymmetric } from '../linalg/solve';
import { baseHyper, type Hyper, type OptimizerDef } from './optimizer';
import type { SecondOrderOptimizer } from './second-order';
import { optimizers } from './index';
import { newton } from './newton';
import { ngd } from './ngd';
import { ggn } from './ggn';
import { empiricalFisher } from './empirical-fisher';
import { diagFisher } from './diag-fisher';
import { hessianFree } from './hessian-free';
import { kfac } from './kfac';
import {
  expectBatchedEqualsSingle,
  expectNoLeaks,
  quadraticGrad,
  quadraticProblem,
  runSteps,
  testX,
  testY,
} from './first-order-testkit';

const hyperOf = (def: OptimizerDef, over: Partial<Hyper> = {}): Hyper => ({
  ...baseHyper,
  ...def.defaults,
  ...over,
});

/** One step of `def` from `start` (rows); returns the new rows and the optimizer's info. */
async function oneStep(
  def: OptimizerDef,
  hyper: Hyper,
  obj: ReturnType<typeof makeObjective>,
  start: number[][],
) {
  const opt = def.create(obj, hyper, start.length) as SecondOrderOptimizer;
  const p = tf.tensor2d(start) as Tensor2D;
  const next = await opt.step(p);
  const rows = next.arraySync();
  p.dispose();
  next.dispose();
  const info = opt.info();
  opt.dispose();
  return { rows, info };
}

/** Float64 least-squares minimiser of the test quadratic: (XᵀX)⁻¹Xᵀy. */
function lsSolution(): number[] {
  const XtX = [0, 1].map((i) => [0, 1].map((j) => testX.reduce((s, r) => s + r[i]! * r[j]!, 0)));
  const Xty = [0, 1].map((i) => testX.reduce((s, r, n) => s + r[i]! * testY[n]!, 0));
  return solveSymmetric(XtX, Xty).x;
}

describe('second-order optimizers: steps against closed forms', () => {
  const quad = quadraticProblem(testX, testY);
  const gauss = gaussianFit(gaussianFitParams.parse({ n: 30 }), 4);
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  afterAll(() => [quad, gauss, tiny].forEach((p) => p.dispose()));
  const sample = Array.from(gauss.y.dataSync());

  it('every id is registered', () => {
    for (const def of [newton, ngd, ggn, empiricalFisher, diagFisher, hessianFree])
      expect(optimizers[def.id]).toBe(def);
  });

  it('on a linear least-squares problem newton, ngd, ggn and hessian-free (cgIters = P) reach the minimiser in one η = 1 step', async () => {
    const star = lsSolution();
    const obj = makeObjective(quad, null);
    for (const def of [newton, ngd, ggn, hessianFree]) {
      const { rows, info } = await oneStep(def, hyperOf(def, { lr: 1, cgIters: 2 }), obj, [[0.3, -0.4]]);
      rows[0]!.forEach((v, j) => expect(v).toBeCloseTo(star[j]!, 4));
      expect(info[0]!.method).toBe(def === hessianFree ? 'cg' : 'cholesky');
    }
  });

  it('diag-fisher divides the gradient by diag(XᵀX/N)', async () => {
    const start = [0.3, -0.4];
    const g = quadraticGrad(testX, testY, start);
    const d = [0, 1].map((j) => testX.reduce((s, r) => s + r[j]! ** 2, 0) / testX.length);
    const { rows } = await oneStep(diagFisher, hyperOf(diagFisher, { lr: 0.5 }), makeObjective(quad, null), [
      start,
    ]);
    rows[0]!.forEach((v, j) => expect(v).toBeCloseTo(start[j]! - (0.5 * g[j]!) / d[j]!, 5));
  });

  it('ngd on gaussian-fit: μ ← μ + η(x̄ − μ), σ ← σ − (η/2)(σ − S/σ) (docs/theory.md §1), Euler and midpoint', async () => {
    const eta = 0.3;
    const dir = ([mu, s]: number[]): number[] => {
      const xbar = sample.reduce((a, v) => a + v, 0) / sample.length;
      const S = sample.reduce((a, v) => a + (v - mu!) ** 2, 0) / sample.length;
      return [-(xbar - mu!), 0.5 * (s! - S / s!)];
    };
    const euler = (p: number[]): number[] => p.map((v, j) => v - eta * dir(p)[j]!);
    const midpoint = (p: number[]): number[] => {
      const half = p.map((v, j) => v - (eta / 2) * dir(p)[j]!);
      return p.map((v, j) => v - eta * dir(half)[j]!);
    };
    for (const [integrator, ref] of [
      ['euler', euler],
      ['midpoint', midpoint],
    ] as const) {
      const opt = ngd.create(makeObjective(gauss, null), hyperOf(ngd, { lr: eta, integrator }), 1);
      const got = await runSteps(opt, [[-1, 2]], 5);
      opt.dispose();
      let want = [-1, 2];
      for (let k = 1; k <= 5; k++) {
        want = ref(want);
        want.forEach((v, j) => expect(got[k]?.[0]?.[j]).toBeCloseTo(v, 5));
      }
    }
  });

  it('singular Fisher, undamped: the minimum-norm pseudo-inverse step (tiny-net at a = 0 cannot move b)', async () => {
    const { rows, info } = await oneStep(ngd, hyperOf(ngd, { lr: 0.5 }), makeObjective(tiny, null), [
      [0, 0.6],
    ]);
    expect(info[0]!.method).toBe('pinv');
    expect(rows[0]![1]).toBeCloseTo(0.6, 6);
    expect(Math.abs(rows[0]![0]!)).toBeGreaterThan(0.05);
  });

  it('fewer output rows than parameters: λ > 0 uses Woodbury, equal to the dense damped solve', async () => {
    const X = [[1, 2, -0.5]];
    const p3 = quadraticProblem(X, [1.5]);
    const start = [0.2, -0.1, 0.4];
    const g = quadraticGrad(X, [1.5], start);
    const F = X[0]!.map((a) => X[0]!.map((b) => a * b));
    const want = solveSymmetric(F, g, { damping: 0.1 }).x;
    const hyper = hyperOf(ngd, { lr: 1, damping: { type: 'lm', value: 0.1 } });
    const { rows, info } = await oneStep(ngd, hyper, makeObjective(p3, null), [start]);
    expect(info[0]!.method).toBe('woodbury');
    rows[0]!.forEach((v, j) => expect(v).toBeCloseTo(start[j]! - want[j]!, 5));
    // Undamped: the pseudo-inverse step x r/‖x‖², which lands exactly on the constraint.
    const undamped = await oneStep(ngd, hyperOf(ngd, { lr: 1 }), makeObjective(p3, null), [start]);
    expect(undamped.info[0]!.method).toBe('pinv');
    expect(undamped.rows[0]!.reduce((s, v, j) => s + v * X[0]![j]!, 0)).toBeCloseTo(1.5, 5);
    p3.dispose();
  });

  it('trust region: the step is scaled so that ½ΔᵀFΔ = r when the natural step is longer', async () => {
    const r = 1e-3;
    const start = [-1, 2];
    const hyper = hyperOf(ngd, { lr: 0.5, damping: { type: 'trust-region', value: r } });
    const { rows, info } = await oneStep(ngd, hyper, makeObjective(gauss, null), [start]);
    expect(info[0]!.trustScale).toBeLessThan(1);
    const D = rows[0]!.map((v, j) => v - start[j]!);
    const q = 0.5 * (D[0]! ** 2 / start[1]! ** 2 + (2 * D[1]! ** 2) / start[1]! ** 2);
    expect(q).toBeCloseTo(r, 7);
  });

  it('adaptive Levenberg–Marquardt: λ shrinks by 2/3 after steps the model predicts, grows by 3/2 after bad ones', async () => {
    const obj = makeObjective(quad, null);
    for (const [lr, factor] of [
      [0.5, 2 / 3],
      [3, 1.5],
    ] as const) {
      const opt = ngd.create(
        obj,
        hyperOf(ngd, { lr, damping: { type: 'lm', value: 1e-2, adaptive: true } }),
        1,
      );
      const seen: number[] = [];
      let p = tf.tensor2d([[0.3, -0.4]]) as Tensor2D;
      for (let k = 0; k < 3; k++) {
        const next = await opt.step(p);
        p.dispose();
        p = next;
        seen.push((opt as SecondOrderOptimizer).info()[0]!.lambda);
      }
      p.dispose();
      opt.dispose();
      expect(seen[1]! / seen[0]!).toBeCloseTo(factor, 9);
      expect(seen[2]! / seen[1]!).toBeCloseTo(factor, 9);
    }
  });

  it('non-finite rows give NaN rows (no throw) and do not disturb the other rows', async () => {
    for (const def of [newton, ngd, ggn, empiricalFisher, diagFisher, hessianFree, kfac]) {
      const obj = makeObjective(tiny, null);
      const both = await oneStep(def, hyperOf(def), obj, [
        [Number.NaN, 0.5],
        [0.4, 0.6],
      ]);
      expect(both.rows[0]!.every(Number.isNaN)).toBe(true);
      expect(both.info[0]!.method).toBe('non-finite');
      const alone = await oneStep(def, hyperOf(def), obj, [[0.4, 0.6]]);
      alone.rows[0]!.forEach((v, j) => expect(both.rows[1]![j]).toBeCloseTo(v, 6));
      const inf = await oneStep(def, hyperOf(def), obj, [[Number.POSITIVE_INFINITY, 0.5]]);
      expect(inf.rows[0]!.some(Number.isNaN)).toBe(true);
    }
  });
});

describe('second-order optimizers: batching and tensor hygiene', () => {
  const quad = quadraticProblem(testX, testY);
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  afterAll(() => [quad, tiny].forEach((p) => p.dispose()));
  const variants: [string, OptimizerDef, Partial<Hyper>][] = [
    ['newton', newton, {}],
    ['ngd', ngd, {}],
    [
      'ngd midpoint + trust region',
      ngd,
      { integrator: 'midpoint', damping: { type: 'trust-region', value: 1e-3 } },
    ],
    ['ggn midpoint', ggn, { integrator: 'midpoint' }],
    ['empirical-fisher', empiricalFisher, {}],
    ['diag-fisher', diagFisher, {}],
    ['hessian-free (warm start)', hessianFree, { cgIters: 1, decay: 0.9 }],
    ['ngd adaptive LM', ngd, { damping: { type: 'lm', value: 0.1, adaptive: true } }],
  ];
  for (const [name, def, over] of variants) {
    it(`${name}: R = 3 rows together equal each row alone; no tensors leak`, async () => {
      const create = (
        obj: ReturnType<typeof makeObjective>,
        rows: number,
      ): ReturnType<OptimizerDef['create']> => def.create(obj, hyperOf(def, over), rows);
      await expectBatchedEqualsSingle(tiny, create, [
        [0.4, 0.6],
        [1.2, 1.5],
        [-0.5, 0.9],
      ]);
      await expectNoLeaks(tiny, create, [
        [0.4, 0.6],
        [1.2, 1.5],
      ]);
      await expectNoLeaks(quad, create, [[0.3, -0.4]]);
    });
  }
});
