/**
 * weight-norm in sessions: φ-objectives have Q = P + Σ outputs coordinates, the paired
 * runs go end to end, and NGD with the pseudo-inverse of the singular F_φ = JᵀFJ is
 * natural to first order. For a surjective J (rank P), J·pinv(JᵀFJ)·Jᵀ = F⁻¹: the pushed
 * φ-step equals the θ-step up to O(η²) per step, so over a fixed horizon T = Kη the
 * defect shrinks like η (docs/theory.md §4); GD follows another flow and its defect does not.
 */
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { tf } from '../tf';
import { createProblem, createSession } from '../experiment';
import { gradient, makeObjective } from '../objective';
import { parseExperiment, type Experiment, type ExperimentInput } from '../schema';
import { createReparam } from './index';
import { makeRng } from '../random';
import { solveSymmetric } from '../linalg/solve';
import { parameterDefect } from '../measure/defect';

/** 1-3-1 tanh net on 32 training points of `sine`: P = 10, Q = 14, F_θ full rank (N = 32). */
const base = (over: Partial<ExperimentInput> = {}): Experiment => {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'mlp', dataset: 'sine', hidden: [3], n: 40, activation: 'tanh' },
    reparam: { id: 'weight-norm' },
    optimizers: [{ id: 'gd', lr: 0.05 }],
    steps: 10,
    seed: 3,
    ...over,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
};

describe('weight-norm objectives and sessions', () => {
  it('a φ-objective has Q coordinates per row, a θ-objective P; the gradient is [B, Q]', () => {
    const problem = createProblem(base());
    const map = createReparam({ id: 'weight-norm' }, problem.P, 0, problem.layers);
    expect([problem.P, map.Q]).toEqual([10, 14]);
    expect(makeObjective(problem, null).P).toBe(10);
    const obj = makeObjective(problem, map);
    expect(obj.P).toBe(14);
    const phi = tf.tensor2d([map.inverse64([...problem.init]), map.inverse64([...problem.init])]);
    const g = tf.tidy(() => gradient(obj, phi));
    expect(g.shape).toEqual([2, 14]);
    // L∘f is constant along each v_j-ray, so the gradient is orthogonal to v_j (Euler).
    const gv = g.arraySync()[0] as number[];
    const p = phi.arraySync()[0] as number[];
    // φ: layer 1 (1 input, 3 units) V = φ[0..2], b = φ[3..5], g = φ[6..8]; layer 2's unit: v = φ[9..11].
    expect(Math.abs((gv[0] as number) * (p[0] as number))).toBeLessThan(1e-6);
    const dot = [9, 10, 11].reduce((s, i) => s + (gv[i] as number) * (p[i] as number), 0);
    expect(Math.abs(dot)).toBeLessThan(1e-6);
    [phi, g].forEach((t) => t.dispose());
    problem.dispose();
  });

  it('a paired session runs end to end: φ rows have Q numbers, θ rows P, θ̃ = f(φ)', async () => {
    const ex = base({
      optimizers: [
        { id: 'gd', lr: 0.05 },
        { id: 'momentum', lr: 0.05 },
        { id: 'adam', lr: 0.01 },
        { id: 'ngd', lr: 0.05 },
        { id: 'ggn' },
        { id: 'newton' },
        { id: 'diag-fisher' },
        { id: 'empirical-fisher' },
        { id: 'hessian-free' },
      ],
    });
    const session = createSession(ex);
    await session.advance(10);
    expect(session.step).toBe(10);
    for (const r of session.runs) {
      expect(r.status, r.id).toBe('ok');
      expect(r.theta).toHaveLength(11);
      const theta = toRows(r.theta);
      expect(theta.every((t) => t.length === 10)).toBe(true);
      if (r.space === 'phi') {
        const phi = r.phi ? toRows(r.phi) : undefined;
        expect(phi?.every((q) => q.length === 14)).toBe(true);
        const last = phi?.[10] as number[];
        const pushed = session.reparam.forward64(last);
        const err = Math.max(...pushed.map((v, i) => Math.abs(v - ((theta[10] as number[])[i] as number))));
        const scale = 1 + Math.max(...pushed.map(Math.abs));
        expect(err / scale, r.id).toBeLessThan(1e-5);
      }
    }
    const before = tf.memory().numTensors;
    await session.advance(1);
    expect(tf.memory().numTensors).toBe(before);
    session.dispose();
  });

  it('K-FAC in φ is refused with a message naming the optimizer', () => {
    const ex = base({ optimizers: [{ id: 'gd' }, { id: 'kfac' }] });
    expect(() => createSession(ex)).toThrow(/^optimizers\.1: kfac cannot run in φ under weight-norm/);
  });

  it('a start point with a dead unit, and a problem without layers, are refused by name', () => {
    const init = [...createInit()];
    // Layer 2 (3 inputs, 1 output) starts at 6: its only unit's weights are θ[6..8].
    init[6] = init[7] = init[8] = 0;
    expect(() => createSession(base({ init }))).toThrow(
      /^init: weight-norm: layer 2, unit 0 has incoming weights/,
    );
    expect(() => createSession(base({ problem: { id: 'gaussian-fit' } }))).toThrow(
      /^weight-norm: needs a network problem/,
    );
  });
});

function createInit(): readonly number[] {
  const problem = createProblem(base());
  const init = [...problem.init];
  problem.dispose();
  return init;
}

describe('weight-norm naturality', () => {
  it('J·pinv(JᵀFJ)·Jᵀ = F⁻¹ for the map’s J and a random SPD F (the solve takes the pseudo-inverse)', () => {
    const problem = createProblem(base());
    const map = createReparam({ id: 'weight-norm' }, problem.P, 0, problem.layers);
    problem.dispose();
    const [P, Q] = [map.P, map.Q];
    const rng = makeRng(5);
    const phi = Array.from({ length: Q }, () => rng.uniform(-2, 2));
    const J = map.jacobian64(phi);
    const A = Array.from({ length: P }, () => Array.from({ length: P }, () => rng.normal()));
    // F = AAᵀ/P + 0.1 I: SPD, moderately conditioned.
    const F = A.map((r, i) =>
      A.map((s, j) => r.reduce((t, v, k) => t + v * (s[k] as number), 0) / P + (i === j ? 0.1 : 0)),
    );
    const g = Array.from({ length: P }, () => rng.normal());
    const Jt = (v: readonly number[]): number[] =>
      Array.from({ length: Q }, (_, c) =>
        J.reduce((t, row, r) => t + (row[c] as number) * (v[r] as number), 0),
      );
    // F_φ = JᵀFJ (Q×Q, rank P), symmetrized against rounding.
    const FJ = Array.from({ length: Q }, (_, c) =>
      Jt(F.map((row) => row.reduce((t, v, k) => t + v * ((J[k] as number[])[c] as number), 0))),
    );
    const Fphi = FJ.map((r, i) => r.map((v, j) => 0.5 * (v + ((FJ[j] as number[])[i] as number))));
    const solved = solveSymmetric(Fphi, Jt(g));
    expect(solved.method).toBe('pinv');
    const pushed = J.map((row) => row.reduce((t, v, c) => t + v * (solved.x[c] as number), 0));
    const natural = solveSymmetric(F, g).x;
    const err = Math.max(...pushed.map((v, i) => Math.abs(v - (natural[i] as number))));
    console.log(`J·pinv(JᵀFJ)·Jᵀg vs F⁻¹g: max error ${err.toExponential(2)}`);
    expect(err).toBeLessThan(1e-8 * Math.max(...natural.map(Math.abs)));
  });

  /**
   * 2-1-1 tanh net on `gaussians` (P = 5, Q = 7; F_θ's eigenvalues 6e-5 … 0.37 at the start —
   * wider nets here have κ(F_θ) ≳ 1e8 and undamped NGD jumps about in θ itself). NGD: horizon
   * T = 0.2 at η = 0.02, 0.01, 0.005; GD: η' = 10η (T = 2), so that both paths are of order 1.
   * Returns D_K and the θ-run's displacement ‖θ_K − θ_0‖ of each.
   */
  async function measure(lr: number): Promise<{ ngd: [number, number]; gd: [number, number] }> {
    const steps = Math.round(0.2 / lr);
    const ex = base({
      problem: { id: 'mlp', dataset: 'gaussians', hidden: [1], n: 40, activation: 'tanh' },
      optimizers: [
        { id: 'ngd', lr, damping: { type: 'none', value: 0 } },
        { id: 'gd', lr: 10 * lr },
      ],
      steps,
    });
    const session = createSession(ex);
    try {
      await session.advance(steps);
      const pair = (i: number): [number, number] => {
        const rows = (space: string): number[][] => {
          const r = session.runs.find((x) => x.optimizer === i && x.space === space);
          return r ? toRows(r.theta) : [];
        };
        const [th, ph] = [rows('theta'), rows('phi')];
        const [first, last] = [th[0] ?? [], th[th.length - 1] ?? []];
        return [parameterDefect(th, ph), Math.hypot(...last.map((v, j) => v - (first[j] as number)))];
      };
      return { ngd: pair(0), gd: pair(1) };
    } finally {
      session.dispose();
    }
  }

  it('paired NGD has defect O(η) over a fixed horizon (→ 0), paired GD does not shrink', async () => {
    const m = [await measure(0.02), await measure(0.01), await measure(0.005)];
    const ngd = m.map((r) => r.ngd[0]);
    const gd = m.map((r) => r.gd[0]);
    console.log('weight-norm D_K (η = 0.02, 0.01, 0.005; GD at 10η):', JSON.stringify(m));
    // Halving η halves NGD's defect (slope ≈ 1); GD's stays put.
    for (const k of [1, 2]) {
      expect((ngd[k] as number) / (ngd[k - 1] as number)).toBeGreaterThan(0.3);
      expect((ngd[k] as number) / (ngd[k - 1] as number)).toBeLessThan(0.65);
      expect((gd[k] as number) / (gd[k - 1] as number)).toBeGreaterThan(0.9);
    }
    // At the smallest η, relative to how far each run went: NGD ≲ 1%, GD ≳ 5%.
    const last = m[2] as { ngd: [number, number]; gd: [number, number] };
    expect(last.ngd[0] / last.ngd[1]).toBeLessThan(0.01);
    expect(last.gd[0] / last.gd[1]).toBeGreaterThan(0.05);
  }, 20000);
});
