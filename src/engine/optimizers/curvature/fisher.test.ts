import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { makeObjective } from '../../objective';
import { gaussianFit, gaussianFitParams } from '../../problems/gaussian-fit';
import { tinyNet, tinyNetParams } from '../../problems/tiny-net';
import { rosenbrock, rosenbrockParams } from '../../problems/rosenbrock';
import { affineMap } from '../../reparam/linear';
import { cubicMap } from '../../reparam/cubic';
import { matVec, type Mat } from '../../linalg/dense';
import { rowsOf, type RowMajor } from '../../linalg/woodbury';
import { outputJacobians } from './jacobian';
import {
  empiricalFisherFactor,
  empiricalFisherMatrix,
  fisherFactor,
  fisherMatrix,
  ggnMatrix,
  ggnParts,
} from './fisher';
import { factorDiagonal, factorProduct, ggnProduct } from './products';
import { factorMetric } from './metric';
import { fisherFactorFlat } from './fisher-flat';

const row = (p: number[]): Tensor2D => tf.tensor2d([p]);

/** Compare matrices entrywise with a tolerance relative to the largest entry. */
function expectMatClose(got: Mat, want: Mat, rel = 1e-5): void {
  const scale = Math.max(1e-12, ...want.flat().map(Math.abs));
  want.forEach((r, i) =>
    r.forEach((v, j) => expect(Math.abs((got[i]?.[j] ?? NaN) - v) / scale).toBeLessThan(rel)),
  );
}

/** JᵀAJ for a P×P Jacobian. */
function pullBack(A: Mat, J: Mat): Mat {
  const P = J.length;
  return J.map((_, a) =>
    J.map((__, b) => {
      let s = 0;
      for (let i = 0; i < P; i++)
        for (let j = 0; j < P; j++) s += (J[i]?.[a] ?? 0) * (A[i]?.[j] ?? 0) * (J[j]?.[b] ?? 0);
      return s;
    }),
  );
}

describe('per-example Jacobians, Fisher, GGN, empirical Fisher', () => {
  const tiny = tinyNet(tinyNetParams.parse({ noise: 0.1 }), 3);
  const gauss = gaussianFit(gaussianFitParams.parse({ n: 40 }), 5);
  const rosen = rosenbrock(rosenbrockParams.parse({}));
  afterAll(() => [tiny, gauss, rosen].forEach((p) => p.dispose()));
  const xs = Array.from(tiny.x.dataSync());

  it('tiny-net: J_n = [tanh(bx), a x (1 − tanh²(bx))] and F = (1/N) Σ J_nᵀ J_n', async () => {
    const [a, b] = [0.7, -1.3];
    const r = row([a, b]);
    const J = outputJacobians(makeObjective(tiny, null), r);
    expect(J.shape).toEqual([32, 1, 2]);
    const got = J.arraySync();
    J.dispose();
    const want = xs.map((x) => [Math.tanh(b * x), a * x * (1 - Math.tanh(b * x) ** 2)]);
    want.forEach((w, n) => w.forEach((v, j) => expect(got[n]?.[0]?.[j]).toBeCloseTo(v, 6)));
    const F = want[0]!.map((_, i) =>
      want[0]!.map((__, j) => want.reduce((s, w) => s + w[i]! * w[j]!, 0) / 32),
    );
    const obj = makeObjective(tiny, null);
    expectMatClose(await fisherMatrix(obj, r), F);
    // Gaussian likelihood: the GGN is the Fisher.
    expectMatClose(await ggnMatrix(obj, r), F);
    r.dispose();
  });

  it('gaussian-fit: F = diag(1/σ², 2/σ²) for any (μ, σ); GGN and empirical Fisher by formula', async () => {
    const ys = Array.from(gauss.y.dataSync());
    const obj = makeObjective(gauss, null);
    for (const [mu, s] of [
      [0.3, 1.2],
      [-1, 2],
      [2.5, 0.4],
    ] as const) {
      const r = row([mu, s]);
      expectMatClose(await fisherMatrix(obj, r), [
        [1 / s ** 2, 0],
        [0, 2 / s ** 2],
      ]);
      const res = ys.map((y) => y - mu);
      const rbar = res.reduce((t, v) => t + v, 0) / ys.length;
      const S = res.reduce((t, v) => t + v * v, 0) / ys.length;
      expectMatClose(await ggnMatrix(obj, r), [
        [1 / s ** 2, (2 * rbar) / s ** 3],
        [(2 * rbar) / s ** 3, (3 * S) / s ** 4 - 1 / s ** 2],
      ]);
      const g = res.map((v) => [-v / s ** 2, 1 / s - v ** 2 / s ** 3]);
      const E = [0, 1].map((i) => [0, 1].map((j) => g.reduce((t, gn) => t + gn[i]! * gn[j]!, 0) / ys.length));
      expectMatClose(await empiricalFisherMatrix(obj, r), E);
      r.dispose();
    }
  });

  it('rosenbrock: F = JᵀJ with J = [[1, 0], [−2√b x, √b]]', async () => {
    const [x, y] = [-1.2, 1];
    const r = row([x, y]);
    const sb = 10;
    const J = [
      [1, 0],
      [-2 * sb * x, sb],
    ];
    expectMatClose(
      await fisherMatrix(makeObjective(rosen, null), r),
      pullBack(
        [
          [1, 0],
          [0, 1],
        ],
        J,
      ),
    );
    r.dispose();
  });

  it('through a reparam the Fisher and the empirical Fisher pull back as tensors: F_φ = J_fᵀ F_θ J_f', async () => {
    const maps = [
      affineMap('general', [
        [2, 1],
        [0.5, -3],
      ]),
      cubicMap(2, 0.3),
    ];
    for (const map of maps) {
      const phi = [0.5, -0.8];
      const theta = map.forward64(phi);
      const Jf = map.jacobian64(phi);
      const rp = row(phi);
      const rt = row(theta);
      const th = makeObjective(tiny, null);
      const ph = makeObjective(tiny, map);
      expectMatClose(await fisherMatrix(ph, rp), pullBack(await fisherMatrix(th, rt), Jf), 2e-5);
      expectMatClose(
        await empiricalFisherMatrix(ph, rp),
        pullBack(await empiricalFisherMatrix(th, rt), Jf),
        2e-5,
      );
      rp.dispose();
      rt.dispose();
    }
  });

  it('matrix-free products equal the dense matrices', async () => {
    const obj = makeObjective(gauss, null);
    const r = row([0.4, 0.9]);
    const v = [0.3, -1.7];
    const F = await fisherMatrix(obj, r);
    const f = await fisherFactor(obj, r);
    factorProduct(
      f,
      0.1,
    )(v).forEach((x, i) => expect(x).toBeCloseTo((matVec(F, v)[i] as number) + 0.1 * v[i]!, 4));
    factorDiagonal(f).forEach((d, i) => expect(d).toBeCloseTo(F[i]?.[i] as number, 4));
    const G = await ggnMatrix(obj, r);
    const { J, H } = await ggnParts(obj, r);
    ggnProduct(J, H, 2)(v).forEach((x, i) => expect(x).toBeCloseTo(matVec(G, v)[i] as number, 4));
    const e = await empiricalFisherFactor(obj, r);
    expect(e.U.length).toBe(40);
    r.dispose();
  });

  it('leaves no tensors behind', async () => {
    const obj = makeObjective(tiny, null);
    const r = row([0.4, 0.6]);
    const before = tf.memory().numTensors;
    await fisherMatrix(obj, r);
    await ggnMatrix(obj, r);
    await empiricalFisherMatrix(obj, r);
    expect(tf.memory().numTensors).toBe(before);
    r.dispose();
  });
});

describe('Fisher factor with the fewest rows', () => {
  it('two-class softmax: one row per example, UᵀU/N equal to the C-row factor Σ J_nᵀΛ_nJ_n/N', async () => {
    const { mlp, mlpParams } = await import('../../problems/mlp');
    const { sqrtFisher } = await import('../../problems/likelihood');
    const { outputsAt } = await import('./jacobian');
    const { gram } = await import('../../linalg/dense');
    const problem = mlp(mlpParams.parse({ hidden: [8], n: 30 }), 2);
    const obj = makeObjective(problem, null);
    const r = row([...problem.init]);
    const f = await fisherFactor(obj, r);
    expect(f.rows).toBe(1);
    expect(f.U.length).toBe(problem.N);
    // The full square root M (C×C per example), as before the reduction.
    const full = tf.tidy(() => {
      const M = sqrtFisher(problem.likelihood, outputsAt(obj, r));
      return tf.reshape(tf.matMul(M, outputJacobians(obj, r)), [-1, obj.P]);
    });
    const Ufull = full.arraySync() as Mat;
    expectMatClose(gram(f.U, obj.P, 1 / f.N), gram(Ufull, obj.P, 1 / f.N), 1e-6);
    // The flat factor (ngd) holds the same U, and the backend's float32 UUᵀ for Woodbury
    // (from the layers' activations and U's bias blocks), close to the float64 one.
    const flat = await fisherFactorFlat(obj, r);
    expect([flat.U.rows, flat.U.cols, flat.N, flat.P]).toEqual([problem.N, obj.P, f.N, f.P]);
    expect(rowsOf(flat.U)).toEqual(f.U);
    expect([flat.gram32?.rows, flat.gram32?.cols]).toEqual([problem.N, problem.N]);
    const K64 = f.U.map((a) => f.U.map((b) => a.reduce((s, v, j) => s + v * (b[j] as number), 0)));
    expectMatClose(rowsOf(flat.gram32 as RowMajor), K64, 1e-5);
    tf.dispose([r, full]);
    problem.dispose();
  });

  it('three classes: U = M J per example (C rows each), the batched product of the definition', async () => {
    const { mlp, mlpParams } = await import('../../problems/mlp');
    const { fisherRows } = await import('../../problems/likelihood');
    const { outputsAt } = await import('./jacobian');
    const problem = mlp(mlpParams.parse({ hidden: [4], n: 12, dataset: 'gaussians', classes: 3 }), 2);
    const obj = makeObjective(problem, null);
    const r = row([...problem.init]);
    const f = await fisherFactor(obj, r);
    expect(f.U.length).toBe(3 * problem.N);
    const want = tf.tidy(() =>
      tf.reshape(tf.matMul(fisherRows(problem.likelihood, outputsAt(obj, r)), outputJacobians(obj, r)), [
        -1,
        obj.P,
      ]),
    );
    expectMatClose(f.U, want.arraySync() as Mat, 1e-6);
    tf.dispose([r, want]);
    problem.dispose();
  });

  it('the flat factor’s metric equals the row factor’s: F v, Woodbury (λ > 0), dense (λ = 0)', async () => {
    const { mlp, mlpParams } = await import('../../problems/mlp');
    const problem = mlp(mlpParams.parse({ hidden: [8], n: 30 }), 3);
    const obj = makeObjective(problem, null);
    const r = row([...problem.init]);
    const before = tf.memory().numTensors;
    const [rows, flat] = [
      factorMetric(await fisherFactor(obj, r)),
      factorMetric(await fisherFactorFlat(obj, r)),
    ];
    expect(tf.memory().numTensors).toBe(before);
    const v = Array.from({ length: obj.P }, (_, j) => Math.sin(j + 1));
    const rel = (a: number[], b: number[]): number =>
      Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)))) / Math.max(...b.map(Math.abs));
    expect(rel(flat.apply(v), rows.apply(v))).toBeLessThan(1e-12);
    for (const lambda of [1e-2, 0]) {
      const [a, b] = [flat.solve(v, lambda), rows.solve(v, lambda)];
      expect(a.method).toBe(b.method);
      expect(a.method).toBe(lambda > 0 ? 'woodbury' : b.method);
      expect(rel(a.x, b.x)).toBeLessThan(1e-10);
    }
    r.dispose();
    problem.dispose();
  });
});
