/**
 * `mlp`: a multi-layer perceptron with chosen hidden widths and activation on a seeded
 * data set (issue 5): 2-D classification (`spiral`, `circles`, `xor`, `gaussians`;
 * softmax) or 1-D regression (`sine`; Gaussian, σ = 1), with a seeded train/test split.
 * Two classes use one output z and logits [0, z] (logits.ts), so the default
 * 2-16-16-1 tanh net has P = 337; C > 2 classes use C outputs.
 */
import { z } from 'zod';
import { makeRng, subSeed } from '../random';
import {
  checkClassification,
  checkedSchema,
  checkRegression,
  MAX_CLASSES,
  type Checked,
  type ClassificationData,
  type RegressionData,
} from './data';
import { classificationSet, oneHot, sineSet, splitIndices } from './datasets';
import { denseForward, denseParamNames, glorotInit, mlpLayers, paramCount } from './dense';
import { binaryLogits } from './logits';
import { makeProblem, type Problem } from './problem';

type MlpData = ({ kind: 'classification' } & ClassificationData) | ({ kind: 'regression' } & RegressionData);

function checkMlpData(raw: unknown): Checked<MlpData> {
  const isClassification = typeof raw === 'object' && raw !== null && 'points' in raw;
  const res = isClassification ? checkClassification(raw, 2, MAX_CLASSES) : checkRegression(raw);
  if (!res.ok) return res;
  const kind = isClassification ? 'classification' : 'regression';
  return { ok: true, data: { kind, ...res.data } as MlpData };
}

export const mlpParams = z
  .object({
    dataset: z.enum(['spiral', 'circles', 'xor', 'gaussians', 'sine']).default('spiral'),
    /** Hidden layer widths, input side first. */
    hidden: z.array(z.number().int().min(1).max(256)).max(8).default([16, 16]),
    activation: z.enum(['tanh', 'relu', 'softplus', 'linear']).default('tanh'),
    /** Points generated in all, before the train/test split. */
    n: z.number().int().min(4).max(10000).default(256),
    /** Std of the Gaussian noise on coordinates (classification) or targets (sine). */
    noise: z.number().min(0).max(2).default(0.1),
    /** Classes of the `gaussians` set (the other sets have 2). */
    classes: z.number().int().min(2).max(MAX_CLASSES).default(2),
    /** Fraction of the points held out as the test set. */
    testFraction: z.number().min(0).max(0.9).default(0.2),
    /**
     * Inline data instead of a generated set: `{points, labels}` (classification, labels
     * 0..C − 1, C = largest label + 1) or `{x, y}` (1-D regression). `dataset` is then ignored.
     */
    data: checkedSchema(checkMlpData).optional(),
  })
  .strict();
export type MlpParams = z.infer<typeof mlpParams>;

/** Generated or inline data, as one table before the split. */
function tableOf(params: MlpParams, seed: number): { x: number[][]; y: number[][]; classes: number } {
  const rng = makeRng(subSeed(seed, 'data'));
  const data: MlpData =
    params.data ??
    (params.dataset === 'sine'
      ? { kind: 'regression', ...sineSet(params.n, params.noise, rng) }
      : {
          kind: 'classification',
          ...classificationSet(
            params.dataset,
            params.n,
            params.noise,
            params.dataset === 'gaussians' ? params.classes : 2,
            rng,
          ),
        });
  if (data.kind === 'regression') return { x: data.x.map((v) => [v]), y: data.y.map((v) => [v]), classes: 0 };
  const classes = params.data
    ? Math.max(2, ...data.labels.map((l) => l + 1))
    : params.dataset === 'gaussians'
      ? params.classes
      : 2;
  return { x: data.points, y: oneHot(data.labels, classes), classes };
}

export function mlp(params: MlpParams, seed: number): Problem {
  const table = tableOf(params, seed);
  const { train, test } = splitIndices(table.x.length, params.testFraction, makeRng(subSeed(seed, 'split')));
  const pick = (rows: number[][], idx: number[]): number[][] => idx.map((i) => rows[i] ?? []);
  const classes = table.classes;
  const inputs = table.x[0]?.length ?? 1;
  const layers = mlpLayers(inputs, params.hidden, classes > 2 ? classes : 1, params.activation);
  const P = paramCount(layers);
  return makeProblem({
    id: 'mlp',
    P,
    C: classes === 0 ? 1 : classes,
    likelihood: classes === 0 ? { kind: 'gaussian', sigma: 1 } : { kind: 'softmax' },
    paramNames: denseParamNames(layers),
    init: glorotInit(layers, makeRng(subSeed(seed, 'init'))),
    window:
      P === 2
        ? [
            [-3, 3],
            [-3, 3],
          ]
        : null,
    layers,
    x: pick(table.x, train),
    y: pick(table.y, train),
    ...(test.length > 0 ? { test: { x: pick(table.x, test), y: pick(table.y, test) } } : {}),
    model: (theta, x) => {
      const out = denseForward(layers, theta, x);
      return classes === 2 ? binaryLogits(out) : out;
    },
  });
}
