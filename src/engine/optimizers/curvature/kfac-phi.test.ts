/**
 * K-FAC in φ through a layer-wise map (`Reparam.layerFactors`: layer-scale, relu-rescale):
 * the factors B̄ᵀAB̄ and CGCᵀ of θ's fast path at f(φ) against the general path, K-FAC's
 * recipe on the φ-objective's Fisher factor by autodiff through the model and the map.
 */
import { describe, expect, it, vi } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { gradient, makeObjective } from '../../objective';
import { makeRng } from '../../random';
import type { DenseProblem } from '../../problems/dense-grad';
import { mlp, mlpParams } from '../../problems/mlp';
import { digits } from '../../problems/digits';
import { digitsParams } from '../../problems/params';
import type { Problem } from '../../problems/problem';
import { createReparam } from '../../reparam';
import { layerMap } from '../../reparam/blockwise';
import type { Reparam } from '../../reparam/reparam';
import { baseHyper } from '../optimizer';
import { setupNode } from '../../setup-node';
import { createSession } from '../../experiment';
import { parseExperiment } from '../../schema';
import { kfac } from '../kfac';
import { fisherFactor } from './fisher';
import { gradientAndKfacFactorsAt, hasFusedKfac, kfacFactors, kfacFactorsAt, layerBlocks } from './kfac';
import { maxRel, plain } from './kfac-testkit';

const maps = [
  { id: 'layer-scale', cond: 4 },
  { id: 'relu-rescale', spread: 3 },
] as const;

const problems: [string, () => Problem][] = [
  ['tanh spiral [5, 4]', () => mlp(mlpParams.parse({ hidden: [5, 4], n: 40 }), 4)],
  [
    'relu circles [6]',
    () => mlp(mlpParams.parse({ hidden: [6], activation: 'relu', n: 40, dataset: 'circles' }), 4),
  ],
  [
    'softmax gaussians, 3 classes',
    () =>
      mlp(
        mlpParams.parse({ hidden: [4], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 }),
        4,
      ),
  ],
  ['digits [4], 300 images', () => digits(digitsParams.parse({ hidden: [4], nTest: 1497 }), 2)],
];

describe('K-FAC factors in φ through a layer-wise map = K-FAC on the φ Fisher factor by autodiff', () => {
  for (const [name, make] of problems) {
    for (const entry of maps) {
      it(`${name}, ${entry.id}: A_φ, G_φ and the fused gradient agree to float32 round-off; nothing leaks`, async () => {
        const problem = make();
        const map = createReparam(entry, problem.P, 5, problem.layers);
        expect(map.layerFactors?.length).toBe(problem.layers?.length);
        const obj = makeObjective(problem, map);
        const blocks = layerBlocks(problem.layers, problem.P);
        expect(hasFusedKfac(obj, blocks)).toBe(true);
        const rng = makeRng(11);
        const phi0 = map.inverse64(problem.init.map((v) => v + rng.normal(0, 0.3)));
        const row = tf.tensor2d([phi0]) as Tensor2D;
        const before = tf.memory().numTensors;
        const fast = await kfacFactorsAt(obj, row, blocks);
        const both = await gradientAndKfacFactorsAt(obj, row, blocks);
        expect(tf.memory().numTensors).toBe(before);
        // The reference: per-example Jacobians of the φ-objective by autodiff through f.
        const auto = makeObjective(plain(problem), map);
        expect(hasFusedKfac(auto, blocks)).toBe(false);
        const slow = kfacFactors(await fisherFactor(auto, row), problem.C, blocks);
        // One hidden layer under a softmax over 3+ classes: the fused step makes the first G
        // by hidden-fisher.ts's kernel (float64 totals), the tensor path by a float32 Gram.
        const kernelG = problem.layers?.length === 2 && problem.C > 2;
        fast.forEach((f, l) => {
          expect(maxRel(f.A, slow[l]?.A ?? []), `A of layer ${l}`).toBeLessThan(2e-5);
          expect(maxRel(f.G, slow[l]?.G ?? []), `G of layer ${l}`).toBeLessThan(2e-5);
          expect(maxRel(both?.factors[l]?.A ?? [], f.A)).toBe(0);
          const fusedG = both?.factors[l]?.G ?? [];
          if (kernelG && l === 0) expect(maxRel(fusedG, slow[l]?.G ?? [])).toBeLessThan(2e-5);
          else expect(maxRel(fusedG, f.G)).toBe(0);
        });
        const gT = gradient(auto, row);
        const g = Array.from(await gT.data());
        gT.dispose();
        expect(maxRel([both?.g ?? []], [g]), 'gradient').toBeLessThan(2e-5);
        row.dispose();
        problem.dispose();
      });
    }
  }

  it('the transform is not the identity: φ-factors differ from θ-factors at f(φ)', async () => {
    const problem = mlp(mlpParams.parse({ hidden: [5, 4], n: 40 }), 4);
    const map = createReparam({ id: 'layer-scale', cond: 4 }, problem.P, 5, problem.layers);
    const blocks = layerBlocks(problem.layers, problem.P);
    const phi = tf.tensor2d([map.inverse64([...problem.init])]) as Tensor2D;
    const theta = tf.tensor2d([[...problem.init]]) as Tensor2D;
    const inPhi = await kfacFactorsAt(makeObjective(problem, map), phi, blocks);
    const inTheta = await kfacFactorsAt(makeObjective(problem, null), theta, blocks);
    expect(maxRel(inPhi[0]?.A ?? [], inTheta[0]?.A ?? [])).toBeGreaterThan(0.05);
    expect(maxRel(inPhi[0]?.G ?? [], inTheta[0]?.G ?? [])).toBeGreaterThan(0.05);
    tf.dispose([phi, theta]);
    problem.dispose();
  });

  it('examples with all-zero sensitivities drop out of A_φ as on the general path', async () => {
    // 3 classes, 2 inputs, 5 tanh units: huge last-layer weights make some softmax outputs one-hot.
    const problem = mlp(mlpParams.parse({ hidden: [5], n: 60, dataset: 'gaussians', classes: 3 }), 4);
    const map = createReparam({ id: 'layer-scale', cond: 4 }, problem.P, 5, problem.layers);
    const theta = problem.init.map((v, i) => (i >= 15 ? v * 3000 : v));
    const row = tf.tensor2d([map.inverse64(theta)]) as Tensor2D;
    const blocks = layerBlocks(problem.layers, problem.P);
    const fastPath = (problem as DenseProblem).dense;
    const mask = tf.tidy(() => fastPath.kfacFactors(tf.tensor2d([theta])).inputMask).dataSync();
    expect(mask.includes(0)).toBe(true);
    const before = tf.memory().numTensors;
    const fast = await kfacFactorsAt(makeObjective(problem, map), row, blocks);
    expect(tf.memory().numTensors).toBe(before);
    const slow = kfacFactors(await fisherFactor(makeObjective(plain(problem), map), row), problem.C, blocks);
    fast.forEach((f, l) => {
      expect(maxRel(f.A, slow[l]?.A ?? []), `A of layer ${l}`).toBeLessThan(2e-5);
      expect(maxRel(f.G, slow[l]?.G ?? []), `G of layer ${l}`).toBeLessThan(2e-5);
    });
    row.dispose();
    problem.dispose();
  });
});

describe('which maps declare their per-layer factors', () => {
  const problem = mlp(mlpParams.parse({ hidden: [5, 4], n: 20, activation: 'relu' }), 4);

  it('layer-scale and relu-rescale: f from the declared B̄, C equals the map; weight-norm and scale declare none', () => {
    const rng = makeRng(4);
    const phi = problem.init.map(() => rng.normal());
    for (const entry of maps) {
      const map = createReparam(entry, problem.P, 3, problem.layers);
      const factors = map.layerFactors ?? [];
      expect(factors.length).toBe(3);
      const rebuilt = layerMap('check', problem.P, factors);
      const [got, want] = [rebuilt.forward64(phi), map.forward64(phi)];
      want.forEach((v, i) =>
        expect(Math.abs((got[i] as number) - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v))),
      );
    }
    const none: Reparam[] = [
      createReparam({ id: 'weight-norm' }, problem.P, 3, problem.layers),
      createReparam({ id: 'cubic' }, problem.P, 3, problem.layers),
    ];
    for (const map of none) {
      expect(map.layerFactors, map.id).toBeUndefined();
      expect(hasFusedKfac(makeObjective(problem, map), layerBlocks(problem.layers, problem.P))).toBe(false);
    }
  });

  it('a per-layer map whose B̄ mixes the bias row into the weight rows declares none', () => {
    const blocks = layerBlocks(problem.layers, problem.P).map((b) => ({
      offset: b.offset,
      left: Array.from({ length: b.rows }, (_, i) =>
        Array.from(
          { length: b.rows },
          (__, j) => (i === j ? 1 : 0) + (j === b.rows - 1 && i === 0 ? 0.5 : 0),
        ),
      ),
      right: Array.from({ length: b.cols }, (_, i) =>
        Array.from({ length: b.cols }, (__, j) => (i === j ? 2 : 0)),
      ),
    }));
    const map = layerMap('mixed-bias', problem.P, blocks);
    expect(map.layerFactors).toBeUndefined();
    expect(hasFusedKfac(makeObjective(problem, map), layerBlocks(problem.layers, problem.P))).toBe(false);
  });
});

describe('a K-FAC φ-run under layer-scale takes the dense fast path', () => {
  it('every step calls the fast path once and never the Fisher factor; no tensor leaks over 5 steps', async () => {
    const problem = digits(digitsParams.parse({ hidden: [8], nTest: 1497 }), 2);
    const map = createReparam({ id: 'layer-scale', cond: 4 }, problem.P, 5, problem.layers);
    const fastPath = (problem as DenseProblem).dense;
    const fused = vi.spyOn(fastPath, 'gradientAndKfacFactors');
    const factor = vi.spyOn(fastPath, 'fisherFactor');
    const opt = kfac.create(makeObjective(problem, map), { ...baseHyper, ...kfac.defaults, lr: 0.05 }, 1);
    let p = tf.tensor2d([map.inverse64([...problem.init])]) as Tensor2D;
    let after1 = 0;
    for (let k = 1; k <= 5; k++) {
      const next = await opt.step(p);
      p.dispose();
      p = next;
      if (k === 1) after1 = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(after1);
    expect(fused).toHaveBeenCalledTimes(5);
    expect(factor).not.toHaveBeenCalled();
    expect(Array.from(await p.data()).every(Number.isFinite)).toBe(true);
    p.dispose();
    opt.dispose();
    vi.restoreAllMocks();
    problem.dispose();
  });
});

describe('undamped K-FAC θ/φ pair on 300 digits under layer-scale (64-8-10, where blank pixels abound)', () => {
  it('on wasm, 30 steps: the two runs’ training losses agree to 1e-4 at every step', async () => {
    // Pixels blank in every training image give A exact zero rows; A_φ = B̄ᵀAB̄ formed in
    // float32 kept them at ~1e-7 of the largest eigenvalue, the pseudo-inverse inverted that
    // noise and the gap grew to 0.15. In float64 they stay at round-off and are dropped.
    await setupNode('wasm');
    try {
      const parsed = parseExperiment({
        version: 1,
        seed: 1,
        problem: { id: 'digits', hidden: [8], nTest: 1497 },
        reparam: { id: 'layer-scale', cond: 4 },
        optimizers: [{ id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } }],
        steps: 30,
      });
      if (!parsed.ok) throw new Error(parsed.error);
      const session = createSession(parsed.experiment);
      try {
        while (!session.done) if ((await session.advance(30)) === 0) break;
        const lossOf = (space: 'theta' | 'phi'): readonly number[] =>
          session.runs.find((r) => r.space === space)?.loss ?? [];
        const [theta, phi] = [lossOf('theta'), lossOf('phi')];
        expect(phi.length).toBe(31);
        const gap = Math.max(...phi.map((v, k) => Math.abs(v - (theta[k] ?? NaN))));
        expect(gap, `loss gap ${gap}`).toBeLessThan(1e-4);
        // The runs did train: the loss fell by more than half.
        expect((theta.at(-1) ?? NaN) / (theta[0] ?? NaN)).toBeLessThan(0.5);
      } finally {
        session.dispose();
      }
    } finally {
      await setupNode('cpu');
    }
  });
});
