/**
 * `quadratic`: L(θ) = ½ (θ − θ*)ᵀ A (θ − θ*) with A = Rᵀ diag(cond, 1) R, R the rotation
 * by `angle`. Posed as least squares so Fisher and Gauss-Newton are defined (and equal
 * A): one example with outputs h = S R θ, targets S R θ*, S = diag(√cond, 1), and a
 * unit-variance Gaussian likelihood. The stiff direction (eigenvalue `cond`) is
 * (cos angle, sin angle).
 */
import { tf, type Tensor3D } from '../tf';
import { makeRng, subSeed } from '../random';
import { makeProblem, type Problem } from './problem';
import { quadraticParams, type QuadraticParams } from './params';

// The parameter schema lives in a tf-free module (the page validates experiments with it).
export { quadraticParams, type QuadraticParams };

/** S R as a plain 2×2 matrix (rows are outputs). */
export function quadraticFactor(cond: number, angleDeg: number): number[][] {
  const a = (angleDeg * Math.PI) / 180;
  const [c, s, k] = [Math.cos(a), Math.sin(a), Math.sqrt(cond)];
  return [
    [k * c, k * s],
    [-s, c],
  ];
}

export function quadratic(params: QuadraticParams, seed: number): Problem {
  const m = quadraticFactor(params.cond, params.angle);
  const [t0, t1] = params.center;
  const target = m.map((row) => (row[0] ?? 0) * t0 + (row[1] ?? 0) * t1);
  // Start on a circle of radius 2 around θ*, at a seeded angle: the same distance for
  // every seed, so runs differ only in which direction they come from.
  const alpha = makeRng(subSeed(seed, 'init')).uniform(0, 2 * Math.PI);
  return makeProblem({
    id: 'quadratic',
    P: 2,
    C: 2,
    likelihood: { kind: 'gaussian', sigma: 1 },
    paramNames: ['θ₁', 'θ₂'],
    init: [t0 + 2 * Math.cos(alpha), t1 + 2 * Math.sin(alpha)],
    window: [
      [t0 - 3, t0 + 3],
      [t1 - 3, t1 + 3],
    ],
    x: [[0]],
    y: [target],
    model: (theta, x) => {
      // A 2×2 constant made per call (inside the caller's tidy) rather than held.
      const h = tf.expandDims(tf.matMul(theta, tf.tensor2d(m), false, true), 1);
      return tf.broadcastTo(h, [theta.shape[0], x.shape[1], 2]) as Tensor3D;
    },
  });
}
