/**
 * The drawn geometry (docs/theory.md §1, §5) against an independent eigen-decomposition
 * (ml-matrix's): ellipse axes of a metric, the Fisher in θ and pulled back to φ on the
 * Gaussian fit (closed form diag(1/σ², 2/σ²), and JᵀFJ = diag(1/σ², 2) for σ = e^s), and the
 * implied metric of a step (M u = g; a circle for a gradient step).
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { createSession, type Session } from '../experiment';
import { parseExperiment, type ExperimentInput } from '../schema';
import { makeRng } from '../random';
import { conditionNumber } from './condition';
import { eigen2, ellipseOf, pullback, solve2, stepMetric, type Mat2 } from './geometry';
import { geometryAt, geometryGrid } from './geometry-at';

/** Semi-axes (major first) and unit directions of {δ: δᵀMδ = c} from ml-matrix's eigen-solver. */
function reference(M: Mat2, c: number): { axes: number[]; dirs: number[][] } {
  const evd = new EigenvalueDecomposition(new Matrix(M), { assumeSymmetric: true });
  const vals = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = vals[0]! <= vals[1]! ? [0, 1] : [1, 0];
  return {
    axes: order.map((k) => Math.sqrt(c / vals[k]!)),
    dirs: order.map((k) => [V.get(0, k), V.get(1, k)]),
  };
}

/** Axes to 1e-12 relative, directions equal up to sign. */
function expectSameEllipse(M: Mat2, c: number, tol = 1e-12): void {
  const e = ellipseOf(M, [0, 0], c);
  expect(e).not.toBeNull();
  const ref = reference(M, c);
  for (const k of [0, 1]) {
    expect(Math.abs(e!.axes[k]! - ref.axes[k]!) / ref.axes[k]!).toBeLessThan(tol);
    const dot = e!.directions[k]![0]! * ref.dirs[k]![0]! + e!.directions[k]![1]! * ref.dirs[k]![1]!;
    if (Math.abs(ref.axes[0]! - ref.axes[1]!) > 1e-9 * ref.axes[0]!) expect(Math.abs(dot)).toBeCloseTo(1, 10);
  }
  // Every point of the drawn ellipse satisfies δᵀMδ = c.
  for (let t = 0; t < 2 * Math.PI; t += 0.3) {
    const d = [0, 1].map(
      (i) =>
        e!.axes[0]! * Math.cos(t) * e!.directions[0]![i]! + e!.axes[1]! * Math.sin(t) * e!.directions[1]![i]!,
    );
    const q =
      d[0]! * (M[0]![0]! * d[0]! + M[0]![1]! * d[1]!) + d[1]! * (M[1]![0]! * d[0]! + M[1]![1]! * d[1]!);
    // The form's round-off grows with κ(M).
    expect(Math.abs(q - c) / c).toBeLessThan(1e-9 + 1e-15 * conditionNumber(M));
  }
}

function session(input: Partial<ExperimentInput>): Session {
  const parsed = parseExperiment({ version: 1, steps: 10, ...input });
  if (!parsed.ok) throw new Error(parsed.error);
  return createSession(parsed.experiment);
}

describe('ellipses of 2×2 metrics', () => {
  it('match an independent eigen-decomposition for random SPD matrices, up to κ = 1e8', () => {
    const rng = makeRng(7);
    for (let n = 0; n < 200; n++) {
      const t = rng.uniform(0, Math.PI);
      const lo = 10 ** rng.uniform(-4, 0);
      const hi = lo * 10 ** rng.uniform(0, 8);
      const [c, s] = [Math.cos(t), Math.sin(t)];
      const M = [
        [hi * c * c + lo * s * s, (hi - lo) * c * s],
        [(hi - lo) * c * s, hi * s * s + lo * c * c],
      ];
      expectSameEllipse(M, rng.uniform(0.1, 10), 1e-6 * Math.max(1, conditionNumber(M) / 1e4));
      const ev = eigen2(M).values;
      expect(Math.abs(ev[0] - lo) / lo).toBeLessThan(1e-7 * (hi / lo) ** 0.5 + 1e-12);
    }
  });

  it('a singular or indefinite metric has no ellipse and no solve', () => {
    expect(
      ellipseOf(
        [
          [1, 1],
          [1, 1],
        ],
        [0, 0],
      ),
    ).toBeNull();
    expect(
      ellipseOf(
        [
          [1, 0],
          [0, -1],
        ],
        [0, 0],
      ),
    ).toBeNull();
    expect(
      ellipseOf(
        [
          [1, 0],
          [0, NaN],
        ],
        [0, 0],
      ),
    ).toBeNull();
    expect(
      solve2(
        [
          [2, 0],
          [0, 0],
        ],
        [1, 1],
      ),
    ).toBeNull();
    expect(
      solve2(
        [
          [2, 1],
          [1, 3],
        ],
        [1, 2],
      ),
    ).toEqual([0.2, 0.6]);
  });

  it('pullback is JᵀFJ (against ml-matrix products)', () => {
    const F = [
      [3, 0.5],
      [0.5, 1],
    ];
    const J = [
      [0.2, -1.3],
      [2, 0.7],
    ];
    const ref = new Matrix(J).transpose().mmul(new Matrix(F)).mmul(new Matrix(J)).to2DArray();
    const got = pullback(F, J);
    for (const i of [0, 1]) for (const j of [0, 1]) expect(got[i]![j]).toBeCloseTo(ref[i]![j]!, 12);
  });
});

describe('the implied metric of a step', () => {
  it('a gradient step gives a circle; any descent step gives M u = g with condition number κ*', () => {
    const g = [3, -1];
    const gd = stepMetric([1, 1], [1 - 0.1 * 3, 1 + 0.1], g);
    expect(gd.ok).toBe(true);
    if (!gd.ok) return;
    const e = ellipseOf(gd.metric, [1, 1])!;
    expect(e.axes[0] / e.axes[1]).toBeCloseTo(1, 6);
    const rng = makeRng(11);
    for (let n = 0; n < 100; n++) {
      const before = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
      const gr = [rng.uniform(-2, 2), rng.uniform(-2, 2)];
      const after = [
        before[0]! - rng.uniform(0.01, 0.5) * gr[0]! + rng.uniform(-0.1, 0.1),
        before[1]! - 0.2 * gr[1]!,
      ];
      const s = stepMetric(before, after, gr);
      const u = [before[0]! - after[0]!, before[1]! - after[1]!];
      if (u[0]! * gr[0]! + u[1]! * gr[1]! <= 0) {
        expect(s.ok).toBe(false);
        continue;
      }
      expect(s.ok).toBe(true);
      if (!s.ok) continue;
      const Mu = s.metric.map((row) => row[0]! * u[0]! + row[1]! * u[1]!);
      expect(Mu[0]).toBeCloseTo(gr[0]!, 9);
      expect(Mu[1]).toBeCloseTo(gr[1]!, 9);
      const ref = reference(s.metric, 1);
      expect((ref.axes[0]! / ref.axes[1]!) ** 2 / s.kappa).toBeCloseTo(1, 8);
    }
  });

  it('an uphill step and a step within round-off are reported, not drawn', () => {
    expect(stepMetric([0, 0], [1, 0], [1, 0])).toEqual({
      ok: false,
      note: 'no implied metric: the step is uphill',
    });
    const tiny = stepMetric([1, 1], [1, 1 + 2 ** -24], [1, 0]);
    expect(tiny.ok).toBe(false);
  });
});

describe('geometryAt: the Fisher in θ and in φ on the Gaussian fit (σ = e^s)', () => {
  it('θ: diag(1/σ², 2/σ²); φ: JᵀFJ = diag(1/σ², 2); ellipses as ml-matrix has them', async () => {
    const s = session({
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      optimizers: [{ id: 'ngd', lr: 0.1 }],
    });
    try {
      for (const [mu, sigma] of [
        [-1, 2],
        [0.5, 0.3],
        [1, 1.7],
      ] as [number, number][]) {
        const t = await geometryAt(s, 'theta', [mu, sigma]);
        const F = t.fisher!;
        // Float32 derivatives, float64 assembly: agreement to float32 precision.
        expect(Math.abs(F[0]![0]! * sigma * sigma - 1)).toBeLessThan(1e-5);
        expect(Math.abs(F[1]![1]! * sigma * sigma - 2)).toBeLessThan(1e-5);
        expect(Math.abs(F[0]![1]!)).toBeLessThan(1e-5 / sigma ** 2);
        expectSameEllipse(F, 1);
        const p = await geometryAt(s, 'phi', [mu, Math.log(sigma)]);
        const G = p.fisher!;
        expect(Math.abs(G[0]![0]! * sigma * sigma - 1)).toBeLessThan(1e-5);
        expect(Math.abs(G[1]![1]! / 2 - 1)).toBeLessThan(1e-5);
        expectSameEllipse(G, 1);
        // The natural gradient is the same vector carried by the map: n_θ = J n_φ.
        expect(p.natural![1]! * sigma).toBeCloseTo(t.natural![1]!, 5);
        expect(p.natural![0]!).toBeCloseTo(t.natural![0]!, 5);
      }
      // Outside the domain (σ ≤ 0): a note, no exception.
      const out = await geometryAt(s, 'theta', [0, -1], [0, -0.9]);
      expect(out.fisher).toBeNull();
      expect(out.implied).toBeNull();
      expect(out.note).toMatch(/domain/);
    } finally {
      s.dispose();
    }
  });

  it('the grid carries each θ point to f⁻¹(θ) in φ, skipping none inside the image', async () => {
    const s = session({
      problem: { id: 'gaussian-fit' },
      reparam: { id: 'exp', coords: [1] },
      optimizers: [{ id: 'gd', lr: 0.1 }],
    });
    try {
      const g = await geometryGrid(
        s,
        [
          [-2, 2],
          [0.5, 2.5],
        ],
        3,
        true,
      );
      expect(g.theta).toHaveLength(9);
      expect(g.phi).toHaveLength(9);
      for (const [k, t] of g.theta.entries()) {
        const p = g.phi[k]!;
        expect(p.at[1]).toBeCloseTo(Math.log(t.at[1]!), 12);
        expect(p.fisher).not.toBeNull();
      }
    } finally {
      s.dispose();
    }
  });

  it('grid points outside the map’s image are skipped in φ with a note, not thrown', async () => {
    // θ₁ = e^{φ₁} > 0: the left half of the quadratic's window has no preimage.
    const s = session({
      problem: { id: 'quadratic', cond: 100, angle: 30 },
      reparam: { id: 'exp', coords: [0] },
      optimizers: [{ id: 'gd', lr: 0.01 }],
      init: [1, 1],
    });
    try {
      const g = await geometryGrid(
        s,
        [
          [-2, 2],
          [-2, 2],
        ],
        4,
        true,
      );
      expect(g.theta.every((p) => p.fisher !== null)).toBe(true);
      const skipped = g.phi.filter((p) => p.fisher === null);
      expect(skipped).toHaveLength(8);
      for (const p of skipped) expect(p.note).toMatch(/image of the map|domain/);
      expect(g.phi.filter((p) => p.fisher !== null)).toHaveLength(8);
    } finally {
      s.dispose();
    }
  });

  it('NGD steps: the implied metric explains the step, and κ* ≤ κ(F)', async () => {
    const s = session({
      problem: { id: 'quadratic', cond: 100, angle: 30 },
      optimizers: [{ id: 'ngd', lr: 0.1 }],
    });
    try {
      await s.advance(3);
      const pts = toRows(s.runs[0]!.theta);
      const r = await geometryAt(s, 'theta', pts[1]!, pts[2]!);
      expect(r.implied).not.toBeNull();
      expect(r.implied!.kappa).toBeLessThanOrEqual(conditionNumber(r.fisher!) * (1 + 1e-6));
    } finally {
      s.dispose();
    }
  });
});
