/**
 * How much of the Fisher buys which invariance (docs/theory.md §9), by computation:
 * - block-fisher: its curvature transforms as a tensor under block-diagonal maps
 *   (blockdiag(AᵀFA) = Aᵀ blockdiag(F) A) and not under maps mixing blocks; paired runs
 *   under `block-mixing` on an MLP keep D_K at round-off; with one block it is ngd.
 * - lowrank-fisher: natural for orthogonal maps at every k; not for a diagonal scaling
 *   below k = P; at k = P undamped it is ngd; the defect falls as k grows.
 * - truncated NGD (ngd, solver "cg", cgIters m): natural for orthogonal maps and scalar
 *   rescalings at every m, for general maps only at m = P.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { tf, type Tensor2D } from '../tf';
import { makeObjective, type Objective } from '../objective';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import { mlp } from '../problems/mlp';
import { mlpParams } from '../problems/params';
import type { Problem } from '../problems/problem';
import { layerParamBlocks, paramBlocks } from '../problems/blocks';
import { affineMap, diagonalMatrix, rotationMatrix } from '../reparam/linear';
import { blockMixingMatrix } from '../reparam/block-mixing';
import { randomConditioned } from '../reparam/random-mixing';
import { createReparam } from '../reparam';
import type { Reparam } from '../reparam/reparam';
import { makeRng } from '../random';
import { parseExperiment } from '../schema';
import { createSession } from '../experiment';
import { parameterDefect } from '../measure/defect';
import { baseHyper, type Hyper } from './catalog';
import type { OptimizerDef } from './optimizer';
import { pairedRun, trajectory } from './paired-run';
import { fisherFactor } from './curvature/fisher';
import { blockFisher, blockFisherMetric } from './block-fisher';
import { lowrankFisher, lowRankMetric, topFisherEigenpairs } from './lowrank-fisher';
import { ngd } from './ngd';

const ROUND_OFF = 1e-4;
const matVec = (M: number[][], v: number[]): number[] =>
  M.map((r) => r.reduce((s, x, j) => s + x * v[j]!, 0));
const transpose = (M: number[][]): number[][] => M[0]!.map((_, j) => M.map((r) => r[j]!));

async function defect(
  def: OptimizerDef,
  over: Partial<Hyper>,
  problem: Problem,
  map: Reparam,
  start: number[],
  K: number,
) {
  const hyper: Hyper = { ...baseHyper, ...def.defaults, lr: 0.04, ...over };
  const run = await pairedRun(def, hyper, problem, map, start, K);
  return parameterDefect(run.theta, run.pushed);
}

/** max over random v of ‖M_φ v − Jᵀ M_θ J v‖ / ‖Jᵀ M_θ J v‖ for a metric builder. */
async function transformError(
  problem: Problem,
  map: Reparam,
  build: (obj: Objective, row: Tensor2D) => Promise<{ apply(v: number[]): number[] }>,
): Promise<number> {
  const theta0 = [...problem.init];
  const phi0 = map.inverse64(theta0);
  const J = map.jacobian64(phi0);
  const at = async (obj: Objective, p: number[]) => {
    const r = tf.tensor2d([p]) as Tensor2D;
    try {
      return await build(obj, r);
    } finally {
      r.dispose();
    }
  };
  const Mt = await at(makeObjective(problem, null), theta0);
  const Mp = await at(makeObjective(problem, map), phi0);
  const rng = makeRng(3);
  let worst = 0;
  for (let t = 0; t < 3; t++) {
    const v = theta0.map(() => rng.normal());
    const want = matVec(transpose(J), Mt.apply(matVec(J, v)));
    const got = Mp.apply(v);
    worst = Math.max(worst, Math.hypot(...got.map((x, i) => x - want[i]!)) / Math.hypot(...want));
  }
  return worst;
}

/** D_K of a paired session (xor, 2-2-1 tanh net, seed 7) under `reparam`. */
async function sessionDefect(
  optimizer: Record<string, unknown>,
  reparam: Record<string, unknown> = { id: 'block-mixing', cond: 4 },
  steps = 40,
): Promise<number> {
  const parsed = parseExperiment({
    version: 1,
    seed: 7,
    problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 64, testFraction: 0.25 },
    reparam,
    optimizers: [optimizer],
    steps,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const session = createSession(parsed.experiment);
  try {
    while (!session.done) if ((await session.advance(steps)) === 0) break;
    const [theta, phi] = (['theta', 'phi'] as const).map((sp) => session.runs.find((r) => r.space === sp)!);
    return parameterDefect(toRows(theta!.theta), toRows(phi!.theta));
  } finally {
    session.dispose();
  }
}

describe('block-fisher (docs/theory.md §9.1)', () => {
  const net = mlp(mlpParams.parse({ dataset: 'xor', hidden: [3], n: 32, testFraction: 0 }), 4);
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  afterAll(() => [net, tiny].forEach((p) => p.dispose()));
  const blocks = (obj: Objective) => paramBlocks(obj.problem.layers, obj.P, 'auto');
  const blockMetric = async (obj: Objective, r: Tensor2D) =>
    blockFisherMetric(await fisherFactor(obj, r), blocks(obj));

  it('the MLP has one block per layer, [W; b] together', () => {
    expect(layerParamBlocks(net.layers, net.P)).toEqual([
      { offset: 0, size: 9 },
      { offset: 9, size: 4 },
    ]);
    expect(paramBlocks(tiny.layers, tiny.P, 'auto')).toEqual([{ offset: 0, size: 2 }]);
    expect(() => paramBlocks(tiny.layers, tiny.P, 'layers')).toThrow(
      /blocks: "layers" needs a network problem/,
    );
  });

  it('its curvature is a tensor under block-mixing and layer-scale, not under a map mixing the layers', async () => {
    const block = createReparam({ id: 'block-mixing', cond: 4 }, net.P, 7, net.layers);
    const layer = createReparam({ id: 'layer-scale', cond: 4 }, net.P, 7, net.layers);
    const mixing = affineMap('mix', randomConditioned(net.P, 4, makeRng(2)));
    const eb = await transformError(net, block, blockMetric);
    const el = await transformError(net, layer, blockMetric);
    const em = await transformError(net, mixing, blockMetric);
    expect(eb, `block-mixing: ${eb}`).toBeLessThan(1e-4);
    expect(el, `layer-scale: ${el}`).toBeLessThan(1e-4);
    expect(em, `random mixing: ${em}`).toBeGreaterThan(0.05);
  });

  it('paired sessions under block-mixing: block-fisher at round-off, K-FAC and GD drift', async () => {
    // The well-conditioned start of kfac-layer-scale.test.ts (xor, 2-2-1 tanh, seed 7).
    const db = await sessionDefect({ id: 'block-fisher', lr: 0.1, damping: { type: 'none', value: 0 } });
    const dk = await sessionDefect({ id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } });
    const dg = await sessionDefect({ id: 'gd', lr: 0.1 });
    expect(db, `block-fisher: ${db}`).toBeLessThan(ROUND_OFF);
    expect(dk, `kfac: ${dk}`).toBeGreaterThan(1e-2);
    expect(dg, `gd: ${dg}`).toBeGreaterThan(1e-2);
  });

  it('with one block (a 2-D problem, or blocks "one") its steps are ngd’s', async () => {
    const hyper: Hyper = { ...baseHyper, lr: 0.1 };
    for (const [problem, blocksMode] of [
      [tiny, 'auto'],
      [net, 'one'],
    ] as const) {
      const obj = makeObjective(problem, null);
      const a = await trajectory(blockFisher, { ...hyper, blocks: blocksMode }, obj, [...problem.init], 5);
      const b = await trajectory(ngd, hyper, obj, [...problem.init], 5);
      const d = parameterDefect(a, b);
      expect(d, `${problem.id}: ${d}`).toBeLessThan(1e-5);
    }
  });

  it('block-mixing on a 2-D problem is one seeded linear map (κ = cond)', () => {
    const A = blockMixingMatrix(2, 3, null, 10);
    const s = A.flat();
    expect(s.every((v) => v !== 0)).toBe(true);
    const sv = (M: number[][]) => {
      const [a, b, c, d] = [M[0]![0]!, M[0]![1]!, M[1]![0]!, M[1]![1]!];
      const t = a * a + b * b + c * c + d * d;
      const det = Math.abs(a * d - b * c);
      const r = Math.sqrt(t * t - 4 * det * det);
      return Math.sqrt((t + r) / (t - r));
    };
    expect(sv(A)).toBeCloseTo(10, 6);
  });
});

describe('lowrank-fisher (docs/theory.md §9.2)', () => {
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  const net = mlp(mlpParams.parse({ dataset: 'xor', hidden: [3], n: 32, testFraction: 0 }), 4);
  afterAll(() => [tiny, net].forEach((p) => p.dispose()));
  const T0 = [0.4, 0.6];
  const rotation = affineMap('rotation', rotationMatrix(2, 0.7));
  const diagonal = affineMap('diagonal', diagonalMatrix([10, 0.1]));
  const general = affineMap('general', [
    [2, 1],
    [0.5, -3],
  ]);

  it('the top-k eigenpairs are eigenpairs of F, from either Gram', async () => {
    const r = tf.tensor2d([[...net.init]]) as Tensor2D;
    const f = await fisherFactor(makeObjective(net, null), r);
    r.dispose();
    const { values, vectors } = topFisherEigenpairs(f, 3);
    const F = (v: number[]) =>
      transpose(f.U).map(
        (col) => col.reduce((s, u, n) => s + u * f.U[n]!.reduce((t, x, j) => t + x * v[j]!, 0), 0) / f.N,
      );
    expect(values[0]).toBeGreaterThanOrEqual(values[1]!);
    vectors.forEach((v, i) => {
      const Fv = F(v);
      const err = Math.hypot(...Fv.map((x, j) => x - values[i]! * v[j]!));
      expect(err).toBeLessThan(1e-8 * Math.max(1, values[0]!));
    });
    // Here m = 32 rows > P = 13 (the P×P Gram); a factor of 4 rows takes the m×m Gram.
    const short = { ...f, U: f.U.slice(0, 4) };
    const a = topFisherEigenpairs(short, 2);
    const Fs = (v: number[]) =>
      transpose(short.U).map(
        (col) =>
          col.reduce((s, u, n) => s + u * short.U[n]!.reduce((t, x, j) => t + x * v[j]!, 0), 0) / short.N,
      );
    a.vectors.forEach((v, i) => {
      const Fv = Fs(v);
      expect(Math.hypot(...Fv.map((x, j) => x - a.values[i]! * v[j]!))).toBeLessThan(1e-8);
    });
  });

  it('the solve adds λI exactly: (VμVᵀ + λI) x = b', () => {
    const m = lowRankMetric(3, [2], [[0.6, 0.8, 0]]);
    const b = [1, -2, 3];
    const x = m.solve(b, 0.5).x;
    const back = m.apply(x).map((v, i) => v + 0.5 * x[i]!);
    back.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    expect(m.solve(b, 0).method).toBe('pinv');
  });

  it('k = 1 < P: natural under a rotation, not under a diagonal scaling; k = P undamped: natural for a general map', async () => {
    const K = 50;
    const rot = await defect(lowrankFisher, { rank: 1 }, tiny, rotation, T0, K);
    const diag = await defect(lowrankFisher, { rank: 1 }, tiny, diagonal, T0, K);
    const full = await defect(lowrankFisher, { rank: 2 }, tiny, general, T0, K);
    expect(rot, `k = 1, rotation: ${rot}`).toBeLessThan(ROUND_OFF);
    expect(diag, `k = 1, diagonal: ${diag}`).toBeGreaterThan(0.1);
    expect(full, `k = P, general: ${full}`).toBeLessThan(ROUND_OFF);
  });

  it('k = P undamped steps are ngd’s', async () => {
    const obj = makeObjective(tiny, null);
    const hyper: Hyper = { ...baseHyper, lr: 0.1 };
    const a = await trajectory(lowrankFisher, { ...hyper, rank: 2 }, obj, T0, 10);
    const b = await trajectory(ngd, hyper, obj, T0, 10);
    expect(parameterDefect(a, b)).toBeLessThan(1e-5);
  });

  it('on an MLP at k = P its θ- and φ-runs under block-mixing are ngd’s', async () => {
    // (Undamped ngd on an MLP amplifies round-off — its Fisher is nearly singular — so the
    // comparison is with ngd's own runs, not with round-off.)
    const run = async (o: Record<string, unknown>) => {
      const parsed = parseExperiment({
        version: 1,
        seed: 0,
        problem: { id: 'mlp', dataset: 'xor', hidden: [2], n: 64, testFraction: 0.25 },
        reparam: { id: 'block-mixing', cond: 4 },
        optimizers: [o],
        steps: 5,
      });
      if (!parsed.ok) throw new Error(parsed.error);
      const session = createSession(parsed.experiment);
      try {
        while (!session.done) if ((await session.advance(5)) === 0) break;
        return session.runs.map((r) => toRows(r.theta));
      } finally {
        session.dispose();
      }
    };
    const damping = { type: 'none', value: 0 };
    const low = await run({ id: 'lowrank-fisher', lr: 0.1, rank: 9, damping });
    const exact = await run({ id: 'ngd', lr: 0.1, damping });
    low.forEach((t, i) => expect(parameterDefect(t, exact[i]!)).toBeLessThan(1e-6));
    const one = await run({ id: 'lowrank-fisher', lr: 0.1, rank: 1, damping });
    expect(parameterDefect(one[0]!, one[1]!), 'k = 1 drifts').toBeGreaterThan(1e-2);
  });
});

describe('truncated natural gradient: ngd by m CG iterations (docs/theory.md §9.3)', () => {
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  afterAll(() => tiny.dispose());
  const T0 = [0.4, 0.6];
  const K = 50;
  const cg = (m: number): Partial<Hyper> => ({ solver: 'cg', cgIters: m });

  it('m = 1: natural for a rotation and a scalar rescaling, not a diagonal or general map', async () => {
    const rot = await defect(ngd, cg(1), tiny, affineMap('r', rotationMatrix(2, 0.7)), T0, K);
    const scalar = await defect(ngd, cg(1), tiny, affineMap('s', diagonalMatrix([3, 3])), T0, K);
    const diag = await defect(ngd, cg(1), tiny, affineMap('d', diagonalMatrix([10, 0.1])), T0, K);
    expect(rot, `rotation: ${rot}`).toBeLessThan(ROUND_OFF);
    expect(scalar, `3I: ${scalar}`).toBeLessThan(ROUND_OFF);
    expect(diag, `diag(10, 0.1): ${diag}`).toBeGreaterThan(0.1);
  });

  it('m = P: exact, natural for a general linear map', async () => {
    const gen = affineMap('g', [
      [2, 1],
      [0.5, -3],
    ]);
    const d = await defect(ngd, cg(2), tiny, gen, T0, K);
    expect(d, `general, m = P: ${d}`).toBeLessThan(ROUND_OFF);
  });
});

describe('block-fisher solves', () => {
  it('damped with fewer factor rows than block coordinates (Woodbury) equals the dense block solve', () => {
    const rng = makeRng(8);
    const f = {
      U: Array.from({ length: 4 }, () => Array.from({ length: 9 }, () => rng.normal())),
      N: 4,
      P: 9,
    };
    const blocks = [
      { offset: 0, size: 6 },
      { offset: 6, size: 3 },
    ];
    const g = Array.from({ length: 9 }, () => rng.normal());
    const solved = blockFisherMetric(f, blocks).solve(g, 0.1);
    expect(solved.method).toBe('woodbury');
    const back = blockFisherMetric(f, blocks)
      .apply(solved.x)
      .map((v, i) => v + 0.1 * solved.x[i]!);
    back.forEach((v, i) => expect(v).toBeCloseTo(g[i]!, 9));
  });
});

describe('a singular block without damping', () => {
  it('takes the block’s pseudo-inverse step: finite, reported as pinv, never NaN passed off as a step', () => {
    // Two factor rows for a 3-coordinate block: F_b has rank 2.
    const f = {
      U: [
        [1, 0, 2, 0.5],
        [0, 1, -1, 0.25],
      ],
      N: 2,
      P: 4,
    };
    const solved = blockFisherMetric(f, [
      { offset: 0, size: 3 },
      { offset: 3, size: 1 },
    ]).solve([1, -1, 3, 0.2], 0);
    expect(solved.method).toBe('pinv');
    expect(solved.x.every(Number.isFinite)).toBe(true);
  });
});
