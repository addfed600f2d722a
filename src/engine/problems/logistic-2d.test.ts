import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { logistic2d, logistic2dParams } from './logistic-2d';
import { fdGradient, gradRows, lossRows, relErr, softmaxNll64 } from './problem-testkit';

describe('logistic-2d', () => {
  const problem = logistic2d(logistic2dParams.parse({}), 11);
  const xs = problem.x.arraySync();
  const ys = problem.y.arraySync();
  /** Float64 reference: mean softmax cross-entropy of logits [0, wᵀx]. */
  const loss64 = (w: number[]): number =>
    softmaxNll64(
      xs.map((x) => [0, (w[0] ?? 0) * (x[0] ?? 0) + (w[1] ?? 0) * (x[1] ?? 0)]),
      ys,
    );

  it('has 100 points with one-hot labels, half per class', () => {
    expect(problem.P).toBe(2);
    expect(problem.N).toBe(100);
    expect(ys.reduce((s, y) => s + (y[1] ?? 0), 0)).toBe(50);
  });

  it('loss and gradient match the float64 reference and its central differences', () => {
    const rows = [
      [0.3, -1.2],
      [2.5, 1],
      [-1, 3],
    ];
    const l = lossRows(problem, rows);
    const g = gradRows(problem, rows);
    rows.forEach((w, i) => {
      expect(l[i]).toBeCloseTo(loss64(w), 5);
      expect(relErr(g[i] ?? [], fdGradient(loss64, w))).toBeLessThan(1e-5);
    });
  });

  it('the optimum lies inside the default window (near 2·mean)', () => {
    // Plain float64 gradient descent on the reference loss.
    let w = [0, 0];
    for (let k = 0; k < 400; k++) w = w.map((v, i) => v - 2 * (fdGradient(loss64, w)[i] ?? 0));
    expect(relErr(fdGradient(loss64, w), [0, 0])).toBeLessThan(1e-4);
    const [[x0, x1], [y0, y1]] = problem.window!;
    expect(w[0]).toBeGreaterThan(x0);
    expect(w[0]).toBeLessThan(x1);
    expect(w[1]).toBeGreaterThan(y0);
    expect(w[1]).toBeLessThan(y1);
  });

  it('data and init depend on the seed only', () => {
    const again = logistic2d(logistic2dParams.parse({}), 11);
    const other = logistic2d(logistic2dParams.parse({}), 12);
    expect(again.x.arraySync()).toEqual(xs);
    expect(again.init).toEqual(problem.init);
    expect(other.x.arraySync()).not.toEqual(xs);
    expect(other.init).not.toEqual(problem.init);
    again.dispose();
    other.dispose();
  });

  it('takes inline data and frees its tensors on dispose', () => {
    const before = tf.memory().numTensors;
    const p = logistic2d(
      logistic2dParams.parse({
        data: {
          points: [
            [1, 0],
            [-1, 0],
            [0, 2],
          ],
          labels: [1, 0, 1],
        },
      }),
      0,
    );
    expect(p.N).toBe(3);
    expect(p.y.arraySync()).toEqual([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    p.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
