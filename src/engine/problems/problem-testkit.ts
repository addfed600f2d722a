/**
 * Shared checks for the problems' tests: float32 loss and gradient of parameter rows
 * through the engine's own objective, central finite differences of a float64 reference,
 * and a float64 dense-network forward pass. Test support only; not used by the app.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient, makeObjective } from '../objective';
import { testMetrics, type Metrics } from './metrics';
import type { DenseLayer, Problem } from './problem';
import type { z } from 'zod';
import type { DenseProblem } from './dense-grad';
import type { mlpParams } from './mlp';

/** The same problem without its dense fast path: its loss and derivatives by autodiff of the plain model. */
export function withoutFastPath(problem: Problem): Problem {
  const { dense: _dense, ...rest } = problem as DenseProblem;
  return rest;
}

/** Dense networks that between them take every activation, head and likelihood of the fast path. */
export const denseCases: { name: string; params: z.input<typeof mlpParams> }[] = [
  { name: 'tanh, two classes (logits [0, z])', params: { hidden: [5, 4], n: 40 } },
  { name: 'relu, two classes', params: { hidden: [6], activation: 'relu', n: 40, dataset: 'circles' } },
  {
    name: 'softplus, three classes',
    params: { hidden: [4, 3], activation: 'softplus', n: 45, dataset: 'gaussians', classes: 3 },
  },
  { name: 'linear, sine regression', params: { hidden: [4], activation: 'linear', n: 30, dataset: 'sine' } },
  { name: 'tanh, sine regression', params: { hidden: [3, 3], n: 30, dataset: 'sine' } },
];

/** Mean loss of each parameter row, float32, through makeObjective. */
export function lossRows(problem: Problem, rows: number[][]): number[] {
  const obj = makeObjective(problem, null);
  return tf.tidy(() => Array.from(obj.loss(tf.tensor2d(rows) as Tensor2D).dataSync()));
}

/** Gradient of each parameter row, float32, by tf.grad. */
export function gradRows(problem: Problem, rows: number[][]): number[][] {
  const obj = makeObjective(problem, null);
  return tf.tidy(() => gradient(obj, tf.tensor2d(rows) as Tensor2D).arraySync());
}

/** Test metrics of plain parameter rows (the input tensor is freed). */
export async function testMetricsRows(
  problem: Problem,
  rows: readonly (readonly number[])[],
): Promise<Metrics | null> {
  const t = tf.tensor2d(rows.map((r) => [...r])) as Tensor2D;
  try {
    return await testMetrics(problem, t);
  } finally {
    t.dispose();
  }
}

/** Central differences of f at x with step h, every coordinate. */
export function fdGradient(f: (x: number[]) => number, x: readonly number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = [...x];
    const dn = [...x];
    up[i] = (up[i] ?? 0) + h;
    dn[i] = (dn[i] ?? 0) - h;
    return (f(up) - f(dn)) / (2 * h);
  });
}

/** max |a − b| / max(1, max |b|): a relative error that tolerates tiny entries. */
export function relErr(a: readonly number[], b: readonly number[]): number {
  const scale = Math.max(1, ...b.map(Math.abs));
  return Math.max(...a.map((v, i) => Math.abs(v - (b[i] ?? 0)))) / scale;
}

const act64: Record<DenseLayer['activation'], (z: number) => number> = {
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  softplus: (z) => (z > 30 ? z : Math.log1p(Math.exp(z))),
  linear: (z) => z,
};

/** The dense network of dense.ts in float64, one input row -> outputs. */
export function dense64(
  layers: readonly DenseLayer[],
  theta: readonly number[],
  x: readonly number[],
): number[] {
  let a = [...x];
  let off = 0;
  for (const l of layers) {
    const next: number[] = [];
    for (let j = 0; j < l.outputs; j++) {
      let s = theta[off + l.inputs * l.outputs + j] ?? 0;
      for (let i = 0; i < l.inputs; i++) s += (a[i] ?? 0) * (theta[off + i * l.outputs + j] ?? 0);
      next.push(act64[l.activation](s));
    }
    off += (l.inputs + 1) * l.outputs;
    a = next;
  }
  return a;
}

/** Mean softmax cross-entropy of logits rows against one-hot rows, float64. */
export function softmaxNll64(logits: number[][], onehot: number[][]): number {
  const total = logits.reduce((s, z, n) => {
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((t, v) => t + Math.exp(v - m), 0));
    return s + z.reduce((t, v, c) => t - (onehot[n]?.[c] ?? 0) * (v - lse), 0);
  }, 0);
  return total / logits.length;
}
