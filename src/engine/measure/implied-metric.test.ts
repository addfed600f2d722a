import { describe, expect, it } from 'vitest';
import { impliedMetric, impliedMetricOfStep, metricFor } from './implied-metric';
import { conditionNumber, symmetricEigenvalues } from './condition';
import { makeRng } from '../random';
import { makeObjective } from '../objective';
import { baseHyper } from '../optimizers/optimizer';
import { momentum } from '../optimizers/momentum';
import { quadraticGrad, quadraticProblem, runSteps } from '../optimizers/first-order-testkit';

/** The unit vector at angle ψ from e₁ in the (e₁, e₂) plane of R^P. */
function atAngle(psi: number, P = 2): number[] {
  return Array.from({ length: P }, (_, i) => (i === 0 ? Math.cos(psi) : i === 1 ? Math.sin(psi) : 0));
}
const e1 = (P = 2): number[] => atAngle(0, P);
const mul = (M: number[][], v: number[]): number[] =>
  M.map((row) => row.reduce((s, a, j) => s + a * (v[j] as number), 0));
const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * (b[i] as number), 0);

describe('implied metric of a step (docs/theory.md §5)', () => {
  it('κ* = (1 + sin ψ)/(1 − sin ψ): 30° → 3, 45° → 5.83, sin ψ = 0.8 → 9, 0° → 1', () => {
    const cases: [number, number][] = [
      [Math.PI / 6, 3],
      [Math.PI / 4, 3 + 2 * Math.SQRT2],
      [Math.asin(0.8), 9],
      [0, 1],
    ];
    for (const [psi, kappa] of cases) {
      const r = impliedMetric(atAngle(psi, 3), e1(3));
      if (!r.descent) throw new Error('expected a descent step');
      expect(r.psi).toBeCloseTo(psi, 12);
      expect(r.kappa).toBeCloseTo(kappa, 10);
    }
    const r45 = impliedMetric(atAngle(Math.PI / 4), e1());
    expect(r45.descent && Number(r45.kappa.toFixed(2))).toBe(5.83);
  });

  it('step length and gradient scale do not matter; u = (θ_k − θ_{k+1}) from two iterates', () => {
    const a = impliedMetric([3, 1], [0.2, 0.4]);
    const b = impliedMetric([30, 10], [2, 4]);
    const c = impliedMetricOfStep([1, 1], [1 - 0.3, 1 - 0.1], [0.2, 0.4]);
    if (!a.descent || !b.descent || !c.descent) throw new Error('expected descent steps');
    expect(b.kappa).toBeCloseTo(a.kappa, 10);
    expect(c.kappa).toBeCloseTo(a.kappa, 10);
  });

  it('uᵀg ≤ 0 is "not a descent step" and gives no number', () => {
    expect(impliedMetric([-1, 0.2], [1, 0])).toEqual({ descent: false, reason: 'ascent' });
    expect(impliedMetric([0, 1], [1, 0])).toEqual({ descent: false, reason: 'orthogonal' });
    expect(impliedMetric([0, 0], [1, 0])).toEqual({ descent: false, reason: 'zero' });
    expect(impliedMetric([1, 0], [0, 0])).toEqual({ descent: false, reason: 'zero' });
    expect(() => metricFor([-1, 0.2], [1, 0])).toThrow(/not a descent step/);
  });

  it('sign descent (Adam’s first step): cos ψ = ‖g‖₁/(√P ‖g‖₂)', () => {
    const g = [0.3, -2, 0.05, 1.1, -0.4];
    const r = impliedMetric(g.map(Math.sign), g);
    if (!r.descent) throw new Error('expected a descent step');
    const l1 = g.reduce((s, v) => s + Math.abs(v), 0);
    expect(r.cosPsi).toBeCloseTo(l1 / (Math.sqrt(g.length) * Math.hypot(...g)), 12);
  });

  it('M = ggᵀ/(gᵀu) + α(I − uuᵀ/uᵀu): M u = g, M is SPD, cond(M) = κ*; α = 1 is no better', () => {
    const rng = makeRng(11);
    let checked = 0;
    for (const P of [2, 3, 5, 8]) {
      for (let trial = 0; trial < 10; trial++) {
        const u = Array.from({ length: P }, () => rng.normal());
        const g = Array.from({ length: P }, () => rng.normal());
        const r = impliedMetric(u, g);
        if (!r.descent) continue;
        const M = metricFor(u, g);
        mul(M, u).forEach((v, i) => expect(v).toBeCloseTo(g[i] as number, 9));
        M.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(M[j]?.[i] as number, 12)));
        expect(symmetricEigenvalues(M)[0]).toBeGreaterThan(0);
        expect(conditionNumber(M) / r.kappa).toBeCloseTo(1, 8);
        expect(conditionNumber(metricFor(u, g, 1))).toBeGreaterThanOrEqual(r.kappa * (1 - 1e-9));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('for any SPD metric F with u = F⁻¹g, κ(F) ≥ κ* (the Kantorovich bound)', () => {
    const rng = makeRng(5);
    for (let trial = 0; trial < 20; trial++) {
      const P = 2 + (trial % 4);
      // F = BBᵀ + 0.1 I, and g = F u, so u = F⁻¹ g without a solve.
      const B = Array.from({ length: P }, () => Array.from({ length: P }, () => rng.normal()));
      const F = B.map((bi, i) => B.map((bj, j) => dot(bi, bj) + (i === j ? 0.1 : 0)));
      const u = Array.from({ length: P }, () => rng.normal());
      const r = impliedMetric(u, mul(F, u));
      if (!r.descent) throw new Error('u = F⁻¹g with F SPD is always a descent step');
      expect(conditionNumber(F)).toBeGreaterThanOrEqual(r.kappa * (1 - 1e-9));
    }
  });

  it('heavy-ball momentum on an ill-conditioned quadratic takes a non-descent step', async () => {
    // L = (1/4)(9θ₀² + 0.01θ₁²): Hessian diag(4.5, 0.005), κ = 900.
    const X = [
      [3, 0],
      [0, 0.1],
    ];
    const y = [0, 0];
    const problem = quadraticProblem(X, y);
    const opt = momentum.create(makeObjective(problem, null), { ...baseHyper, lr: 0.3, momentum: 0.9 }, 1);
    const iterates = (await runSteps(opt, [[1, 1]], 30)).map((rows) => rows[0] as number[]);
    opt.dispose();
    problem.dispose();
    const verdicts = iterates
      .slice(0, -1)
      .map((theta, k) => impliedMetricOfStep(theta, iterates[k + 1] as number[], quadraticGrad(X, y, theta)));
    const first = verdicts[0];
    // The first step is a gradient step: ψ = 0, κ* = 1.
    expect(first?.descent && first.kappa).toBeCloseTo(1, 4);
    const bad = verdicts.findIndex((v) => !v.descent);
    expect(bad).toBeGreaterThan(0);
    expect(verdicts[bad]).toEqual({ descent: false, reason: 'ascent' });
  });
});
