/**
 * `tiny-net`: y = a·tanh(b·x) fit by squared error, θ = (a, b). The 2-parameter network
 * of docs/theory.md §3–§4: 32 inputs on [−2, 2], targets from a teacher (a*, b*) plus seeded noise.
 */
import { tf, type Tensor3D } from '../tf';
import { tanh } from '../ops';
import { makeRng } from '../random';
import { linspace, makeProblem, param, type Problem } from './problem';
import { tinyNetParams, type TinyNetParams, regressionData } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { tinyNetParams, type TinyNetParams, regressionData };

export function tinyNet(params: TinyNetParams, seed: number): Problem {
  const rng = makeRng(seed);
  const [ta, tb] = params.teacher;
  const xs = params.data?.x ?? linspace(-2, 2, params.n);
  const ys = params.data?.y ?? xs.map((v) => ta * Math.tanh(tb * v) + params.noise * rng.normal());
  return makeProblem({
    id: 'tiny-net',
    P: 2,
    C: 1,
    likelihood: { kind: 'gaussian', sigma: 1 },
    paramNames: ['a', 'b'],
    init: [0.4, 0.6],
    window: [
      [-2, 2.5],
      [-1.5, 3.5],
    ],
    x: xs.map((v) => [v]),
    y: ys.map((v) => [v]),
    model: (theta, x) => tf.mul(param(theta, 0), tanh(tf.mul(param(theta, 1), x))) as Tensor3D,
  });
}
