import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { gradient, makeObjective } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import type { Problem } from '../problems/problem';
import { affineMap } from '../reparam/linear';
import { makeRng } from '../random';
import { parameterDefect } from '../measure/defect';
import { solveSymmetric } from '../linalg/solve';
import type { Mat } from '../linalg/dense';
import { fisherFactor, fisherMatrix } from './curvature/fisher';
import { kfacFactors, layerBlocks, type LayerBlock } from './curvature/kfac';
import { baseHyper, type Hyper, type OptimizerDef } from './optimizer';
import { pairedRun, trajectory } from './paired-run';
import { kfac } from './kfac';
import { ngd } from './ngd';
import { optimizers } from './index';
import { expectBatchedEqualsSingle, expectNoLeaks } from './first-order-testkit';

const hyperOf = (def: OptimizerDef, over: Partial<Hyper> = {}): Hyper => ({
  ...baseHyper,
  ...def.defaults,
  ...over,
});
const outer = (u: number[], v: number[]): Mat => u.map((a) => v.map((b) => a * b));
const addTo = (S: Mat, T: Mat, w: number): void =>
  S.forEach((r, i) => r.forEach((_, j) => (r[j]! += w * T[i]![j]!)));
const zeros = (n: number): Mat => Array.from({ length: n }, () => new Array<number>(n).fill(0));

function expectMatClose(got: Mat, want: Mat, rel = 1e-4): void {
  const scale = Math.max(1e-12, ...want.flat().map(Math.abs));
  want.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(got[i]![j]! - v) / scale).toBeLessThan(rel)));
}

/** One step from `start`; returns the new row. */
async function stepOnce(
  def: OptimizerDef,
  hyper: Hyper,
  problem: Problem,
  start: number[],
): Promise<number[]> {
  const opt = def.create(makeObjective(problem, null), hyper, 1);
  const p = tf.tensor2d([start]) as Tensor2D;
  const next = await opt.step(p);
  const out = Array.from(next.dataSync());
  [p, next].forEach((t) => t.dispose());
  opt.dispose();
  return out;
}

/** The P×P matrix of a per-layer map W̄ ↦ B̄ W̄ C with B̄ = diag(B, 1) (W ↦ BWC, b ↦ bC). */
function perLayerMatrix(blocks: LayerBlock[], B: Mat[], C: Mat[], P: number): number[][] {
  const apply = (phi: number[]): number[] => {
    const theta = new Array<number>(P).fill(0);
    blocks.forEach((b, l) => {
      const W = Array.from({ length: b.rows }, (_, i) =>
        phi.slice(b.offset + i * b.cols, b.offset + (i + 1) * b.cols),
      );
      const Bbar = Array.from({ length: b.rows }, (_, i) =>
        Array.from({ length: b.rows }, (__, k) =>
          i < b.rows - 1 && k < b.rows - 1 ? B[l]![i]![k]! : i === k ? 1 : 0,
        ),
      );
      for (let i = 0; i < b.rows; i++)
        for (let j = 0; j < b.cols; j++) {
          let s = 0;
          for (let k = 0; k < b.rows; k++)
            for (let m = 0; m < b.cols; m++) s += Bbar[i]![k]! * W[k]![m]! * C[l]![m]![j]!;
          theta[b.offset + i * b.cols + j] = s;
        }
    });
    return theta;
  };
  const cols = Array.from({ length: P }, (_, k) =>
    apply(Array.from({ length: P }, (__, i) => (i === k ? 1 : 0))),
  );
  return Array.from({ length: P }, (_, i) => cols.map((c) => c[i]!));
}

describe('K-FAC', () => {
  // 1-3-1 tanh regression net: P = 10, 16 training points.
  const sine = mlp(mlpParams.parse({ dataset: 'sine', hidden: [3], n: 16, testFraction: 0, noise: 0.1 }), 2);
  // 2-3-3 softmax classifier (3 classes): P = 21.
  const blobs = mlp(
    mlpParams.parse({ dataset: 'gaussians', classes: 3, hidden: [3], n: 24, testFraction: 0 }),
    3,
  );
  const tiny = tinyNet(tinyNetParams.parse({}), 0);
  afterAll(() => [sine, blobs, tiny].forEach((p) => p.dispose()));

  it('is registered', () => expect(optimizers.kfac).toBe(kfac));

  it('factors match their definitions: A = E[āāᵀ], G = E[δδᵀ] (regression net)', async () => {
    const theta = [...sine.init];
    const blocks = layerBlocks(sine.layers, sine.P);
    expect(blocks.map((b) => [b.rows, b.cols])).toEqual([
      [2, 3],
      [4, 1],
    ]);
    const r = tf.tensor2d([theta]) as Tensor2D;
    const got = kfacFactors(await fisherFactor(makeObjective(sine, null), r), 1, blocks);
    r.dispose();
    // Float64 forward/backward of a1 = tanh(x W1 + b1), h = a1 W2 + b2 (σ = 1, so M = 1).
    const W1 = theta.slice(0, 3);
    const b1 = theta.slice(3, 6);
    const W2 = theta.slice(6, 9);
    const xs = Array.from(sine.x.dataSync());
    const [A1, A2, G1, G2] = [zeros(2), zeros(4), zeros(3), zeros(1)];
    for (const x of xs) {
      const a1 = W1.map((w, j) => Math.tanh(x * w + b1[j]!));
      const d1 = W2.map((w, j) => w * (1 - a1[j]! ** 2));
      addTo(A1, outer([x, 1], [x, 1]), 1 / xs.length);
      addTo(A2, outer([...a1, 1], [...a1, 1]), 1 / xs.length);
      addTo(G1, outer(d1, d1), 1 / xs.length);
      addTo(G2, [[1]], 1 / xs.length);
    }
    expectMatClose(got[0]!.A, A1);
    expectMatClose(got[1]!.A, A2);
    expectMatClose(got[0]!.G, G1);
    expectMatClose(got[1]!.G, G2);
  });

  it('softmax: the last layer G is the mean output Fisher E[diag(p) − ppᵀ]', async () => {
    const blocks = layerBlocks(blobs.layers, blobs.P);
    const obj = makeObjective(blobs, null);
    const r = tf.tensor2d([[...blobs.init]]) as Tensor2D;
    const got = kfacFactors(await fisherFactor(obj, r), 3, blocks);
    const probs = tf.tidy(() => tf.softmax(tf.squeeze(obj.outputs(r), [0])).arraySync() as number[][]);
    r.dispose();
    const want = zeros(3);
    for (const p of probs)
      addTo(
        want,
        p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj)),
        1 / probs.length,
      );
    expectMatClose(got[1]!.G, want);
  });

  it('without layers, one block equal to the Fisher: a kfac step (decay 0) is an ngd step', async () => {
    const a = await stepOnce(kfac, hyperOf(kfac, { decay: 0, lr: 0.3 }), tiny, [0.4, 0.6]);
    const b = await stepOnce(ngd, hyperOf(ngd, { lr: 0.3 }), tiny, [0.4, 0.6]);
    a.forEach((v, j) => expect(v).toBeCloseTo(b[j]!, 5));
  });

  it('π-adjusted factored damping: (A + π√λ) ⊗ (G + √λ/π I) with π = √((tr A/dA)/(tr G/dG))', async () => {
    const lambda = 0.01;
    const start = [0.4, 0.6];
    const got = await stepOnce(
      kfac,
      hyperOf(kfac, { decay: 0, lr: 1, damping: { type: 'lm', value: lambda } }),
      tiny,
      start,
    );
    const r = tf.tensor2d([start]) as Tensor2D;
    const F = await fisherMatrix(makeObjective(tiny, null), r);
    const g = tf.tidy(() => Array.from(gradient(makeObjective(tiny, null), r).dataSync()));
    r.dispose();
    // One block: A = [1] (1×1), G = F (2×2).
    const pi = Math.sqrt(1 / ((F[0]![0]! + F[1]![1]!) / 2));
    const gamma = Math.sqrt(lambda);
    const inner = solveSymmetric(F, g, { damping: gamma / pi }).x;
    got.forEach((v, j) => expect(v).toBeCloseTo(start[j]! - inner[j]! / (1 + pi * gamma), 5));
  });

  it('inversePeriod reuses the old decomposition: step 2 solves with the factors of step 1', async () => {
    const hyper = hyperOf(kfac, { decay: 0, lr: 0.3, inversePeriod: 100 });
    const opt = kfac.create(makeObjective(tiny, null), hyper, 1);
    const p0 = tf.tensor2d([[0.4, 0.6]]) as Tensor2D;
    const p1 = await opt.step(p0);
    const p2 = await opt.step(p1);
    const F0 = await fisherMatrix(makeObjective(tiny, null), p0);
    const g1 = tf.tidy(() => Array.from(gradient(makeObjective(tiny, null), p1).dataSync()));
    const want = Array.from(p1.dataSync()).map((v, j) => v - 0.3 * solveSymmetric(F0, g1).x[j]!);
    Array.from(p2.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[j]!, 5));
    [p0, p1, p2].forEach((t) => t.dispose());
    opt.dispose();
  });

  it('naturalizer row: natural for per-layer maps W ↦ BWC, not for a map mixing all entries', async () => {
    // A 2-2-1 tanh classifier on xor (P = 9), started where the factors are well conditioned
    // (κ(A), κ(G) ≲ 10): undamped K-FAC amplifies float32 round-off by their condition numbers.
    const xor = mlp(mlpParams.parse({ dataset: 'xor', hidden: [2], n: 48, testFraction: 0, noise: 0.1 }), 2);
    const start = makeRng(5);
    const theta0 = xor.init.map(() => start.normal(0, 1.5));
    const blocks = layerBlocks(xor.layers, xor.P);
    const rng = makeRng(21);
    const near = (n: number): Mat =>
      Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (__, j) => (i === j ? 1 : 0) + 0.4 * rng.normal()),
      );
    const B = blocks.map((b) => near(b.rows - 1));
    const C = blocks.map((b) => near(b.cols));
    const perLayer = affineMap('per-layer', perLayerMatrix(blocks, B, C, xor.P));
    const mixing = affineMap('mixing', near(xor.P));
    const D = async (def: OptimizerDef, map: typeof perLayer): Promise<number> => {
      const run = await pairedRun(def, hyperOf(def, { lr: 0.04 }), xor, map, theta0, 50);
      return parameterDefect(run.theta, run.pushed);
    };
    const dk = await D(kfac, perLayer);
    const dm = await D(kfac, mixing);
    xor.dispose();
    expect(dk, `K-FAC under W ↦ BWC: ${dk}`).toBeLessThan(1e-4);
    expect(dm, `K-FAC under mixing: ${dm}`).toBeGreaterThan(0.1);
  });

  it('a dense θ-run (one forward pass for gradient and factors, Cholesky at inversePeriod 1) steps like the general path', async () => {
    // The general path: the same problem without its hand-derived dense fast path.
    const { dense: _dense, ...general } = sine as Problem & { dense?: unknown };
    for (const inversePeriod of [1, 3]) {
      const hyper = hyperOf(kfac, { lr: 0.1, inversePeriod, damping: { type: 'lm', value: 1e-2 } });
      const run = (problem: Problem): Promise<number[][]> =>
        trajectory(kfac, hyper, makeObjective(problem, null), sine.init, 5);
      const fused = await run(sine);
      const plain = await run(general as Problem);
      // They differ by the float32 round-off of two derivations (hand-derived vs autodiff).
      fused.forEach((row, k) =>
        row.forEach((v, j) =>
          expect(Math.abs(v - plain[k]![j]!), `step ${k}, period ${inversePeriod}`).toBeLessThan(
            1e-5 * Math.max(1, k),
          ),
        ),
      );
    }
  });

  it('R = 3 rows together equal each row alone; no tensors leak', async () => {
    const create = (
      obj: ReturnType<typeof makeObjective>,
      rows: number,
    ): ReturnType<OptimizerDef['create']> =>
      kfac.create(obj, hyperOf(kfac, { inversePeriod: 2, damping: { type: 'lm', value: 1e-3 } }), rows);
    const init = [...sine.init];
    await expectBatchedEqualsSingle(sine, create, [init, init.map((v) => v * 0.5), init.map((v) => v + 0.1)]);
    await expectNoLeaks(sine, create, [init]);
    await expectNoLeaks(tiny, create, [[0.4, 0.6]]);
  });
});
