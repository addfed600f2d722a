/**
 * What the page shows of a `digits` run, in float64 on the CPU from a θ point: test loss,
 * test accuracy, the confusion matrix and each test image's predicted class. One forward
 * pass over the N_test = 297 test images costs about 0.7 M multiply-adds at h = 32.
 */
import type { DigitsInfo } from './digits';

/** Test images the page draws in its strip (the first of the seeded test set). */
export const DIGITS_STRIP = 16;

export interface DigitsEval {
  /** Mean softmax cross-entropy on the test set. */
  loss: number;
  /** Fraction of test images whose largest logit is their label. */
  accuracy: number;
  /** Counts [label][predicted], row-major 10×10. */
  confusion: number[];
  /** Predicted class of each test image, in test-set order. */
  predicted: number[];
}

/** Evaluate one θ point on the test set. Non-finite θ gives NaN loss and accuracy. */
export function digitsEval(info: DigitsInfo, theta: readonly number[]): DigitsEval {
  const C = info.layers.at(-1)?.outputs ?? 10;
  const confusion = new Array<number>(C * C).fill(0);
  const predicted: number[] = [];
  let loss = 0;
  let hits = 0;
  info.testX.forEach((x, n) => {
    let a: ArrayLike<number> = x;
    let o = 0;
    for (const l of info.layers) {
      const out = new Float64Array(l.outputs);
      const bias = o + l.inputs * l.outputs;
      for (let j = 0; j < l.outputs; j++) out[j] = theta[bias + j] as number;
      for (let i = 0; i < l.inputs; i++) {
        const ai = a[i] as number;
        if (ai === 0) continue;
        const row = o + i * l.outputs;
        for (let j = 0; j < l.outputs; j++) out[j] = (out[j] as number) + ai * (theta[row + j] as number);
      }
      if (l.activation !== 'linear') {
        for (let j = 0; j < l.outputs; j++) {
          const z = out[j] as number;
          out[j] =
            l.activation === 'tanh'
              ? Math.tanh(z)
              : l.activation === 'relu'
                ? Math.max(0, z)
                : Math.log1p(Math.exp(z));
        }
      }
      a = out;
      o = bias + l.outputs;
    }
    let best = 0;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if ((a[c] as number) > max) [max, best] = [a[c] as number, c];
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp((a[c] as number) - max);
    const label = info.testLabels[n] as number;
    loss += max + Math.log(sum) - (a[label] as number);
    predicted.push(best);
    if (best === label) hits += 1;
    confusion[label * C + best] = (confusion[label * C + best] as number) + 1;
  });
  const m = info.testX.length;
  const finite = theta.every(Number.isFinite);
  return {
    loss: finite ? loss / m : Number.NaN,
    accuracy: finite ? hits / m : Number.NaN,
    confusion,
    predicted,
  };
}
