/**
 * K-FAC's sampled Fisher (`fisher: 'sampled'`, Martens & Grosse 2015 §5; docs/theory.md §7):
 * one target per example drawn from the model's predictive distribution. Its factors
 * are those of the drawn rows (checked against the same draws in float64), average to
 * the exact factors over many draws (an unbiased estimator, not the exact factors), are
 * seeded by the experiment's seed and the step, keep K-FAC natural under `layer-scale`
 * (the θ- and φ-runs draw the same labels), restore bit for bit, and leak nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { createSession, ExperimentError, type RunResult } from '../experiment';
import { withRows } from '../trajectory';
import type { SessionCheckpoint } from '../checkpoint';
import { parseExperiment, type ExperimentInput } from '../schema';
import { makeObjective, fastPathOf } from '../objective';
import { mlp, mlpParams } from '../problems/mlp';
import { digits, digitsParams } from '../problems/digits';
import type { LabelDraws } from '../problems/dense-grad';
import type { Problem } from '../problems/problem';
import { makeRng } from '../random';
import { setupNode } from '../setup-node';
import { kfacFactorsAt, layerBlocks, type KroneckerFactors } from './curvature/kfac';
import { maxRel } from './curvature/kfac-testkit';

/** Draws from a seeded stream, each call's numbers recorded (for a float64 reference). */
function recordedDraws(seed: number): LabelDraws & { taken: number[][] } {
  const rng = makeRng(seed);
  const taken: number[][] = [];
  const make = (n: number, k: number, draw: () => number): Tensor2D => {
    const v = Float32Array.from({ length: n * k }, draw);
    taken.push(Array.from(v));
    return tf.tensor2d(v, [n, k]) as Tensor2D;
  };
  return {
    taken,
    uniform: (n) => make(n, 1, rng.next),
    normal: (n, k) => make(n, k, () => rng.normal()),
  };
}

/** Σ_n s_n s_nᵀ / N for rows s [N, C] (float64). */
function outerMean(s: readonly number[][]): number[][] {
  const C = s[0]?.length ?? 0;
  const G = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  for (const r of s) for (let i = 0; i < C; i++) for (let j = 0; j < C; j++) G[i]![j]! += r[i]! * r[j]!;
  return G.map((r) => r.map((v) => v / s.length));
}

/** The model's probabilities at `theta` (softmax of its outputs), read in float64. */
async function probabilities(problem: Problem, theta: number[]): Promise<number[][]> {
  const out = tf.tidy(() =>
    tf.softmax(fastPathOf(makeObjective(problem, null))!.outputsAt(tf.tensor2d([theta]))),
  );
  const p = (await out.array()) as number[][];
  out.dispose();
  return p;
}

const mean = (fs: KroneckerFactors[][]): KroneckerFactors[] =>
  (fs[0] as KroneckerFactors[]).map((f0, l) => ({
    A: f0.A.map((r, i) => r.map((_, j) => fs.reduce((s, f) => s + f[l]!.A[i]![j]!, 0) / fs.length)),
    G: f0.G.map((r, i) => r.map((_, j) => fs.reduce((s, f) => s + f[l]!.G[i]![j]!, 0) / fs.length)),
  }));

describe('K-FAC sampled Fisher factors (fast path)', () => {
  const blobs = mlp(
    mlpParams.parse({ dataset: 'gaussians', classes: 3, hidden: [3], n: 24, testFraction: 0 }),
    2,
  );
  const xor = mlp(mlpParams.parse({ dataset: 'xor', hidden: [3], n: 24, testFraction: 0 }), 4);
  const sine = mlp(mlpParams.parse({ dataset: 'sine', hidden: [3], n: 16, testFraction: 0, noise: 0.1 }), 2);
  afterAll(() => [blobs, xor, sine].forEach((p) => p.dispose()));

  it.each(['cpu', 'wasm'] as const)(
    'softmax on %s: the last G is Σ_n (p_n − e_c)(p_n − e_c)ᵀ/N for the labels the uniforms pick (float64 reference)',
    async (backend) => {
      await setupNode(backend);
      try {
        await softmaxReference();
      } finally {
        await setupNode('cpu');
      }
    },
  );

  async function softmaxReference(): Promise<void> {
    const theta = [...blobs.init];
    const obj = makeObjective(blobs, null);
    const blocks = layerBlocks(blobs.layers, blobs.P);
    const draws = recordedDraws(11);
    const row = tf.tensor2d([theta]) as Tensor2D;
    const got = await kfacFactorsAt(obj, row, blocks, draws);
    row.dispose();
    const p = await probabilities(blobs, theta);
    const u = draws.taken[0] as number[];
    const rows = p.map((pn, n) => {
      let c = 0;
      for (let cum = pn[0]!; c < pn.length - 1 && cum < u[n]!; cum += pn[++c]!);
      return pn.map((v, j) => v - (j === c ? 1 : 0));
    });
    // Several different labels were drawn, so the reference is not one class repeated.
    expect(new Set(rows.map((r) => r.findIndex((v) => v < 0))).size).toBeGreaterThan(1);
    const G = got[got.length - 1]!.G;
    expect(maxRel(G, outerMean(rows))).toBeLessThan(1e-5);
  }

  for (const [name, problem] of [
    ['softmax, 3 classes', () => blobs],
    ['two classes (logits [0, z])', () => xor],
    ['gaussian', () => sine],
  ] as const) {
    it(`${name}: one draw differs from the exact factors; the mean of 400 draws approaches them`, async () => {
      const prob = problem();
      const obj = makeObjective(prob, null);
      const blocks = layerBlocks(prob.layers, prob.P);
      const row = tf.tensor2d([[...prob.init]]) as Tensor2D;
      const exact = await kfacFactorsAt(obj, row, blocks);
      const draws = recordedDraws(5);
      const samples: KroneckerFactors[][] = [];
      for (let k = 0; k < 400; k++) samples.push(await kfacFactorsAt(obj, row, blocks, draws));
      row.dispose();
      const rel = (fs: KroneckerFactors[]): number => Math.max(...fs.map((f, l) => maxRel(f.G, exact[l]!.G)));
      const one = rel(samples[0]!);
      const avg = rel(mean(samples));
      expect(one, `one draw: ${one}`).toBeGreaterThan(0.01);
      // Monte-Carlo error ~ 1/√400 of one draw's.
      expect(avg, `mean of 400: ${avg} (one: ${one})`).toBeLessThan(one / 5);
    });
  }
});

/** A digits experiment (hidden 8, 300 training images) with K-FAC's sampled Fisher. */
function digitsExperiment(over: Partial<ExperimentInput>) {
  const res = parseExperiment({
    version: 1,
    seed: 4,
    problem: { id: 'digits', hidden: [8], nTest: 1497 },
    optimizers: [{ id: 'kfac', lr: 0.1, fisher: 'sampled', damping: { type: 'lm', value: 1e-3 } }],
    steps: 12,
    ...over,
  });
  if (!res.ok) throw new Error(res.error);
  return res.experiment;
}

async function finalRuns(input: Partial<ExperimentInput>): Promise<RunResult[]> {
  const s = createSession(digitsExperiment(input));
  try {
    while (!s.done) if ((await s.advance(50)) === 0) break;
    return s.runs.map((r) => structuredClone(r));
  } finally {
    s.dispose();
  }
}

describe('K-FAC sampled Fisher in a session (digits)', () => {
  it('seeded: the same seed repeats a run bit for bit, another seed and the exact Fisher do not', async () => {
    const [a] = await finalRuns({});
    const [b] = await finalRuns({});
    const [c] = await finalRuns({ seed: 5 });
    const [exact] = await finalRuns({
      optimizers: [{ id: 'kfac', lr: 0.1, damping: { type: 'lm', value: 1e-3 } }],
    });
    expect(a!.loss).toEqual(b!.loss);
    expect(a!.loss).not.toEqual(c!.loss);
    expect(a!.loss).not.toEqual(exact!.loss);
    expect(a!.status).toBe('ok');
    expect(a!.loss[12]!).toBeLessThan(a!.loss[0]!);
  });

  it('layer-scale pair on wasm: the θ- and φ-runs draw the same labels, their loss gap stays at float32 round-off', async () => {
    // The digits scene's setting (state/scenes.ts: 64-16-10, the default split, undamped —
    // factored damping adds multiples of I to A and G in each run's own coordinates, which
    // the map does not preserve), on the page's backend.
    const scene = (seed: number): Partial<ExperimentInput> => ({
      seed,
      problem: { id: 'digits', hidden: [16] },
      reparam: { id: 'layer-scale', cond: 4 },
      optimizers: [{ id: 'kfac', lr: 0.1, fisher: 'sampled', damping: { type: 'none', value: 0 } }],
      steps: 30,
    });
    await setupNode('wasm');
    try {
      const [theta, phi] = await finalRuns(scene(1));
      const [other] = await finalRuns(scene(2));
      const gapTo = (r: RunResult): number =>
        Math.max(...theta!.loss.map((v, k) => Math.abs(v - r.loss[k]!) / Math.abs(v)));
      expect([theta!.space, phi!.space]).toEqual(['theta', 'phi']);
      expect(theta!.loss[30]!, 'it trains').toBeLessThan(0.1 * theta!.loss[0]!);
      expect(gapTo(phi!), `θ/φ relative loss gap ${gapTo(phi!)}`).toBeLessThan(2e-4);
      // Other labels (another seed's θ-run from its own start): apart by far more.
      expect(gapTo(other!)).toBeGreaterThan(1e-2);
    } finally {
      await setupNode('cpu');
    }
  });

  it('12 steps = 6 steps, checkpoint (through JSON), restore in a fresh session, 6 more: bit for bit; no leaks', async () => {
    const base = tf.memory().numTensors;
    const input = { reparam: { id: 'layer-scale' as const, cond: 4 } };
    const straight = (await finalRuns(input)).map((r) => withRows(r));
    const a = createSession(digitsExperiment(input));
    await a.advance(6);
    const cp = JSON.parse(JSON.stringify(await a.checkpoint())) as SessionCheckpoint;
    const runs = a.runs.map((r) => structuredClone(r));
    a.dispose();
    const b = createSession(digitsExperiment(input));
    await b.restore(cp, runs);
    await b.advance(3);
    const before = tf.memory().numTensors;
    await b.advance(3);
    expect(tf.memory().numTensors).toBe(before);
    expect(b.done).toBe(true);
    expect(b.runs.map((r) => withRows(r))).toEqual(straight);
    b.dispose();
    expect(tf.memory().numTensors).toBe(base);
  });

  it('refused where it has no dense network: a problem without layers, a map that is not layer-wise', () => {
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'rosenbrock' },
      optimizers: [{ id: 'kfac', fisher: 'sampled' }],
    });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(() => createSession(parsed.experiment)).toThrow(ExperimentError);
    expect(() => createSession(parsed.experiment)).toThrow(/fisher "sampled"/);
    expect(() => createSession(digitsExperiment({ reparam: { id: 'cubic', a: 0.1 } }))).toThrow(
      /fisher "sampled"/,
    );
  });
});

describe('sampled draws at the digits default (no leak)', () => {
  it('one sampled step on the default 64-32-10 net leaves no tensor behind', async () => {
    const prob = digits(digitsParams.parse({}), 0);
    const obj = makeObjective(prob, null);
    const blocks = layerBlocks(prob.layers, prob.P);
    const row = tf.tensor2d([[...prob.init]]) as Tensor2D;
    const before = tf.memory().numTensors;
    const f = await kfacFactorsAt(obj, row, blocks, recordedDraws(1));
    expect(tf.memory().numTensors).toBe(before);
    expect(f.map((b) => [b.A.length, b.G.length])).toEqual([
      [65, 32],
      [33, 10],
    ]);
    row.dispose();
    prob.dispose();
  });
});
