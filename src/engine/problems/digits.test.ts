import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { toRows } from '../trajectory';
import { tf, type Tensor2D } from '../tf';
import { gradient, makeObjective } from '../objective';
import { parseExperiment } from '../schema';
import { createSession } from '../experiment';
import { parameterDefect } from '../measure/defect';
import { bundledDigits, digits, digitsParams } from './digits';
import { DIGITS_MAX_P, digitsParamCount } from './params';
import { parseCsvData } from './csv';
import { dense64, relErr, softmaxNll64, testMetricsRows } from './problem-testkit';

const make = (p: Record<string, unknown> = {}, seed = 0) => digits(digitsParams.parse(p), seed);

describe('digits data', () => {
  it('the bundled module holds exactly the rows of data/digits/digits.csv.gz', () => {
    const csv = gunzipSync(readFileSync('data/digits/digits.csv.gz')).toString('utf8').trim().split('\n');
    const { points, labels } = bundledDigits();
    expect(points.length).toBe(1797);
    expect(csv.length).toBe(1797);
    csv.forEach((line, i) => {
      expect([...(points[i] ?? []), labels[i]].join(',')).toBe(line.trim());
    });
    expect(new Set(labels)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(Math.min(...points.flat())).toBe(0);
    expect(Math.max(...points.flat())).toBe(16);
  });
});

describe('digits problem', () => {
  it('defaults: 64-32-10, P = 2,410, 1,500 training and 297 test images, pixels in [0, 1]', async () => {
    const p = make();
    try {
      expect(p.P).toBe(2410);
      expect(p.N).toBe(1500);
      expect(p.C).toBe(10);
      expect(p.test?.x.shape).toEqual([297, 64]);
      expect(p.digits.testLabels.length).toBe(297);
      const x = await p.x.data();
      expect(Math.min(...x)).toBe(0);
      expect(Math.max(...x)).toBe(1);
    } finally {
      p.dispose();
    }
  });

  it('the split is seeded: the same seed gives the same test set, another seed another', () => {
    const [a, b, c] = [make({}, 3), make({}, 3), make({}, 4)];
    try {
      expect(a.digits.testX).toEqual(b.digits.testX);
      expect(a.digits.testX).not.toEqual(c.digits.testX);
    } finally {
      [a, b, c].forEach((p) => p.dispose());
    }
  });

  it('a second hidden layer and relu: P counts it; the fast-path loss and gradient match float64 autodiff-free references', () => {
    const p = make({ hidden: [6, 5], activation: 'relu', nTest: 1700 });
    try {
      expect(p.P).toBe(digitsParamCount([6, 5]));
      expect(p.P).toBe(65 * 6 + 7 * 5 + 6 * 10);
      const theta = p.init.map((v, i) => v + 0.01 * Math.sin(i));
      const xs = p.x.arraySync();
      const ys = p.y.arraySync();
      const want = softmaxNll64(
        xs.map((x) => dense64(p.layers ?? [], theta, x)),
        ys,
      );
      const obj = makeObjective(p, null);
      const [loss, grad] = tf.tidy(() => {
        const t = tf.tensor2d([theta]) as Tensor2D;
        return [obj.loss(t).arraySync()[0] ?? NaN, gradient(obj, t).arraySync()[0] ?? []];
      });
      expect(relErr([loss], [want])).toBeLessThan(1e-5);
      // Autodiff of the model against the hand-derived gradient of the fast path.
      const auto = tf.tidy(() =>
        (tf.grad((q) => tf.sum(obj.loss(q as Tensor2D)))(tf.tensor2d([theta])) as Tensor2D).arraySync(),
      )[0] as number[];
      const err = Math.max(...grad.map((g, i) => Math.abs(g - (auto[i] ?? 0))));
      expect(err).toBeLessThan(1e-5);
    } finally {
      p.dispose();
    }
  });

  it('gradient descent learns: 30 full-batch steps (h = 8) lower the loss and raise test accuracy above chance', async () => {
    const parsed = parseExperiment({
      version: 1,
      problem: { id: 'digits', hidden: [8] },
      optimizers: [{ id: 'gd', lr: 0.5 }],
      steps: 30,
    });
    if (!parsed.ok) throw new Error(parsed.error);
    const s = createSession(parsed.experiment);
    try {
      await s.advance(30);
      const run = s.runs[0];
      if (!run) throw new Error('no run');
      expect(run.loss.at(-1)).toBeLessThan((run.loss[0] ?? 0) * 0.8);
      const [before, after] = await Promise.all([
        testMetricsRows(s.problem, [toRows(run.theta)[0] ?? []]),
        testMetricsRows(s.problem, [toRows(run.theta).at(-1) ?? []]),
      ]);
      expect(after?.accuracy?.[0]).toBeGreaterThan(0.3);
      expect(after?.accuracy?.[0]).toBeGreaterThan(before?.accuracy?.[0] ?? 1);
    } finally {
      s.dispose();
    }
  });
});

describe('digits: bad input', () => {
  it(`a hidden size giving P > ${DIGITS_MAX_P} is refused with a message naming the limit`, () => {
    const res = parseExperiment({
      version: 1,
      problem: { id: 'digits', hidden: [3000] },
      optimizers: [{ id: 'gd' }],
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error).toContain('P = 225,010');
    expect(res.error).toContain('at most P = 200,000');
    expect(
      parseExperiment({ version: 1, problem: { id: 'digits', hidden: [3000] }, optimizers: [{ id: 'gd' }] })
        .ok,
    ).toBe(false);
    expect(
      parseExperiment({ version: 1, problem: { id: 'digits', hidden: [2000] }, optimizers: [{ id: 'gd' }] })
        .ok,
    ).toBe(true);
  });

  it('at P = 2,410 the exact methods solve by CG; a forced dense solver, lowrank-fisher and a 2,080-wide block-fisher block are refused naming the limit', () => {
    const session = (optimizer: Record<string, unknown>) => {
      const parsed = parseExperiment({
        version: 1,
        problem: { id: 'digits' },
        optimizers: [{ id: 'gd' }, optimizer],
      });
      if (!parsed.ok) throw new Error(parsed.error);
      return () => createSession(parsed.experiment).dispose();
    };
    for (const id of ['ngd', 'ggn', 'empirical-fisher', 'newton']) {
      expect(session({ id })).not.toThrow();
      expect(session({ id, solver: 'dense' })).toThrow(
        /optimizers\.1: solver: "dense" forms a 2,410×2,410 curvature matrix.*stops at P = 1,000/,
      );
    }
    expect(session({ id: 'lowrank-fisher' })).toThrow(
      /optimizers\.1: lowrank-fisher .*2,410×2,410.*P = 1,000/,
    );
    expect(session({ id: 'block-fisher' })).toThrow(
      /optimizers\.1: block-fisher .*2,080×2,080 block.*1,000 per block/,
    );
  });

  it('a CSV of images with the wrong number of columns names the row and the column', () => {
    const row = (n: number, label = 3) => [...Array.from({ length: n }, (_, j) => j % 17), label].join(',');
    const good = [row(64), row(64, 7)].join('\n');
    const parsed = parseCsvData(good, 'images', 10);
    expect(parsed.ok && parsed.data.kind === 'images' && parsed.data.data.labels).toEqual([3, 7]);
    const short = parseCsvData([row(64), row(64), row(63)].join('\n'), 'images', 10);
    expect(short.ok ? '' : short.error).toMatch(/^row 3, column 65: the label is missing .*got 64/);
    const long = parseCsvData([row(64), row(65)].join('\n'), 'images', 10);
    expect(long.ok ? '' : long.error).toMatch(/^row 2, column 66: one value too many .*got 66/);
    const word = parseCsvData([row(64), row(64).replace(/^0,1,2/, '0,x,2')].join('\n'), 'images', 10);
    expect(word.ok ? '' : word.error).toBe("row 2: 'x' is not a number (pixel 2)");
    const pixel = digitsParams.safeParse({
      data: { points: [Array(64).fill(1), [...Array(63).fill(0), 17]], labels: [0, 1] },
    });
    expect(pixel.success ? '' : pixel.error.issues[0]?.message).toBe(
      'row 2, column 64: pixel 17 is outside 0..16',
    );
  });
});

/**
 * A paired digits session under `layer-scale` (h = 4, cond 4, 100 training images): the
 * largest gap between the θ-run's and the φ-run's training loss over the steps, and D_K.
 */
async function layerScaleGaps(optimizer: Record<string, unknown>, steps: number) {
  const parsed = parseExperiment({
    version: 1,
    seed: 1,
    problem: { id: 'digits', hidden: [4], nTest: 1697 },
    reparam: { id: 'layer-scale', cond: 4 },
    optimizers: [optimizer],
    steps,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const session = createSession(parsed.experiment);
  try {
    await session.advance(steps);
    const [theta, phi] = (['theta', 'phi'] as const).map((sp) => session.runs.find((r) => r.space === sp));
    const a = theta?.loss ?? [];
    const b = phi?.loss ?? [];
    return {
      loss: Math.max(...a.map((l, k) => Math.abs(l - (b[k] ?? Number.NaN)))),
      dk: parameterDefect(theta ? toRows(theta.theta) : [], phi ? toRows(phi.theta) : []),
    };
  } finally {
    session.dispose();
  }
}

describe('maps on digits', () => {
  it('layer-scale: K-FAC’s θ- and φ-runs train the same network (loss gap at float32 round-off), GD’s and Adam’s drift apart', async () => {
    // Digit images have pixels that are 0 in every training image, and softmax logits can
    // all shift by one constant: K-FAC's factors A and G are singular there, and its
    // pseudo-inverse step is natural only up to those directions, which change no
    // prediction on the training set. So the pair's parameters may part (D_K) while the
    // networks they compute stay the same: the training-loss gap is the defect that counts.
    const kfac = await layerScaleGaps({ id: 'kfac', lr: 0.1, damping: { type: 'none', value: 0 } }, 6);
    const gd = await layerScaleGaps({ id: 'gd', lr: 0.5 }, 6);
    const adam = await layerScaleGaps({ id: 'adam', lr: 0.03 }, 6);
    expect(kfac.loss, `K-FAC: ${kfac.loss}`).toBeLessThan(1e-4);
    expect(gd.loss, `GD: ${gd.loss}`).toBeGreaterThan(100 * kfac.loss);
    expect(adam.loss, `Adam: ${adam.loss}`).toBeGreaterThan(100 * kfac.loss);
    expect(adam.dk, `Adam D_K: ${adam.dk}`).toBeGreaterThan(1e-2);
  });

  it('relu-rescale and weight-norm run paired sessions on digits (finite losses, the pair starts together)', async () => {
    for (const reparam of [{ id: 'relu-rescale' }, { id: 'weight-norm' }]) {
      const parsed = parseExperiment({
        version: 1,
        problem: { id: 'digits', hidden: [5], activation: 'relu', nTest: 1757 },
        reparam,
        optimizers: [{ id: 'gd', lr: 0.3 }],
        steps: 5,
      });
      if (!parsed.ok) throw new Error(parsed.error);
      const s = createSession(parsed.experiment);
      try {
        await s.advance(5);
        expect(s.runs.map((r) => r.space)).toEqual(['theta', 'phi']);
        for (const r of s.runs) {
          expect(r.loss.length).toBe(6);
          expect(r.loss.every(Number.isFinite)).toBe(true);
        }
        const [t, p] = s.runs;
        expect(relErr([p?.loss[0] ?? NaN], [t?.loss[0] ?? NaN])).toBeLessThan(1e-5);
      } finally {
        s.dispose();
      }
    }
  });
});
