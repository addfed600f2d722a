/**
 * `digits`: the 8×8 handwritten digits (UCI "Optical Recognition of Handwritten Digits",
 * E. Alpaydin and C. Kaynak, CC BY 4.0; data/digits/README.md), bundled in digits-data.ts
 * so nothing is fetched at run time. Pixels 0..16 are scaled to [0, 1]; a seeded split
 * holds out `nTest` images (default 297 of 1,797, leaving 1,500 to train on). The model is
 * an MLP 64-h(-h₂)-10 with softmax cross-entropy (default h = 32: P = 2,410), trained full
 * batch — or on seeded mini-batches (`batch`: problems/minibatch.ts) — with the same dense
 * fast path as `mlp` (dense-grad.ts).
 */
import { makeRng, subSeed } from '../random';
import { oneHot, splitIndices } from './datasets';
import { denseForward, denseParamNames, glorotInit, mlpLayers, paramCount } from './dense';
import { denseFastPath, type DenseProblem } from './dense-grad';
import { makeProblem, type DenseLayer, type Problem } from './problem';
import { DIGITS_ROWS } from './digits-data';
import { DIGITS_CLASSES, DIGITS_PIXELS, digitsParams, type DigitsParams } from './params';
import type { ClassificationData } from './data';

export { digitsParams, type DigitsParams };

/** The bundled images: pixels 0..16 row by row, and labels 0..9. */
export function bundledDigits(): ClassificationData {
  const points: number[][] = [];
  const labels: number[] = [];
  for (const row of DIGITS_ROWS) {
    const px: number[] = [];
    for (let j = 0; j < DIGITS_PIXELS; j++) px.push(row.charCodeAt(j) - 97);
    points.push(px);
    labels.push(Number(row[DIGITS_PIXELS]));
  }
  return { points, labels };
}

/** What the page and the reports need of a digits problem, as plain numbers. */
export interface DigitsInfo {
  layers: readonly DenseLayer[];
  /** Test images, pixels scaled to [0, 1] ([N_test][64]), and their labels. */
  testX: readonly (readonly number[])[];
  testLabels: readonly number[];
  /** Training images held (N) and test images (N_test). */
  nTrain: number;
}

export interface DigitsProblem extends DenseProblem {
  readonly digits: DigitsInfo;
}

export function digits(params: DigitsParams, seed: number): DigitsProblem {
  const data = params.data ?? bundledDigits();
  const n = data.labels.length;
  const x = data.points.map((p) => p.map((v) => v / 16));
  const y = oneHot(data.labels, DIGITS_CLASSES);
  const { train, test } = splitIndices(n, params.nTest / n, makeRng(subSeed(seed, 'split')));
  const pick = <T>(rows: readonly T[], idx: number[]): T[] => idx.map((i) => rows[i] as T);
  const layers = mlpLayers(DIGITS_PIXELS, params.hidden, DIGITS_CLASSES, params.activation);
  const testX = pick(x, test);
  const problem: Problem = makeProblem({
    id: 'digits',
    P: paramCount(layers),
    C: DIGITS_CLASSES,
    likelihood: { kind: 'softmax' },
    paramNames: denseParamNames(layers),
    init: glorotInit(layers, makeRng(subSeed(seed, 'init'))),
    window: null,
    layers,
    x: pick(x, train),
    y: pick(y, train),
    test: { x: testX, y: pick(y, test) },
    model: (theta, input) => denseForward(layers, theta, input),
  });
  const dense = denseFastPath(layers, 'identity', problem);
  if (!dense) {
    problem.dispose();
    throw new Error('digits: no dense fast path for these layers');
  }
  return {
    ...problem,
    dense,
    digits: { layers, testX, testLabels: pick(data.labels, test), nTrain: train.length },
    dispose: () => {
      dense.dispose();
      problem.dispose();
    },
  };
}

/** The problem as a digits problem, or null. */
export function asDigits(problem: Problem): DigitsProblem | null {
  return problem.id === 'digits' && 'digits' in problem ? (problem as DigitsProblem) : null;
}
