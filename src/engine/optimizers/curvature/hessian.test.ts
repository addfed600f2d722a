import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../../tf';
import { gradient, makeObjective, type Objective } from '../../objective';
import { gaussianFit, gaussianFitParams } from '../../problems/gaussian-fit';
import { tinyNet, tinyNetParams } from '../../problems/tiny-net';
import { rosenbrock, rosenbrockParams } from '../../problems/rosenbrock';
import { cubicMap } from '../../reparam/cubic';
import type { Mat } from '../../linalg/dense';
import { hessianMatrix } from './hessian';

/** Central differences of the backend gradient: column j = (g(p + h e_j) − g(p − h e_j))/2h. */
function fdHessian(obj: Objective, p: number[], h: number): Mat {
  const P = p.length;
  const rows: number[][] = [];
  for (let j = 0; j < P; j++) {
    rows.push(p.map((v, i) => (i === j ? v + h : v)));
    rows.push(p.map((v, i) => (i === j ? v - h : v)));
  }
  const g = tf.tidy(() => gradient(obj, tf.tensor2d(rows) as Tensor2D).arraySync());
  // H[i][j] = ∂g_i/∂p_j.
  return p.map((_, i) =>
    p.map((__, j) => ((g[2 * j]?.[i] as number) - (g[2 * j + 1]?.[i] as number)) / (2 * h)),
  );
}

async function hessianAt(obj: Objective, p: number[]): Promise<Mat> {
  const r = tf.tensor2d([p]) as Tensor2D;
  const H = await hessianMatrix(obj, r);
  r.dispose();
  return H;
}

function expectClose(got: Mat, want: Mat, rel: number): void {
  const scale = Math.max(1, ...want.flat().map(Math.abs));
  want.forEach((r, i) =>
    r.forEach((v, j) => expect(Math.abs((got[i]?.[j] ?? NaN) - v) / scale).toBeLessThan(rel)),
  );
}

describe('exact Hessian by the batched-row trick', () => {
  const tiny = tinyNet(tinyNetParams.parse({ noise: 0.1 }), 3);
  const gauss = gaussianFit(gaussianFitParams.parse({ n: 40 }), 5);
  const rosen = rosenbrock(rosenbrockParams.parse({}));
  afterAll(() => [tiny, gauss, rosen].forEach((p) => p.dispose()));

  const cases: [string, () => Objective, number[][]][] = [
    [
      'tiny-net',
      () => makeObjective(tiny, null),
      [
        [0.4, 0.6],
        [1.3, -0.7],
      ],
    ],
    [
      'gaussian-fit',
      () => makeObjective(gauss, null),
      [
        [0.3, 1.2],
        [-1, 2],
      ],
    ],
    [
      'rosenbrock',
      () => makeObjective(rosen, null),
      [
        [-1.2, 1],
        [0.5, 0.1],
      ],
    ],
    [
      'tiny-net through cubicMap(2, 0.3)',
      () => makeObjective(tiny, cubicMap(2, 0.3)),
      [
        [0.4, 0.6],
        [-0.9, 1.1],
      ],
    ],
  ];
  for (const [name, make, points] of cases) {
    it(`${name}: matches finite differences of the gradient`, async () => {
      const obj = make();
      for (const p of points) expectClose(await hessianAt(obj, p), fdHessian(obj, p, 1e-2), 2e-3);
    });
  }

  it('obeys the transformation law H_φ = J_fᵀ H_θ J_f + Σ_i (g_θ)_i ∇²f_i for the cubic map', async () => {
    const map = cubicMap(2, 0.3);
    const phi = [0.5, 0.9];
    const theta = map.forward64(phi);
    const Hphi = await hessianAt(makeObjective(tiny, map), phi);
    const Htheta = await hessianAt(makeObjective(tiny, null), theta);
    const g = tf.tidy(
      () => gradient(makeObjective(tiny, null), tf.tensor2d([theta]) as Tensor2D).arraySync()[0]!,
    );
    const Jf = map.jacobian64(phi);
    const want = phi.map((_, a) =>
      phi.map((__, b) => {
        let s = 0;
        for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += Jf[i]![a]! * Htheta[i]![j]! * Jf[j]![b]!;
        // ∇²f_i = 6·0.3·φ_i on the diagonal entry (i, i) only.
        return s + (a === b ? g[a]! * 6 * 0.3 * phi[a]! : 0);
      }),
    );
    expectClose(Hphi, want, 1e-4);
  });

  it('leaves no tensors behind', async () => {
    const obj = makeObjective(tiny, cubicMap(2, 0.3));
    await hessianAt(obj, [0.4, 0.6]);
    const before = tf.memory().numTensors;
    await hessianAt(obj, [0.4, 0.6]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
