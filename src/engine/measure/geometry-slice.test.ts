/**
 * The geometry on a network's slice (geometry-slice.ts, docs/theory.md §1, §5) against an
 * independent float64 computation for the 2-16-16-1 mlp (P = 337): the dense Fisher
 * F = (1/N) Σ J_nᵀΛ_nJ_n from plain autodiff Jacobians (not the dense fast path) and
 * Λ = diag(p) − ppᵀ, restricted as UᵀFU with ml-matrix, its ellipse's axes and the two
 * steepest-descent directions within the plane to 1e-3 relative — by the Fisher factor and
 * by the outputs' directional derivatives J u, J v (no [N, P] tensor); the implied metric of a step (a gradient step
 * draws UᵀU, κ* = 1; κ* does not depend on how the plane is parametrized).
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { tf, type Tensor2D } from '../tf';
import { createSession, type Session } from '../experiment';
import { parseExperiment } from '../schema';
import { filterNormalizedDirections } from '../landscape/filter-directions';
import { makeProjector } from '../landscape/project';
import { slicePoint, type Slice } from '../landscape/slice';
import { ellipseOf, type Mat2 } from './geometry';
import {
  restrictedFisher,
  sliceFrame,
  sliceGeometryAt,
  sliceGeometryGrid,
  sliceStepMetric,
} from './geometry-slice';

function mlpSession(): Session {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'mlp', dataset: 'spiral' },
    optimizers: [{ id: 'gd', lr: 0.1 }],
    steps: 5,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

/** The dense Fisher at θ in float64 from autodiff Jacobians of the logits and softmax Λ. */
async function denseFisher(s: Session, theta: number[]): Promise<Matrix> {
  const obj = s.objective('theta');
  const { N, C } = s.problem;
  const P = theta.length;
  const tiled = tf.tile(tf.tensor2d([theta]), [N, 1]) as Tensor2D;
  const J: Float32Array[] = [];
  for (let c = 0; c < C; c++) {
    const g = tf.grad((p) => tf.sum(tf.slice(obj.perExampleOutputs(p as Tensor2D), [0, c], [-1, 1])))(tiled);
    J.push((await g.data()) as Float32Array);
    g.dispose();
  }
  const outT = obj.perExampleOutputs(tiled);
  const out = (await outT.data()) as Float32Array;
  outT.dispose();
  tiled.dispose();
  const F = Matrix.zeros(P, P);
  for (let n = 0; n < N; n++) {
    const z = Array.from({ length: C }, (_, c) => out[n * C + c]!);
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, b) => a + b, 0);
    const p = e.map((v) => v / sum);
    const Jn = new Matrix(
      Array.from({ length: C }, (_, c) => Array.from(J[c]!.subarray(n * P, (n + 1) * P))),
    );
    const Lam = new Matrix(p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj)));
    F.add(Jn.transpose().mmul(Lam).mmul(Jn));
  }
  return F.div(N);
}

/** ∇L(θ) by plain autodiff of the mean loss. */
async function plainGradient(s: Session, theta: number[]): Promise<number[]> {
  const obj = s.objective('theta');
  const g = tf.grad((p) => tf.sum(obj.loss(p as Tensor2D)))(tf.tensor2d([theta]));
  const v = Array.from(await g.data());
  g.dispose();
  return v;
}

/** Semi-axes (major first) and unit directions of {δ: δᵀMδ = 1}, by ml-matrix. */
function reference(M: Matrix): { axes: number[]; dirs: number[][] } {
  const evd = new EigenvalueDecomposition(M, { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = vals[0]! <= vals[1]! ? [0, 1] : [1, 0];
  return {
    axes: order.map((k) => 1 / Math.sqrt(vals[k]!)),
    dirs: order.map((k) => [V.get(0, k), V.get(1, k)]),
  };
}

const unit = (v: number[]): number[] => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const distance = (x: number[], y: number[]): number => Math.hypot(...x.map((v, i) => v - y[i]!));

/** A deliberately non-orthonormal slice: filter-normalized directions, v tilted towards u. */
function skewSlice(s: Session, centre: number[]): Slice {
  const base = filterNormalizedDirections(centre, s.problem.layers, 3);
  const d2 = base.d2.map((x, i) => x + 0.6 * base.d1[i]!);
  return { ...base, d2 };
}

describe('geometry on a network slice', () => {
  it('UᵀFU’s ellipse and the steepest-descent directions in the plane match a dense float64 Fisher', async () => {
    const s = mlpSession();
    try {
      await s.advance(2);
      const centre = toRows(s.runs[0]!.theta)[0]!;
      const slice = skewSlice(s, centre);
      const frame = sliceFrame(slice);
      const theta = toRows(s.runs[0]!.theta)[2]!; // off the plane: answered at θ, drawn at its projection
      const U = new Matrix([Array.from(slice.d1), Array.from(slice.d2)]).transpose();
      const F = await denseFisher(s, theta);
      const Fs = U.transpose().mmul(F).mmul(U);
      const G = U.transpose().mmul(U);
      const gs = U.transpose().mmul(Matrix.columnVector(await plainGradient(s, theta)));
      const ref = reference(Fs);
      const euclid = unit(solve(G, gs).to1DArray());
      const natural = unit(solve(Fs, gs).to1DArray());
      // The directions of G and F_s differ enough here that the comparison means something.
      expect(1 - Math.abs(euclid[0]! * natural[0]! + euclid[1]! * natural[1]!)).toBeGreaterThan(1e-2);
      expect(ref.axes[0]! / ref.axes[1]!).toBeGreaterThan(1.05);

      const answer = await sliceGeometryAt(s, frame, theta);
      expect(answer.note).toBeUndefined();
      const proj = makeProjector(slice)([theta]).coords;
      expect(distance(answer.at, [proj[0]!, proj[1]!])).toBeLessThan(1e-12);
      expect(answer.euclidean).toEqual(frame.gram);
      for (const [label, Mx] of [
        ['factor', answer.fisher!],
        ['directional', await restrictedFisher(s.objective('theta'), theta, frame, 0)],
      ] as [string, Mat2][]) {
        const e = ellipseOf(Mx, [0, 0], 1)!;
        for (const k of [0, 1]) {
          expect(Math.abs(e.axes[k]! - ref.axes[k]!) / ref.axes[k]!, `${label} axis ${k}`).toBeLessThan(1e-3);
          const cos = Math.abs(
            e.directions[k]![0]! * ref.dirs[k]![0]! + e.directions[k]![1]! * ref.dirs[k]![1]!,
          );
          expect(1 - cos, `${label} direction ${k}`).toBeLessThan(1e-3);
        }
      }
      expect(distance(unit(answer.steepest!), euclid)).toBeLessThan(1e-3);
      expect(distance(unit(answer.natural!), natural)).toBeLessThan(1e-3);
    } finally {
      s.dispose();
    }
  });

  it('the implied metric: a gradient step draws UᵀU (κ* = 1); κ* does not depend on the plane’s coordinates', async () => {
    const s = mlpSession();
    try {
      const centre = toRows(s.runs[0]!.theta)[0]!;
      const slice = skewSlice(s, centre);
      const frame = sliceFrame(slice);
      const theta = slicePoint(slice, 0.2, -0.1);
      const g = await plainGradient(s, theta);
      const gs = [0, 1].map((k) => g.reduce((t, x, i) => t + x * (k ? slice.d2 : slice.d1)[i]!, 0));
      // A gradient step in the plane: the Euclidean steepest descent (UᵀU)⁻¹Uᵀg, carried to θ.
      const G = new Matrix(frame.gram);
      const d = solve(G, Matrix.columnVector(gs)).to1DArray();
      const next = theta.map((t, i) => t - 0.05 * (d[0]! * slice.d1[i]! + d[1]! * slice.d2[i]!));
      const gd = sliceStepMetric(frame, theta, next, gs);
      expect(gd.ok).toBe(true);
      if (!gd.ok) return;
      expect(gd.kappa).toBeLessThan(1 + 1e-6);
      const ratio = gd.metric[0]![0]! / frame.gram[0]![0]!;
      for (const [i, j] of [
        [0, 0],
        [0, 1],
        [1, 1],
      ] as const)
        expect(
          Math.abs(gd.metric[i]![j]! - ratio * frame.gram[i]![j]!) / Math.abs(ratio * frame.gram[0]![0]!),
        ).toBeLessThan(1e-6);

      // Another step (off the plane too), seen through two parametrizations of the same plane.
      const drift = filterNormalizedDirections(centre, s.problem.layers, 11).d1;
      const other = theta.map((t, i) => t - 0.03 * (slice.d1[i]! - 0.4 * slice.d2[i]!) + 0.01 * drift[i]!);
      const a = sliceStepMetric(frame, theta, other, gs);
      const A = [
        [2, 0.5],
        [-0.3, 1.5],
      ];
      const U2: Slice = {
        ...slice,
        d1: slice.d1.map((x, i) => A[0]![0]! * x + A[1]![0]! * slice.d2[i]!),
        d2: slice.d1.map((x, i) => A[0]![1]! * x + A[1]![1]! * slice.d2[i]!),
      };
      const frame2 = sliceFrame(U2);
      const gs2 = [0, 1].map((k) => g.reduce((t, x, i) => t + x * (k ? U2.d2 : U2.d1)[i]!, 0));
      const b = sliceStepMetric(frame2, theta, other, gs2);
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.kappa).toBeGreaterThan(1.01);
      expect(Math.abs(a.kappa - b.kappa) / a.kappa).toBeLessThan(1e-9);
      // The secant condition in slice coordinates: M Δ(a, b) = Uᵀg.
      const proj = makeProjector(slice);
      const c0 = proj([theta]).coords;
      const c1 = proj([other]).coords;
      const du = [c0[0]! - c1[0]!, c0[1]! - c1[1]!];
      const Mu = a.metric.map((row) => row[0]! * du[0]! + row[1]! * du[1]!);
      expect(distance(Mu, gs) / Math.hypot(...gs)).toBeLessThan(1e-9);
    } finally {
      s.dispose();
    }
  });

  it('the grid: n² cell centres of the window, each with UᵀFU at c + a·u + b·v', async () => {
    const s = mlpSession();
    try {
      const slice = skewSlice(s, toRows(s.runs[0]!.theta)[0]!);
      const frame = sliceFrame(slice);
      const grid = await sliceGeometryGrid(
        s,
        frame,
        [
          [-1, 1],
          [0, 2],
        ],
        2,
      );
      expect(grid.map((p) => p.at)).toEqual([
        [-0.5, 0.5],
        [0.5, 0.5],
        [-0.5, 1.5],
        [0.5, 1.5],
      ]);
      const direct = await restrictedFisher(s.objective('theta'), slicePoint(slice, 0.5, 1.5), frame);
      expect(grid[3]!.fisher).toEqual(direct);
      let asked = 0;
      const stopped = await sliceGeometryGrid(
        s,
        frame,
        [
          [-1, 1],
          [0, 2],
        ],
        2,
        () => ++asked <= 1,
      );
      expect(stopped).toHaveLength(1);
    } finally {
      s.dispose();
    }
  });
});
