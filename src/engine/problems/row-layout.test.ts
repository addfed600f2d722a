import { describe, expect, it } from 'vitest';
import { tf, type Tensor, type Tensor2D } from '../tf';
import { makeRng } from '../random';
import { setupNode } from '../setup-node';
import { makeObjective } from '../objective';
import { hessianTensor } from '../optimizers/curvature/hessian';
import { mlp, mlpParams } from './mlp';
import {
  heldInputProduct,
  rowLayout,
  rowLayoutNow,
  sharedInput,
  type LayerParams,
  type RowLayoutKind,
} from './row-layout';

type M = number[][];
const T = (A: M): M => (A[0] ?? []).map((_, j) => A.map((r) => r[j] as number));
const mul = (X: M, Y: M): M =>
  X.map((r) =>
    (Y[0] ?? []).map((_, j) => r.reduce((s, x, k) => s + x * ((Y[k] as number[])[j] as number), 0)),
  );
const randMat = (rng: ReturnType<typeof makeRng>, m: number, n: number): M =>
  Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal(0, 1)));

/** Per-row matrices [B][N][u] into the layout's tensor ([N, u] for one row, [B, N, u], [u, B, N]). */
function toLayout(kind: RowLayoutKind, rows: M[]): Tensor {
  if (kind === 'one') return tf.tensor2d(rows[0] as M);
  const t = tf.tensor3d(rows);
  return kind === 'bnu' ? t : tf.transpose(t, [2, 0, 1]);
}
function fromLayout(kind: RowLayoutKind, t: Tensor): M[] {
  if (kind === 'one') return [t.arraySync() as M];
  const u = kind === 'bnu' ? t : tf.transpose(t, [1, 2, 0]);
  return u.arraySync() as M[];
}
function expectClose(got: M[], want: M[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((Wb, b) =>
    Wb.forEach((r, i) => r.forEach((v, j) => expect(got[b]?.[i]?.[j]).toBeCloseTo(v, 4))),
  );
}

describe('row layouts: the per-row products of a dense layer', () => {
  const rng = makeRng(7);
  const N = 6;
  for (const kind of ['one', 'bnu', 'unb'] as RowLayoutKind[]) {
    const B = kind === 'one' ? 1 : 3;
    for (const out of [3, 1]) {
      it(`${kind}, ${out} output unit(s): parameters, affine, layer gradients (weights and bias) joined, back product, example mean`, () => {
        const L = rowLayout(kind);
        const k = 4;
        const x = randMat(rng, N, 2);
        const a = Array.from({ length: B }, () => randMat(rng, N, k));
        const w = Array.from({ length: B }, () => randMat(rng, k, out));
        const w0 = Array.from({ length: B }, () => randMat(rng, 2, out));
        const b0 = randMat(rng, B, out);
        const bias = randMat(rng, B, out);
        const d = Array.from({ length: B }, () => randMat(rng, N, out));
        // Two layers, 2 -> out (the shared input) and k -> out, as θ rows [W0, b0, W, b].
        const layers = [
          { inputs: 2, outputs: out },
          { inputs: k, outputs: out },
        ];
        const theta = w0.map((W0, b) => [
          ...W0.flat(),
          ...(b0[b] as number[]),
          ...(w[b] as M).flat(),
          ...(bias[b] as number[]),
        ]);
        const before = tf.memory().numTensors;
        const got = tf.tidy(() => {
          const aT = toLayout(kind, a);
          const dT = toLayout(kind, d);
          const xIn = sharedInput(tf.tensor2d(x) as Tensor2D);
          const [p0, p1] = L.params(tf.tensor2d(theta) as Tensor2D, layers) as [LayerParams, LayerParams];
          const res = {
            affine: fromLayout(kind, L.affine(aT, p1)),
            shared: fromLayout(kind, L.affineShared(xIn, p0)),
            grads: L.join([L.layerGradShared(xIn, dT), L.layerGrad(aT, dT)]).arraySync() as M,
            back: fromLayout(kind, L.back(dT, p1)),
            mean: Array.from(L.meanOverExamples(tf.sum(dT, L.unitAxis)).dataSync()),
          };
          tf.dispose([xIn.bar, xIn.barT]); // kept: they outlive a tidy
          return res;
        });
        expect(tf.memory().numTensors).toBe(before);
        const plusBias = (Z: M, row: number[]): M => Z.map((r) => r.map((v, j) => v + (row[j] as number)));
        expectClose(
          got.affine,
          a.map((ab, b) => plusBias(mul(ab, w[b] as M), bias[b] as number[])),
        );
        expectClose(
          got.shared,
          w0.map((wb, b) => plusBias(mul(x, wb), b0[b] as number[])),
        );
        // θ's layout per row: the weights' rows Σ_n a_nᵀ δ_n, then the bias row Σ_n δ_n.
        const flatGrad = (input: M, db: M): number[] => [
          ...mul(T(input), db).flat(),
          ...T(db).map((r) => r.reduce((s, v) => s + v, 0)),
        ];
        expectClose([got.grads], [d.map((db, b) => [...flatGrad(x, db), ...flatGrad(a[b] as M, db)])]);
        expectClose(
          got.back,
          d.map((db, b) => mul(db, T(w[b] as M))),
        );
        const means = d.map((db) => db.reduce((s, r) => s + r.reduce((t, v) => t + v, 0), 0) / N);
        got.mean.forEach((v, b) => expect(v).toBeCloseTo(means[b] as number, 5));
      });
    }
  }

  it('the choice: one row 2-D; on cpu (and under a gradient tape) batched matMuls', () => {
    expect(rowLayoutNow(1)).toBe('one');
    expect(rowLayoutNow(4)).toBe('bnu');
  });

  it('on wasm: depthwise (unb) outside a gradient tape; a Hessian (a gradient through B = P rows) still works', async () => {
    await setupNode('wasm');
    try {
      expect(rowLayoutNow(4)).toBe('unb');
      const seen: string[] = [];
      tf.grad((v) => {
        seen.push(rowLayoutNow(4));
        return tf.sum(v);
      })(tf.scalar(1));
      expect(seen).toEqual(['bnu']);
      const problem = mlp(mlpParams.parse({ hidden: [3, 3], n: 20 }), 1);
      const row = tf.tensor2d([[...problem.init]]);
      const H = hessianTensor(makeObjective(problem, null), row);
      const h = await H.array();
      expect(h.length).toBe(problem.P);
      h.forEach((r, i) => r.forEach((v, j) => expect(Math.abs(v - (h[j]?.[i] ?? NaN))).toBeLessThan(1e-4)));
      tf.dispose([H, row]);
      problem.dispose();
    } finally {
      await setupNode('cpu');
    }
  });

  it('heldInputProduct is āᵀδ on cpu and on wasm (where it takes (δᵀā)ᵀ)', async () => {
    const rng = makeRng(3);
    const bar = randMat(rng, 7, 4);
    const delta = randMat(rng, 7, 3);
    const want = mul(T(bar), delta);
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupNode(backend);
      try {
        const got = tf.tidy(() => {
          const b = tf.tensor2d(bar) as Tensor2D;
          return heldInputProduct(b, tf.transpose(b), tf.tensor2d(delta) as Tensor2D).arraySync();
        });
        expectClose([got], [want]);
      } finally {
        await setupNode('cpu');
      }
    }
  });
});
