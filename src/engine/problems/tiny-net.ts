/**
 * `tiny-net`: y = a·tanh(b·x) fit by squared error, θ = (a, b). The 2-parameter network
 * of THEORY §3–§4: 32 inputs on [−2, 2], targets from a teacher (a*, b*) plus seeded noise.
 */
import { z } from 'zod';
import { tf, type Tensor3D } from '../tf';
import { tanh } from '../ops';
import { makeRng } from '../random';
import { linspace, makeProblem, param, type Problem } from './problem';

export const regressionData = z
  .object({ x: z.array(z.number().finite()).min(2).max(10000), y: z.array(z.number().finite()) })
  .strict()
  .refine((d) => d.x.length === d.y.length, { message: 'x and y must have the same length' });

export const tinyNetParams = z
  .object({
    n: z.number().int().min(2).max(10000).default(32),
    teacher: z.tuple([z.number().finite(), z.number().finite()]).default([1, 2]),
    noise: z.number().nonnegative().finite().default(0),
    data: regressionData.optional(),
  })
  .strict();
export type TinyNetParams = z.infer<typeof tinyNetParams>;

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
