/**
 * `rosenbrock` posed as least squares, so Gauss-Newton and Fisher are defined:
 * residuals r(θ) = (x − a, √b (y − x²)), L = ½‖r‖² = ½[(a − x)² + b(y − x²)²].
 * One "example" with two outputs and a unit-variance Gaussian likelihood.
 */
import { tf } from '../tf';
import { makeProblem, param, type Problem } from './problem';
import { rosenbrockParams, type RosenbrockParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { rosenbrockParams, type RosenbrockParams };

export function rosenbrock(params: RosenbrockParams): Problem {
  const sb = Math.sqrt(params.b);
  return makeProblem({
    id: 'rosenbrock',
    P: 2,
    C: 2,
    likelihood: { kind: 'gaussian', sigma: 1 },
    paramNames: ['x', 'y'],
    init: [-1.2, 1],
    window: [
      [-2, 2],
      [-1, 3],
    ],
    x: [[0]],
    y: [[params.a, 0]],
    model: (theta, x) => {
      const m = x.shape[1];
      const u = param(theta, 0);
      const v = param(theta, 1);
      const r2 = tf.mul(tf.sub(v, tf.square(u)), sb);
      const b = theta.shape[0];
      return tf.concat([tf.broadcastTo(u, [b, m, 1]), tf.broadcastTo(r2, [b, m, 1])], 2) as ReturnType<
        Problem['model']
      >;
    },
  });
}
