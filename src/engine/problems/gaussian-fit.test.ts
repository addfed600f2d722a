import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { gaussianFit, gaussianFitParams } from './gaussian-fit';
import { gradient, makeObjective } from '../objective';
import { gd } from '../optimizers/gd';
import { baseHyper } from '../optimizers/optimizer';

/** Float64 reference: L(μ, σ) = mean(log σ + (x − μ)²/(2σ²)). */
function loss64(sample: number[], mu: number, sigma: number): number {
  return (
    sample.reduce((s, x) => s + Math.log(sigma) + (x - mu) ** 2 / (2 * sigma * sigma), 0) / sample.length
  );
}

describe('gaussian-fit', () => {
  const problem = gaussianFit(gaussianFitParams.parse({ n: 50 }), 7);
  const sample = Array.from(problem.y.dataSync());
  const obj = makeObjective(problem, null);

  it('loss matches the float64 formula', () => {
    const pts = [
      [0.3, 1.2],
      [-1, 2],
      [1.5, 0.4],
    ];
    const got = tf.tidy(() => Array.from(obj.loss(tf.tensor2d(pts) as Tensor2D).dataSync()));
    pts.forEach(([m, s], i) => expect(got[i]).toBeCloseTo(loss64(sample, m as number, s as number), 4));
  });

  it('gradient matches central finite differences of the float64 loss', () => {
    const [mu, s] = [0.3, 1.2];
    const g = tf.tidy(() => Array.from(gradient(obj, tf.tensor2d([[mu, s]]) as Tensor2D).dataSync()));
    const h = 1e-6;
    const fd = [
      (loss64(sample, mu + h, s) - loss64(sample, mu - h, s)) / (2 * h),
      (loss64(sample, mu, s + h) - loss64(sample, mu, s - h)) / (2 * h),
    ];
    expect(g[0]).toBeCloseTo(fd[0] as number, 4);
    expect(g[1]).toBeCloseTo(fd[1] as number, 4);
  });

  it('the same seed gives the same sample; another seed a different one', () => {
    const again = gaussianFit(gaussianFitParams.parse({ n: 50 }), 7);
    const other = gaussianFit(gaussianFitParams.parse({ n: 50 }), 8);
    expect(Array.from(again.y.dataSync())).toEqual(sample);
    expect(Array.from(other.y.dataSync())).not.toEqual(sample);
    again.dispose();
    other.dispose();
  });

  it('gradient descent decreases the loss and leaks no tensors', async () => {
    const opt = gd.create(obj, { ...baseHyper, lr: 0.05 }, 1);
    let p = tf.tensor2d([[-1, 2]]) as Tensor2D;
    const l0 = tf.tidy(() => obj.loss(p).dataSync()[0] as number);
    const stepOnce = async (): Promise<void> => {
      const next = await opt.step(p);
      p.dispose();
      p = next;
    };
    await stepOnce();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 100; k++) await stepOnce();
    expect(tf.memory().numTensors).toBe(before);
    const l1 = tf.tidy(() => obj.loss(p).dataSync()[0] as number);
    expect(l1).toBeLessThan(l0 - 0.5);
    p.dispose();
    opt.dispose();
  });
});
