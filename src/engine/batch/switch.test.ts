/**
 * "Change coordinates at step k" (experiment `switchAt`, docs/experiment-format.md), measured on sessions:
 * (a) up to step k the switch run is the θ-run, bit for bit, for every optimizer;
 * (b) after k, NGD with a small learning rate stays with its θ-run (naturality) under a
 *     nonlinear map, GD departs;
 * (c) heavy ball with the velocity transported by J⁻¹ under an affine map θ = Aφ: the
 *     φ-step is Δθ = −η(μ v + A Aᵀ g), so a rotation continues the θ-run exactly (to
 *     float32 round-off) while a scaling D changes exactly the gradient term, by
 *     −η(D² − I)g(θ_k) at the first step after k; Adam under a signed permutation continues
 *     exactly with the 'diagonal' second-moment policy, not with 'reset';
 * (d) a session with switch runs leaks no tensors; bad settings are refused clearly;
 * (e) a switch that fails says why in plain words (`RunResult.failure`): θ_k outside the
 *     image of f, or a transported state that is not finite (J singular); only that run stops.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { createProblem, createSession, type RunResult } from '../experiment';
import { gradient, makeObjective } from '../objective';
import { optimizerDef, optimizers } from '../optimizers';
import type { OptimizerId } from '../optimizers/ids';
import { resolveHyper } from '../optimizers/optimizer';
import { createReparam } from '../reparam';
import { parseExperiment, type ExperimentInput } from '../schema';
import { createSwitchGroup } from './switch';
import { withRows, type WithRows } from '../trajectory';

/** A finished run's record with its points as rows. */
type Rows = WithRows<RunResult>;

const ids = Object.keys(optimizers) as OptimizerId[];

function experiment(input: Partial<ExperimentInput>) {
  const res = parseExperiment({ version: 1, problem: { id: 'tiny-net' }, seed: 1, ...input });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

async function finished(input: Partial<ExperimentInput>): Promise<Rows[]> {
  const session = createSession(experiment(input));
  try {
    while (!session.done) await session.advance(50);
    return session.runs.map((r) => withRows(r));
  } finally {
    session.dispose();
  }
}

const dist = (a: readonly number[], b: readonly number[]): number =>
  Math.hypot(...a.map((v, i) => v - (b[i] as number)));

/** The θ-run and switch run of optimizer `o`. */
function pair(runs: Rows[], o: number): { theta: Rows; sw: Rows } {
  const theta = runs.find((r) => r.optimizer === o && r.space === 'theta');
  const sw = runs.find((r) => r.optimizer === o && r.space === 'switch');
  if (!theta || !sw) throw new Error(`runs of optimizer ${o} missing`);
  return { theta, sw };
}

/** Largest ‖θ_switch − θ_theta‖ over steps from..end. */
const apart = (p: { theta: Rows; sw: Rows }, from: number): number =>
  Math.max(...p.sw.theta.slice(from).map((t, i) => dist(t, p.theta.theta[from + i] as number[])));

describe('switch runs', () => {
  it('(a) equal the θ-run bit for bit up to step k, for every optimizer', async () => {
    const k = 4;
    const runs = await finished({
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: ids.map((id) => ({ id })),
      steps: 7,
      switchAt: { step: k },
    });
    ids.forEach((id, o) => {
      const p = pair(runs, o);
      expect(p.sw.id).toBe(`${id}-${o}-switch`);
      expect(p.sw.switchAt).toBe(k);
      expect(p.sw.status, id).toBe('ok');
      expect(p.sw.theta.slice(0, k + 1), id).toEqual(p.theta.theta.slice(0, k + 1));
      expect(p.sw.loss.slice(0, k + 1), id).toEqual(p.theta.loss.slice(0, k + 1));
      expect(p.sw.theta, id).toHaveLength(8);
      expect(p.sw.phi).toBeUndefined();
    });
    expect(pair(runs, ids.indexOf('adam')).sw.note).toContain('second moment v reset at step 4');
  });

  it('(b) NGD with a small learning rate stays with its θ-run after k; GD departs', async () => {
    const runs = await finished({
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [
        { id: 'ngd', lr: 0.02 },
        { id: 'gd', lr: 0.02 },
      ],
      steps: 60,
      switchAt: { step: 20 },
    });
    const ngd = apart(pair(runs, 0), 21);
    const gd = apart(pair(runs, 1), 21);
    expect(ngd).toBeLessThan(2e-3);
    expect(gd).toBeGreaterThan(0.05);
    expect(gd / ngd).toBeGreaterThan(50);
  });

  it('(c) heavy ball under a rotation continues the θ-run; under a scaling only the gradient term changes', async () => {
    const k = 20;
    const rot = await finished({
      reparam: { id: 'rotation', angle: 0.7 },
      optimizers: [{ id: 'momentum', lr: 0.01 }],
      steps: 60,
      switchAt: { step: k },
    });
    expect(apart(pair(rot, 0), 0)).toBeLessThan(1e-5);

    const D = [2, 0.5];
    const input = {
      reparam: { id: 'scale' as const, factors: D },
      optimizers: [{ id: 'momentum' as const, lr: 0.01 }],
      steps: 60,
      switchAt: { step: k },
    };
    const sc = pair(await finished(input), 0);
    expect(apart(sc, 0)).toBeGreaterThan(0.01);
    // First step after k: Δ_switch − Δ_θ = −η (D² − I) g(θ_k), η = 0.01.
    const session = createSession(experiment(input));
    const thetaK = sc.theta.theta[k] as number[];
    const gT = tf.tidy(() => gradient(session.objective('theta'), tf.tensor2d([thetaK])));
    const g = Array.from(gT.dataSync());
    gT.dispose();
    session.dispose();
    const dSwitch = (sc.sw.theta[k + 1] as number[]).map((v, j) => v - (sc.sw.theta[k] as number[])[j]!);
    const dTheta = (sc.theta.theta[k + 1] as number[]).map((v, j) => v - thetaK[j]!);
    D.forEach((d, j) => {
      const want = -0.01 * (d * d - 1) * g[j]!;
      expect(Math.abs(dSwitch[j]! - dTheta[j]! - want)).toBeLessThan(1e-6 + 1e-4 * Math.abs(want));
    });
  });

  it("(c) Adam under a signed permutation continues exactly with 'diagonal', not with 'reset'", async () => {
    const base = {
      reparam: { id: 'signed-permutation' as const, perm: [1, 0], signs: [-1, 1] },
      optimizers: [{ id: 'adam' as const }],
      steps: 50,
    };
    const diag = pair(await finished({ ...base, switchAt: { step: 20, secondMoment: 'diagonal' } }), 0);
    const reset = pair(await finished({ ...base, switchAt: { step: 20, secondMoment: 'reset' } }), 0);
    expect(apart(diag, 0)).toBeLessThan(1e-6);
    expect(apart(reset, 0)).toBeGreaterThan(1e-3);
    expect(diag.sw.note).toContain('diag(Jᵀ diag(v) J)');
  });

  it('(d) a session with switch runs leaks no tensors, for every optimizer', async () => {
    const base = tf.memory().numTensors;
    const session = createSession(
      experiment({
        reparam: { id: 'shear', k: 0.5 },
        optimizers: ids.map((id) => ({ id })),
        steps: 10,
        switchAt: { step: 3 },
      }),
    );
    await session.advance(5);
    const before = tf.memory().numTensors;
    await session.advance(1);
    expect(tf.memory().numTensors).toBe(before);
    while (!session.done) await session.advance(5);
    expect(session.runs.filter((r) => r.space === 'switch' && r.status === 'ok')).toHaveLength(ids.length);
    session.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refuses k outside 1..steps − 1 and a map whose J is not square; no switch under identity', async () => {
    const bad = (switchAt: unknown) =>
      parseExperiment({
        version: 1,
        problem: { id: 'tiny-net' },
        optimizers: [{ id: 'gd' }],
        steps: 10,
        switchAt,
      });
    expect(bad({ step: 10 })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/switchAt\.step: must be below steps/),
    });
    expect(bad({ step: 0 }).ok).toBe(false);
    expect(bad({ step: 3, secondMoment: 'guess' }).ok).toBe(false);
    const runs = await finished({ optimizers: [{ id: 'gd' }], steps: 5, switchAt: { step: 2 } });
    expect(runs.map((r) => r.space)).toEqual(['theta']);
    expect(() =>
      createSession(
        experiment({
          problem: { id: 'mlp', dataset: 'sine', hidden: [2], n: 8, testFraction: 0 },
          reparam: { id: 'weight-norm' },
          optimizers: [{ id: 'gd' }],
          steps: 5,
          switchAt: { step: 2 },
        }),
      ),
    ).toThrow(/J is .* not square/);
  });

  it('(e) θ_k outside the image of exp: the switch run stops and says why; the other runs go on', async () => {
    // a·tanh(b·x) from a > 0, b < 0: the θ-run fits the teacher by turning a negative, so
    // θ_30 is outside the image of exp on a (a > 0); the φ-run cannot cross a = 0.
    const input = {
      reparam: { id: 'exp' as const, coords: [0] },
      init: [0.3, -0.8],
      optimizers: [{ id: 'gd' as const, lr: 0.1 }],
      steps: 40,
      switchAt: { step: 30 },
    };
    const runs = await finished(input);
    const { theta, sw } = pair(runs, 0);
    const aK = (theta.theta[30] as number[])[0] as number;
    expect(aK).toBeLessThan(0);
    expect(sw.status).toBe('diverged');
    expect(sw.divergedAt).toBe(31);
    expect(sw.failure).toBe(
      `switch at step 30 failed: θ is outside the domain of exp (a = ${Number(aK.toPrecision(4))} must be > 0): no φ has f(φ) = θ`,
    );
    // The note still says what the switch does to the state; the failure is separate.
    expect(sw.note).toBe('Gradient descent, θ→φ at step 30: no state to transport');
    expect(theta.failure).toBeUndefined();
    for (const r of runs.filter((x) => x.space !== 'switch')) {
      expect(r.status, r.id).toBe('ok');
      expect(r.theta, r.id).toHaveLength(41);
    }
    // A checkpoint carries the reason to a restored session (a worker restart keeps it).
    const first = createSession(experiment(input));
    const again = createSession(experiment(input));
    try {
      await first.advance(35);
      await again.restore(await first.checkpoint(), first.runs);
      expect(again.runs.find((r) => r.space === 'switch')?.failure).toBe(sw.failure);
    } finally {
      first.dispose();
      again.dispose();
    }
  });

  it('(e) a singular J at φ_k: the velocity cannot be transported, and the failure says so', async () => {
    const base = tf.memory().numTensors;
    const ex = experiment({ reparam: { id: 'cubic', a: 0.3 }, optimizers: [{ id: 'momentum' }], steps: 10 });
    const problem = createProblem(ex);
    const real = createReparam(ex.reparam, problem.P, ex.seed);
    // The same map, but told J(φ_k) is singular (rank 1): J⁻¹v has no value.
    const reparam = {
      ...real,
      jacobian64: () => [
        [1, 0],
        [0, 0],
      ],
    };
    const def = optimizerDef('momentum');
    const told: string[] = [];
    const group = createSwitchGroup({
      theta: makeObjective(problem, null),
      phi: makeObjective(problem, real),
      reparam,
      def,
      hyper: resolveHyper(def, { id: 'momentum' }),
      start: [...problem.init],
      at: 3,
      policy: 'reset',
      onFailure: (m) => told.push(m),
    });
    for (let i = 0; i < 4; i++) await group.step();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(
      /^switch at step 3 failed: J of cubic is singular at φ = \([-\d.e]+, [-\d.e]+\), so the velocity \(moved by J⁻¹\) is not finite$/,
    );
    const rows = (await group.params?.array()) ?? [];
    expect(rows.flat().some((v) => !Number.isFinite(v))).toBe(true);
    group.dispose();
    problem.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });
});
