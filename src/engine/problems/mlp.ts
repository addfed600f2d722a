/**
 * `mlp`: a multi-layer perceptron with chosen hidden widths and activation on a seeded
 * data set: 2-D classification (`spiral`, `circles`, `xor`, `gaussians`;
 * softmax) or 1-D regression (`sine`; Gaussian, σ = 1), with a seeded train/test split.
 * Two classes use one output z and logits [0, z] (logits.ts), so the default
 * 2-16-16-1 tanh net has P = 337; C > 2 classes use C outputs.
 */
import { makeRng, subSeed } from '../random';
import { classificationSet, oneHot, sineSet, splitIndices } from './datasets';
import { denseForward, denseParamNames, glorotInit, mlpLayers, paramCount } from './dense';
import { denseFastPath, type DenseProblem } from './dense-grad';
import { binaryLogits } from './logits';
import { makeProblem, type Problem } from './problem';
import { mlpParams, type MlpParams, type MlpData } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { mlpParams, type MlpParams };

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
  const problem = makeProblem({
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
  // The hand-derived loss, gradient and Jacobians of this same network (dense-grad.ts).
  const dense = denseFastPath(layers, classes === 2 ? 'binary' : 'identity', problem);
  if (!dense) return problem;
  const withFastPath: DenseProblem = {
    ...problem,
    dense,
    dispose: () => {
      dense.dispose();
      problem.dispose();
    },
  };
  return withFastPath;
}
