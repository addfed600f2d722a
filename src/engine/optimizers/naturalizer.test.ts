/**
 * docs/theory.md §3, the naturalizer table, cell by cell for the curvature-based optimizers:
 * K = 50 steps in θ and in φ with θ = Aφ + b, D_K compared before convergence
 * (η = 0.04, horizon T = 2). Equivariant cells: D_K at float32 round-off (≤ 1e-4);
 * the others: D_K of order 0.1 or more.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective } from '../objective';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { gaussianFit, gaussianFitParams } from '../problems/gaussian-fit';
import type { Problem } from '../problems/problem';
import { affineMap, diagonalMatrix, rotationMatrix } from '../reparam/linear';
import { cubicMap } from '../reparam/cubic';
import type { Reparam } from '../reparam/reparam';
import { parameterDefect } from '../measure/defect';
import { baseHyper, type Hyper, type OptimizerDef } from './optimizer';
import { pairedRun } from './paired-run';
import type { SecondOrderOptimizer } from './second-order';
import { newton } from './newton';
import { ngd } from './ngd';
import { ggn } from './ggn';
import { empiricalFisher } from './empirical-fisher';
import { diagFisher } from './diag-fisher';
import { hessianFree } from './hessian-free';

const K = 50;
const LR = 0.04;
const ROUND_OFF = 1e-4;
const BROKEN = 0.1;

const maps = {
  rotation: affineMap('rotation', rotationMatrix(2, 0.7)),
  'signed permutation': affineMap('signed-permutation', [
    [0, -1],
    [1, 0],
  ]),
  'diagonal diag(10, 0.1)': affineMap('diagonal', diagonalMatrix([10, 0.1])),
  'permutation × diagonal': affineMap('perm-diag', [
    [0, -3],
    [0.2, 0],
  ]),
  general: affineMap(
    'general',
    [
      [2, 1],
      [0.5, -3],
    ],
    [0.1, -0.2],
  ),
  'cubic θ = φ + 0.3φ³': cubicMap(2, 0.3),
} satisfies Record<string, Reparam>;
type MapName = keyof typeof maps;

async function defect(
  def: OptimizerDef,
  over: Partial<Hyper>,
  problem: Problem,
  map: MapName,
  theta0: number[],
): Promise<number> {
  const hyper: Hyper = { ...baseHyper, ...def.defaults, lr: LR, ...over };
  const run = await pairedRun(def, hyper, problem, maps[map], theta0, K);
  return parameterDefect(run.theta, run.pushed);
}

describe('naturalizer table (docs/theory.md §3)', () => {
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  const gauss = gaussianFit(gaussianFitParams.parse({}), 0);
  afterAll(() => [tiny, gauss].forEach((p) => p.dispose()));
  const T0 = [0.4, 0.6];
  const G0 = [-1, 2];

  /** [label, optimizer, hyper, problem, start, equivariant maps, non-equivariant maps]. */
  const rows: [string, OptimizerDef, Partial<Hyper>, () => Problem, number[], MapName[], MapName[]][] = [
    [
      'newton (tiny-net)',
      newton,
      {},
      () => tiny,
      T0,
      ['rotation', 'signed permutation', 'diagonal diag(10, 0.1)', 'general'],
      ['cubic θ = φ + 0.3φ³'],
    ],
    [
      'newton (gaussian-fit, indefinite H at the start)',
      newton,
      {},
      () => gauss,
      G0,
      ['rotation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'ngd (tiny-net)',
      ngd,
      {},
      () => tiny,
      T0,
      ['rotation', 'signed permutation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    ['ngd (gaussian-fit)', ngd, {}, () => gauss, G0, ['rotation', 'diagonal diag(10, 0.1)', 'general'], []],
    [
      'ngd midpoint (tiny-net)',
      ngd,
      { integrator: 'midpoint' },
      () => tiny,
      T0,
      ['rotation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'ggn (tiny-net)',
      ggn,
      {},
      () => tiny,
      T0,
      ['rotation', 'signed permutation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'ggn (gaussian-fit, G ≠ F)',
      ggn,
      {},
      () => gauss,
      G0,
      ['rotation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'empirical-fisher (gaussian-fit)',
      empiricalFisher,
      {},
      () => gauss,
      G0,
      ['rotation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'diag-fisher (tiny-net)',
      diagFisher,
      {},
      () => tiny,
      T0,
      ['signed permutation', 'diagonal diag(10, 0.1)', 'permutation × diagonal'],
      ['rotation', 'general'],
    ],
    [
      'diag-fisher (gaussian-fit)',
      diagFisher,
      {},
      () => gauss,
      G0,
      ['diagonal diag(10, 0.1)', 'permutation × diagonal'],
      ['rotation'],
    ],
    [
      'hessian-free, cgIters = P (tiny-net)',
      hessianFree,
      { cgIters: 2 },
      () => tiny,
      T0,
      ['rotation', 'signed permutation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
    [
      'hessian-free, cgIters = 1 < P (tiny-net)',
      hessianFree,
      { cgIters: 1 },
      () => tiny,
      T0,
      ['rotation'],
      ['diagonal diag(10, 0.1)'],
    ],
    [
      'ngd + λI, λ = 1e-3 (tiny-net)',
      ngd,
      { damping: { type: 'lm', value: 1e-3 } },
      () => tiny,
      T0,
      ['rotation', 'signed permutation'],
      ['diagonal diag(10, 0.1)', 'general'],
    ],
    [
      'ngd + adaptive λI (tiny-net)',
      ngd,
      { damping: { type: 'lm', value: 1e-3, adaptive: true } },
      () => tiny,
      T0,
      ['rotation'],
      ['diagonal diag(10, 0.1)'],
    ],
    [
      'ngd + trust region r = 1e-5 (tiny-net)',
      ngd,
      { damping: { type: 'trust-region', value: 1e-5 } },
      () => tiny,
      T0,
      ['rotation', 'diagonal diag(10, 0.1)', 'general'],
      [],
    ],
  ];

  for (const [label, def, over, problem, start, natural, unnatural] of rows) {
    it(`${label}: natural for ${natural.join(', ')}${unnatural.length ? `; not for ${unnatural.join(', ')}` : ''}`, async () => {
      for (const map of natural) {
        const d = await defect(def, over, problem(), map, start);
        expect(d, `${label} under ${map}: D_K = ${d}`).toBeLessThan(ROUND_OFF);
      }
      for (const map of unnatural) {
        const d = await defect(def, over, problem(), map, start);
        expect(d, `${label} under ${map}: D_K = ${d}`).toBeGreaterThan(BROKEN);
      }
    });
  }

  it('λI damping: under diag(10, 0.1) the defect grows with λ', async () => {
    const ds: number[] = [];
    for (const value of [1e-5, 1e-4, 1e-3]) {
      ds.push(await defect(ngd, { damping: { type: 'lm', value } }, tiny, 'diagonal diag(10, 0.1)', T0));
    }
    expect(ds[0]).toBeGreaterThan(ROUND_OFF);
    expect(ds[1]).toBeGreaterThan(ds[0]!);
    expect(ds[2]).toBeGreaterThan(ds[1]!);
  });

  it('the trust region of the table row is active (it scales the early steps)', async () => {
    const opt = ngd.create(
      makeObjective(tiny, null),
      { ...baseHyper, lr: LR, damping: { type: 'trust-region', value: 1e-5 } },
      1,
    ) as SecondOrderOptimizer;
    const p = tf.tensor2d([T0]) as Tensor2D;
    const next = await opt.step(p);
    expect(opt.info()[0]!.trustScale).toBeLessThan(0.9);
    [p, next].forEach((t) => t.dispose());
    opt.dispose();
  });
});
