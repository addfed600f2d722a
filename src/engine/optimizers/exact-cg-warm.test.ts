/**
 * The exact CG path's two savings (curvature/exact-solver.ts, docs/theory.md §9.4): the
 * warm start from the previous direction (only when damped, so the solution is unique)
 * and a dense network's forward pass held across a solve's products. Neither changes
 * what is solved: the warm-started step satisfies the same residual as the cold one, so
 * the two differ by at most (r_warm + r_cold)·‖g‖/λ; the held product equals the
 * per-call product; a restored run continues bit for bit; nothing leaks.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { gradient, makeObjective } from '../objective';
import { digits } from '../problems/digits';
import type { DenseProblem } from '../problems/dense-grad';
import { digitsParams } from '../problems/params';
import { dot, matVec, type Vec } from '../linalg/dense';
import { makeRng } from '../random';
import { asyncCgMetric } from './curvature/metric';
import { curvatureProduct, heldCurvatureProduct } from './curvature/matrix-free';
import { FACTOR_MAX_ENTRIES } from './curvature/exact-solver';
import { fisherFactor } from './curvature/fisher';
import { factorProduct } from './curvature/products';
import { baseHyper, EXACT_CG_TOL, type Hyper } from './catalog';
import type { SecondOrderOptimizer } from './second-order';
import { ngd } from './ngd';

const norm = (v: readonly number[]): number => Math.sqrt(dot(v, v));
const minus = (a: readonly number[], b: readonly number[]): Vec => a.map((x, i) => x - (b[i] as number));

describe('asyncCgMetric warm start', () => {
  // A small SPD matrix with a spread spectrum: Q diag(d) Qᵀ from a random orthogonal-ish basis.
  const rng = makeRng(3);
  const n = 12;
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const M = B.map((_, i) => B.map((__, j) => dot(B[i] as Vec, B[j] as Vec) / n));
  const apply = async (v: Vec): Promise<Vec> => matVec(M, v);
  const b = Array.from({ length: n }, () => rng.normal());

  it('damped: starts from the warm point (the exact solution takes no iteration), same residual rule', async () => {
    const lambda = 1e-2;
    const cold = await asyncCgMetric(n, apply, n, EXACT_CG_TOL).solve(b, lambda);
    expect(cold.cg?.iters).toBeGreaterThan(0);
    const exact = await asyncCgMetric(n, apply, 10 * n, 1e-14).solve(b, lambda);
    const atSolution = await asyncCgMetric(n, apply, n, EXACT_CG_TOL, exact.x).solve(b, lambda);
    expect(atSolution.cg?.iters).toBe(0);
    // From a point off the solution: the same residual bound, so within (r_w + r_c)‖b‖/λ of cold.
    const off = exact.x.map((x, i) => x + 0.3 * Math.sin(i));
    const warm = await asyncCgMetric(n, apply, n, EXACT_CG_TOL, off).solve(b, lambda);
    const res = (x: Vec) =>
      norm(
        minus(
          b,
          (matVec(M, x) as Vec).map((y, i) => y + lambda * (x[i] as number)),
        ),
      );
    expect(res(warm.x)).toBeLessThanOrEqual(EXACT_CG_TOL * norm(b) * 1.0001);
    expect(norm(minus(warm.x, cold.x))).toBeLessThanOrEqual(((res(warm.x) + res(cold.x)) / lambda) * 1.0001);
  });

  it('undamped: the warm point is not used (CG from zero finds the minimum-norm solution)', async () => {
    const off = b.map((x) => 5 * x);
    const cold = await asyncCgMetric(n, apply, n, EXACT_CG_TOL).solve(b, 0);
    const warm = await asyncCgMetric(n, apply, n, EXACT_CG_TOL, off).solve(b, 0);
    expect(warm.x).toEqual(cold.x);
    expect(warm.cg).toEqual(cold.cg);
  });
});

describe('ngd by CG on digits (backend products, held forward pass)', () => {
  // hidden [4]: P = 310 and N·C·P = 4.65 M, past FACTOR_MAX_ENTRIES, so the products are the
  // backend's (matrix-free.ts) as on the default digits network.
  const prob = digits(digitsParams.parse({ hidden: [4] }), 0);
  const obj = makeObjective(prob, null);
  const lambda = 1e-2;
  const hyper0: Hyper = {
    ...baseHyper,
    ...ngd.defaults,
    lr: 0.5,
    solver: 'cg',
    damping: { type: 'lm', value: lambda },
  };
  afterAll(() => prob.dispose());

  it('uses the backend products on this problem', () => {
    expect(prob.N * prob.C * prob.P).toBeGreaterThan(FACTOR_MAX_ENTRIES);
  });

  it('the held product (the CPU kernel, fisher-product.ts) equals the per-call product to float32 round-off, nearer the float64 one; no tensor left', async () => {
    const point = [...prob.init];
    const rng = makeRng(7);
    const row = tf.tensor2d([point]) as Tensor2D;
    const exact = factorProduct(await fisherFactor(obj, row)); // float64 sums of U's float32 rows
    row.dispose();
    const before = tf.memory().numTensors;
    const held = heldCurvatureProduct(obj, point, 'fisher');
    const gap = (a: Vec, b: Vec): number =>
      Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)))) / Math.max(...b.map(Math.abs));
    for (let t = 0; t < 3; t++) {
      const v = point.map(() => rng.normal());
      const want = exact(v);
      const got = await held.apply(v);
      const perCall = await curvatureProduct(obj, point, 'fisher')(v);
      expect(gap(got, want)).toBeLessThan(2e-7);
      expect(gap(perCall, want)).toBeLessThan(2e-6);
    }
    held.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the held empirical-Fisher product equals the per-call product, takes the per-example gradients once, and frees them', async () => {
    const point = [...prob.init];
    const rng = makeRng(9);
    const vs = [0, 1, 2].map(() => point.map(() => rng.normal()));
    const perCall = [];
    for (const v of vs) perCall.push(await curvatureProduct(obj, point, 'empirical')(v));
    const before = tf.memory().numTensors;
    const spy = vi.spyOn((prob as DenseProblem).dense, 'perExampleGradients');
    const held = heldCurvatureProduct(obj, point, 'empirical');
    for (const [t, v] of vs.entries()) expect(await held.apply(v)).toEqual(perCall[t]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    held.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a held product reads the forward pass once: no tensor kernel after its first product', async () => {
    const point = [...prob.init];
    const v = point.map((_, i) => Math.sin(i));
    const held = heldCurvatureProduct(obj, point, 'fisher');
    const first = (await tf.profile(() => held.apply(v))).kernels.map((k) => k.name);
    const later = (await tf.profile(() => held.apply(v))).kernels.map((k) => k.name);
    held.dispose();
    expect(first).toContain('Softmax');
    expect(later).toEqual([]);
  });

  /** Steps from `start`: each step's parameters, the row's gradient there, and its CG reports. */
  async function run(opt: SecondOrderOptimizer, start: number[], steps: number) {
    let p = tf.tensor2d([start]) as Tensor2D;
    const points: number[][] = [start];
    for (let s = 0; s < steps; s++) {
      const next = await opt.step(p);
      p.dispose();
      p = next;
      points.push(Array.from(await p.data()));
    }
    p.dispose();
    return points;
  }

  for (const integrator of ['euler', 'midpoint'] as const) {
    it(`${integrator}: a warm-started step is the cold step to the solver residual; a restored run continues bit for bit`, async () => {
      const before = tf.memory().numTensors;
      const hyper: Hyper = { ...hyper0, integrator };
      const A = ngd.create(obj, hyper, 1) as SecondOrderOptimizer;
      const path = await run(A, [...prob.init], 1);
      const at = path[1] as number[];
      const state = await A.exportState();
      expect(state.entries.previous?.rows[0]).not.toBeNull();
      // Warm: A's second step (midpoint: both solves warm). Cold: a fresh optimizer (no
      // previous direction) at the same point.
      const [, warmNext] = await run(A, at, 1);
      const cold = ngd.create(obj, hyper, 1) as SecondOrderOptimizer;
      const [, coldNext] = await run(cold, at, 1);
      // The solved directions δ, in float64, from the optimizers' state.
      const direction = async (o: SecondOrderOptimizer): Promise<Vec> =>
        (await o.exportState()).entries.previous?.rows[0] as Vec;
      const [dWarm, dCold] = [await direction(A), await direction(cold)];
      expect(dWarm).not.toEqual(dCold); // the warm start was taken
      if (integrator === 'midpoint') {
        // The last solve is at each run's own half point (warm and cold differ in it by the
        // first solve's gap), so compare the steps: both solves agree to the residual, and
        // the steps to well within 1e-3 of their length.
        const step = minus(coldNext as Vec, at);
        expect(norm(minus(warmNext as Vec, coldNext as Vec))).toBeLessThan(1e-3 * norm(step));
      } else {
        // Both solve (F + λI)δ = g: their true residuals (through the same product) bound the gap.
        const row = tf.tensor2d([at]) as Tensor2D;
        const gT = tf.tidy(() => gradient(obj, row));
        const g = Array.from(await gT.data());
        tf.dispose([row, gT]);
        const held = heldCurvatureProduct(obj, at, 'fisher');
        const residual = async (d: Vec) =>
          norm(
            minus(
              g,
              (await held.apply(d)).map((y, i) => y + lambda * (d[i] as number)),
            ),
          );
        const [rWarm, rCold] = [await residual(dWarm), await residual(dCold)];
        held.dispose();
        // float32 products: the true residual sits a few times above the recursive 1e-6.
        expect(rWarm / norm(g)).toBeLessThan(10 * EXACT_CG_TOL);
        expect(rCold / norm(g)).toBeLessThan(10 * EXACT_CG_TOL);
        expect(norm(minus(dWarm, dCold))).toBeLessThanOrEqual(((rWarm + rCold) / lambda) * 1.0001);
      }
      // Restore A's state after one step into a fresh optimizer: it continues as A did.
      const B = ngd.create(obj, hyper, 1) as SecondOrderOptimizer;
      B.importState(state);
      const [, restoredNext] = await run(B, at, 1);
      expect(restoredNext).toEqual(warmNext);
      [A, B, cold].forEach((o) => o.dispose());
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
