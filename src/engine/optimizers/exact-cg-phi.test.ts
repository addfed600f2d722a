/**
 * A φ-run's matrix-free Fisher, GGN and empirical-Fisher products on a dense network
 * through θ's fast product (curvature/matrix-free.ts): with θ = f(φ) and J_f = ∂f/∂φ,
 * M_φ v = J_fᵀ M_θ(f(φ)) (J_f v) for every map, linear or not (docs/theory.md §1, §9.4).
 * The pulled-back product equals autodiff's double backward through the map and the
 * network; a CG step through it equals the dense float64 step to its residual; the
 * network's own fast path is what runs; nothing leaks.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { gradient, makeObjective } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { digits } from '../problems/digits';
import { digitsParams } from '../problems/params';
import type { DenseProblem } from '../problems/dense-grad';
import type { Problem } from '../problems/problem';
import { createReparam, type ReparamEntry } from '../reparam';
import type { Reparam } from '../reparam/reparam';
import { makeRng } from '../random';
import { dot, matTVec, matVec, symmetrize, type Vec } from '../linalg/dense';
import { fisherMatrix } from './curvature/fisher';
import { solveSymmetric } from '../linalg/solve';
import { curvatureProduct, heldCurvatureProduct, type CurvatureKind } from './curvature/matrix-free';
import { FACTOR_MAX_ENTRIES } from './curvature/exact-solver';
import { plain } from './curvature/kfac-testkit';
import { baseHyper, EXACT_CG_TOL, type Hyper } from './catalog';
import type { SecondOrderOptimizer } from './second-order';
import { ngd } from './ngd';
import { expectNoLeak, leakRun } from '../memory-testkit';

const norm = (v: readonly number[]): number => Math.sqrt(dot(v, v));
const minus = (a: readonly number[], b: readonly number[]): Vec => a.map((x, i) => x - (b[i] as number));
const rel = (a: readonly number[], b: readonly number[]): number => norm(minus(a, b)) / norm(b);

/** Small networks with every output the fast path has: softmax (3 classes; 2, the binary head), gaussian. */
const problems: [string, () => Problem][] = [
  [
    'tanh, softmax 3 classes',
    () =>
      mlp(mlpParams.parse({ dataset: 'gaussians', classes: 3, hidden: [4, 3], n: 30, testFraction: 0 }), 3),
  ],
  [
    'relu, softmax 2 classes (binary head)',
    () =>
      mlp(
        mlpParams.parse({ dataset: 'circles', activation: 'relu', hidden: [5], n: 30, testFraction: 0 }),
        4,
      ),
  ],
  [
    'tanh, gaussian regression',
    () => mlp(mlpParams.parse({ dataset: 'sine', hidden: [4], n: 30, testFraction: 0 }), 5),
  ],
];

/** Linear maps given block by block, and two nonlinear maps (one with Q > P). */
const maps: ReparamEntry[] = [
  { id: 'layer-scale', cond: 4 },
  { id: 'relu-rescale', spread: 3 },
  { id: 'weight-norm' },
  { id: 'sinh' },
];

const kinds: CurvatureKind[] = ['fisher', 'ggn', 'empirical'];

type Watched = 'linearize' | 'outputJacobianProduct' | 'perExampleGradients';

/** A spy on one of the fast path's per-row methods that records each call's row [1, P]. */
function watch(dense: DenseProblem['dense'], name: Watched) {
  const rows: number[][] = [];
  const original = dense[name].bind(dense) as (row: Tensor2D, ...rest: unknown[]) => unknown;
  const spy = vi.spyOn(dense, name).mockImplementation(((row: Tensor2D, ...rest: unknown[]) => {
    rows.push(Array.from(row.dataSync()));
    return original(row, ...rest);
  }) as never);
  return { spy, rows };
}

describe('φ-run products through θ’s fast product equal autodiff’s (docs/theory.md §9.4)', () => {
  for (const [label, make] of problems)
    describe(label, () => {
      const prob = make();
      afterAll(() => prob.dispose());
      for (const entry of maps)
        it(`${entry.id}: J_fᵀ M_θ J_f v equals the double-backward product (fisher, ggn, empirical); held = per call; θ’s fast path runs`, async () => {
          const map = createReparam(entry, prob.P, 7, prob.layers);
          const fast = makeObjective(prob, map);
          const slow = makeObjective(plain(prob), map);
          const point = map.inverse64([...prob.init]);
          const rng = makeRng(13);
          const dense = (prob as DenseProblem).dense;
          const before = tf.memory().numTensors;
          for (const kind of kinds) {
            const v = point.map(() => rng.normal());
            const auto = await curvatureProduct(slow, point, kind)(v);
            const spies = (['linearize', 'outputJacobianProduct', 'perExampleGradients'] as const).map((n) =>
              watch(dense, n),
            );
            const got = await curvatureProduct(fast, point, kind)(v);
            const held = heldCurvatureProduct(fast, point, kind);
            const heldOut = [await held.apply(v), await held.apply(v)];
            held.dispose();
            // θ's fast path ran, at θ = f(φ): the per-call product once, the held one's
            // forward pass (fisher, ggn) or per-example gradients (empirical) once for its two products.
            const calls = spies.map((s) => s.spy.mock.calls.length);
            spies.forEach((s) => s.spy.mockRestore());
            expect(calls, kind).toEqual(kind === 'empirical' ? [0, 0, 2] : [1, 1, 0]);
            const theta = map.forward64(point);
            for (const t of spies.flatMap((s) => s.rows)) expect(rel(t, theta)).toBeLessThan(1e-6);
            const err = rel(got, auto);
            expect(err, `${kind}: relative difference ${err}`).toBeLessThan(1e-5);
            expect(heldOut[0]).toEqual(got);
            expect(heldOut[1]).toEqual(got);
          }
          expect(tf.memory().numTensors).toBe(before);
        });
    });

  it('the double-backward path stays for the Hessian (it does not pull back) and without the fast path', async () => {
    const prob = (problems[0] as [string, () => Problem])[1]();
    const map = createReparam({ id: 'layer-scale' }, prob.P, 7, prob.layers);
    const dense = (prob as DenseProblem).dense;
    const spies = [
      vi.spyOn(dense, 'linearize'),
      vi.spyOn(dense, 'outputJacobianProduct'),
      vi.spyOn(dense, 'perExampleGradients'),
    ];
    const point = map.inverse64([...prob.init]);
    const v = point.map((_, i) => Math.cos(i));
    await curvatureProduct(makeObjective(prob, map), point, 'hessian')(v);
    for (const kind of kinds) await curvatureProduct(makeObjective(plain(prob), map), point, kind)(v);
    expect(spies.map((s) => s.mock.calls.length)).toEqual([0, 0, 0]);
    spies.forEach((s) => s.mockRestore());
    prob.dispose();
  });
});

describe('φ-run steps by CG on digits with the pulled-back product (docs/theory.md §9.4)', () => {
  // hidden [4]: P = 310, N·C·P = 4.65 M > FACTOR_MAX_ENTRIES, so CG multiplies by the
  // backend's products (matrix-free.ts), as on the default digits network.
  const prob = digits(digitsParams.parse({ hidden: [4] }), 0);
  afterAll(() => prob.dispose());
  const lambda = 1e-2;
  const hyper: Hyper = {
    ...baseHyper,
    ...ngd.defaults,
    lr: 0.5,
    solver: 'cg',
    damping: { type: 'lm', value: lambda },
  };

  it('uses the backend products on this problem', () => {
    expect(prob.N * prob.C * prob.P).toBeGreaterThan(FACTOR_MAX_ENTRIES);
  });

  for (const entry of [{ id: 'layer-scale' }, { id: 'weight-norm' }] as ReparamEntry[])
    it(`${entry.id}: a damped ngd step by CG is the dense float64 step to its residual; the held forward pass is θ’s`, async () => {
      const map: Reparam = createReparam(entry, prob.P, 0, prob.layers);
      const obj = makeObjective(prob, map);
      const phi = map.inverse64([...prob.init]);
      const before = tf.memory().numTensors;
      const dense = (prob as DenseProblem).dense;
      const lin = vi.spyOn(dense, 'linearize');
      const opt = ngd.create(obj, hyper, 1) as SecondOrderOptimizer;
      const p = tf.tensor2d([phi]) as Tensor2D;
      const next = await opt.step(p);
      const cgInfo = opt.info()[0]?.cg;
      const delta = (await opt.exportState()).entries.previous?.rows[0] as Vec;
      tf.dispose([p, next]);
      opt.dispose();
      expect(lin).toHaveBeenCalledTimes(1); // one forward pass of θ for the whole solve
      lin.mockRestore();
      expect(cgInfo?.iters).toBeGreaterThan(0);
      // The reference in float64: F_φ = J_fᵀ F_θ J_f from θ's Fisher at f(φ) (its factor)
      // and the map's own Jacobian (jacobian64, hand-derived), the φ-gradient by autodiff.
      const thetaRow = tf.tensor2d([map.forward64(phi)]) as Tensor2D;
      const Ftheta = await fisherMatrix(makeObjective(prob, null), thetaRow);
      const J = map.jacobian64(phi);
      const FJ = J[0]!.map((_, q) =>
        matVec(
          Ftheta,
          J.map((r) => r[q]!),
        ),
      );
      const F = symmetrize(FJ.map((col) => matTVec(J, col, map.Q)));
      const row = tf.tensor2d([phi]) as Tensor2D;
      const gT = tf.tidy(() => gradient(obj, row));
      const g = Array.from(await gT.data());
      tf.dispose([row, gT, thetaRow]);
      // (F + λI) δ = g: F is PSD, so ‖δ − δ*‖ ≤ ‖r‖/λ for the exact solution δ*, and r is
      // the float64 residual of the CG direction against the dense matrix.
      const r = minus(
        g,
        matVec(F, delta).map((y, i) => y + lambda * (delta[i] as number)),
      );
      const relRes = norm(r) / norm(g);
      expect(relRes, `true relative residual ${relRes}`).toBeLessThan(10 * EXACT_CG_TOL);
      // The exact solution in float64 (Cholesky of F + λI).
      const exact = solveSymmetric(F, g, { damping: lambda });
      expect(exact.method).toBe('cholesky');
      expect(norm(minus(delta, exact.x))).toBeLessThanOrEqual(
        (norm(r) / lambda) * 1.0001 + 1e-9 * norm(exact.x),
      );
      expect(tf.memory().numTensors).toBe(before);
    });

  it('a few φ-run steps leak no tensor (memory-testkit)', async () => {
    expectNoLeak(
      await leakRun(
        'ngd',
        3,
        { id: 'digits', hidden: [4] },
        0.5,
        undefined,
        { solver: 'cg', damping: { type: 'lm', value: lambda } },
        { id: 'layer-scale' },
      ),
    );
  });
});
