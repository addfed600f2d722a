/**
 * The exact methods' CG path (curvature/exact-solver.ts, docs/theory.md §9.4): the
 * matrix-free products equal the dense matrices times v, and on the 2-D problems a step
 * solved by CG agrees with the dense step to 1e-6 (undamped, λI and trust region); the
 * automatic choice switches at P = 1000 and says so.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createSession } from '../experiment';
import { parseExperiment } from '../schema';
import { tf, type Tensor2D } from '../tf';
import { makeObjective, type Objective } from '../objective';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { gaussianFit, gaussianFitParams } from '../problems/gaussian-fit';
import { logistic2d } from '../problems/logistic-2d';
import { logistic2dParams, mlpParams } from '../problems/params';
import { mlp } from '../problems/mlp';
import { affineMap, diagonalMatrix } from '../reparam/linear';
import { makeRng } from '../random';
import { matVec } from '../linalg/dense';
import { fisherMatrix, empiricalFisherMatrix, ggnMatrix } from './curvature/fisher';
import { hessianMatrix } from './curvature/hessian';
import { curvatureProduct, type CurvatureKind } from './curvature/matrix-free';
import { solverNote, solvesByCg } from './curvature/exact-solver';
import { baseHyper, CG_ABOVE_P, type Hyper } from './catalog';
import type { OptimizerDef } from './optimizer';
import type { SecondOrderOptimizer } from './second-order';
import type { Problem } from '../problems/problem';
import { ngd } from './ngd';
import { ggn } from './ggn';
import { newton } from './newton';
import { empiricalFisher } from './empirical-fisher';

/** One step from `point`: the new point and the optimizer's report. */
async function oneStep(def: OptimizerDef, obj: Objective, point: number[], over: Partial<Hyper>) {
  const opt = def.create(obj, { ...baseHyper, ...def.defaults, lr: 0.5, ...over }, 1) as SecondOrderOptimizer;
  const p = tf.tensor2d([point]) as Tensor2D;
  const next = await opt.step(p);
  const out = Array.from(await next.data());
  const info = opt.info()[0];
  tf.dispose([p, next]);
  opt.dispose();
  return { out, info };
}

describe('matrix-free curvature products (docs/theory.md §9.4)', () => {
  const net = mlp(
    mlpParams.parse({ dataset: 'gaussians', classes: 3, hidden: [3], n: 24, testFraction: 0 }),
    2,
  );
  const gauss = gaussianFit(gaussianFitParams.parse({}), 0);
  afterAll(() => [net, gauss].forEach((p) => p.dispose()));

  const cases: [string, () => Problem, CurvatureKind, (o: Objective, r: Tensor2D) => Promise<number[][]>][] =
    [
      ['Fisher on a 3-class MLP', () => net, 'fisher', fisherMatrix],
      ['empirical Fisher on a 3-class MLP', () => net, 'empirical', empiricalFisherMatrix],
      ['GGN on the Gaussian fit (G ≠ F)', () => gauss, 'ggn', ggnMatrix],
      ['Hessian on the Gaussian fit', () => gauss, 'hessian', hessianMatrix],
      ['Hessian on a 3-class MLP in φ (block scaling)', () => net, 'hessian', hessianMatrix],
    ];
  for (const [label, problem, kind, dense] of cases) {
    it(`${label}: M v equals the dense matrix times v`, async () => {
      const prob = problem();
      const mapped = label.includes('φ')
        ? affineMap('d', diagonalMatrix(prob.init.map((_, i) => 1 + (i % 3))))
        : null;
      const obj = makeObjective(prob, mapped);
      const point = mapped ? mapped.inverse64([...prob.init]) : [...prob.init];
      const row = tf.tensor2d([point]) as Tensor2D;
      const M = await dense(obj, row);
      row.dispose();
      const rng = makeRng(5);
      const before = tf.memory().numTensors;
      for (let t = 0; t < 2; t++) {
        const v = point.map(() => rng.normal());
        const want = matVec(M, v);
        const got = await curvatureProduct(obj, point, kind)(v);
        const err = Math.hypot(...got.map((x, i) => x - want[i]!)) / Math.hypot(...want);
        expect(err, `${label}: relative error ${err}`).toBeLessThan(1e-4);
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('matrix-free Fisher and GGN products of a dense network (docs/theory.md §9.4)', () => {
  // Two classes (the binary head, logits [0, z]) and three (identity head), tanh hidden layers.
  const nets = [2, 3].map((classes) =>
    mlp(mlpParams.parse({ dataset: 'gaussians', classes, hidden: [4, 3], n: 30, testFraction: 0 }), 3),
  );
  afterAll(() => nets.forEach((p) => p.dispose()));
  /** The same problem without its hand-derived path: another model function object. */
  const autodiffOnly = (p: Problem): Problem => ({ ...p, model: (t, x) => p.model(t, x) });

  for (const [i, classes] of [2, 3].entries())
    for (const kind of ['fisher', 'ggn'] as const)
      it(`${classes} classes, ${kind}: the tangent pass + backward equals autodiff's double backward and the dense matrix`, async () => {
        const net = nets[i] as Problem;
        const fast = makeObjective(net, null);
        const slow = makeObjective(autodiffOnly(net), null);
        const row = tf.tensor2d([[...net.init]]) as Tensor2D;
        const M = await (kind === 'fisher' ? fisherMatrix : ggnMatrix)(fast, row);
        row.dispose();
        const rng = makeRng(11 + i);
        const before = tf.memory().numTensors;
        const v = net.init.map(() => rng.normal());
        const want = matVec(M, v);
        const got = await curvatureProduct(fast, net.init, kind)(v);
        const auto = await curvatureProduct(slow, net.init, kind)(v);
        const rel = (a: number[], b: number[]) =>
          Math.hypot(...a.map((x, j) => x - b[j]!)) / Math.hypot(...b);
        expect(rel(got, auto), 'fast vs autodiff').toBeLessThan(1e-5);
        expect(rel(got, want), 'fast vs dense').toBeLessThan(1e-4);
        expect(tf.memory().numTensors).toBe(before);
      });

  it('the autodiff product runs the same kernels for 40 or 400 examples (no loop over the examples)', async () => {
    const count = async (n: number): Promise<number> => {
      const p = mlp(
        mlpParams.parse({ dataset: 'gaussians', classes: 3, hidden: [3], n, testFraction: 0 }),
        2,
      );
      try {
        const obj = makeObjective(autodiffOnly(p), null);
        const v = p.init.map((_, j) => Math.sin(j));
        const prof = await tf.profile(() => curvatureProduct(obj, p.init, 'fisher')(v));
        return prof.kernels.length;
      } finally {
        p.dispose();
      }
    };
    const [small, large] = [await count(40), await count(400)];
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
  });
});

describe('exact step by CG agrees with the dense step on 2-D problems (docs/theory.md §9.4)', () => {
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  const gauss = gaussianFit(gaussianFitParams.parse({}), 0);
  const logi = logistic2d(logistic2dParams.parse({}), 0);
  afterAll(() => [tiny, gauss, logi].forEach((p) => p.dispose()));

  const rows: [string, OptimizerDef, () => Problem, number[], Partial<Hyper>][] = [
    ['ngd, tiny-net', ngd, () => tiny, [0.4, 0.6], {}],
    ['ngd + λI, tiny-net', ngd, () => tiny, [0.4, 0.6], { damping: { type: 'lm', value: 1e-2 } }],
    [
      'ngd + trust region, logistic-2d',
      ngd,
      () => logi,
      [...logi.init],
      { damping: { type: 'trust-region', value: 1e-3 } },
    ],
    ['ngd midpoint, logistic-2d', ngd, () => logi, [...logi.init], { integrator: 'midpoint' }],
    ['ggn, gaussian-fit (G ≠ F, positive definite here)', ggn, () => gauss, [1, 0.5], {}],
    ['empirical-fisher, gaussian-fit', empiricalFisher, () => gauss, [-1, 2], {}],
    ['newton, logistic-2d (H positive definite)', newton, () => logi, [...logi.init], {}],
    [
      'newton + adaptive λI, tiny-net',
      newton,
      () => tiny,
      [0.4, 0.6],
      { damping: { type: 'lm', value: 1, adaptive: true } },
    ],
  ];
  for (const [label, def, problem, start, over] of rows) {
    it(`${label}: the CG step equals the dense step to 1e-6`, async () => {
      const obj = makeObjective(problem(), null);
      const dense = await oneStep(def, obj, start, { ...over, solver: 'dense' });
      const cg = await oneStep(def, obj, start, { ...over, solver: 'cg' });
      expect(cg.info?.method).toBe('cg');
      expect(cg.info?.cg?.iters).toBeLessThanOrEqual(2);
      expect(cg.info?.cg?.residual).toBeLessThan(1e-6);
      expect(dense.info?.method).not.toBe('cg');
      const diff =
        Math.hypot(...cg.out.map((v, i) => v - dense.out[i]!)) / Math.max(1, Math.hypot(...dense.out));
      expect(diff, `${label}: ${diff}`).toBeLessThan(1e-6);
    });
  }

  it('truncated: cgIters = 1 runs one iteration and differs from the exact step', async () => {
    const obj = makeObjective(tiny, null);
    const one = await oneStep(ngd, obj, [0.4, 0.6], { solver: 'cg', cgIters: 1 });
    const exact = await oneStep(ngd, obj, [0.4, 0.6], { solver: 'dense' });
    expect(one.info?.cg?.iters).toBe(1);
    expect(one.info?.cg?.residual).toBeGreaterThan(1e-3);
    expect(Math.hypot(...one.out.map((v, i) => v - exact.out[i]!))).toBeGreaterThan(1e-3);
  });
});

describe('the automatic solver choice', () => {
  it('is CG above P = 1000, dense at or below, and the option overrides it', () => {
    expect(CG_ABOVE_P).toBe(1000);
    expect(solvesByCg({ solver: 'auto' }, 1000)).toBe(false);
    expect(solvesByCg({ solver: 'auto' }, 1001)).toBe(true);
    expect(solvesByCg({ solver: 'dense' }, 2410)).toBe(false);
    expect(solvesByCg({ solver: 'cg' }, 2)).toBe(true);
  });

  it('says which solver a run uses', () => {
    expect(solverNote('ngd', { solver: 'auto', cgIters: 0 }, 2410)).toBe(
      'ngd: exact by CG (P = 2410 > 1000), to relative residual 1e-6',
    );
    expect(solverNote('ngd', { solver: 'auto', cgIters: 0 }, 337)).toBe('ngd: dense 337×337 solve');
    expect(solverNote('ngd', { solver: 'cg', cgIters: 5 }, 337)).toBe('ngd: truncated CG, 5 iterations');
    expect(solverNote('ngd', { solver: 'cg', cgIters: 0, cgTol: 1e-4 }, 337)).toBe(
      'ngd: exact by CG, to relative residual 1e-4',
    );
    expect(solverNote('ggn', { solver: 'auto', cgIters: 0, cgTol: 2.5e-5 }, 2410)).toBe(
      'ggn: exact by CG (P = 2410 > 1000), to relative residual 2.5e-5',
    );
  });

  it('takes the residual from the entry (cgTol), within 1e-8..1e-1', () => {
    const entry = (cgTol: number) => ({
      version: 1,
      problem: { id: 'tiny-net' },
      optimizers: [{ id: 'ngd', solver: 'cg', cgTol }],
      steps: 3,
    });
    expect(parseExperiment(entry(1e-4)).ok).toBe(true);
    for (const bad of [0, 1e-9, 0.5]) {
      const parsed = parseExperiment(entry(bad));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/cgTol/);
    }
  });
});

describe('a session records each CG solve', () => {
  it('a run of an exact method by CG carries its latest step’s iterations and residual; a dense or first-order run none', async () => {
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'tiny-net' },
      optimizers: [
        { id: 'ngd', lr: 0.05, solver: 'cg' },
        { id: 'ngd', lr: 0.05 },
        { id: 'gd', lr: 0.05 },
      ],
      steps: 3,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const session = createSession(parsed.experiment);
    try {
      while (!session.done) if ((await session.advance(3)) === 0) break;
      const [cg, dense, gd] = session.runs;
      expect(cg?.cg?.iters).toBeGreaterThanOrEqual(1);
      expect(cg?.cg?.iters).toBeLessThanOrEqual(2);
      expect(cg?.cg?.residual).toBeLessThanOrEqual(1e-6);
      expect(dense?.cg).toBeUndefined();
      expect(gd?.cg).toBeUndefined();
    } finally {
      session.dispose();
    }
  });

  it('a looser cgTol stops sooner, at a residual below it; the default reaches 1e-6', async () => {
    // The 2-16-16-1 MLP (P = 337), damped: the same steps with the solve stopped at 1e-2 and at 1e-6.
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'mlp' },
      optimizers: [
        { id: 'ngd', lr: 0.5, solver: 'cg', cgTol: 1e-2, damping: { type: 'lm', value: 1e-2 } },
        { id: 'ngd', lr: 0.5, solver: 'cg', damping: { type: 'lm', value: 1e-2 } },
      ],
      steps: 2,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const session = createSession(parsed.experiment);
    try {
      while (!session.done) if ((await session.advance(2)) === 0) break;
      const [loose, tight] = session.runs;
      expect(loose?.cg?.residual).toBeLessThanOrEqual(1e-2);
      expect(loose?.cg?.residual).toBeGreaterThan(1e-6);
      expect(tight?.cg?.residual).toBeLessThanOrEqual(1e-6);
      expect(loose?.cg?.iters).toBeLessThan(tight?.cg?.iters ?? 0);
    } finally {
      session.dispose();
    }
  });
});

describe('an indefinite curvature on the CG path', () => {
  const gauss = gaussianFit(gaussianFitParams.parse({}), 0);
  afterAll(() => gauss.dispose());

  it('stops CG at the negative-curvature direction with a finite step, and reports the residual it reached', async () => {
    // At θ₀ = (−1, 2) the GGN of the (μ, σ) likelihood is indefinite: the dense path takes
    // the exact indefinite step, CG stops where pᵀGp ≤ 0 (docs/theory.md §9.4).
    const obj = makeObjective(gauss, null);
    const cg = await oneStep(ggn, obj, [-1, 2], { solver: 'cg' });
    expect(cg.out.every(Number.isFinite)).toBe(true);
    expect(cg.info?.method).toBe('cg');
    expect(cg.info?.cg?.residual).toBeGreaterThan(1e-6);
  });
});
