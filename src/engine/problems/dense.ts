/**
 * Dense networks over batched parameter rows (docs/theory.md §7, Problem.layers layout): θ is
 * laid out layer by layer, each as W [inputs, outputs] row-major then b [outputs]. One
 * call evaluates B parameter rows: each row's weights become one slice of a batched
 * matMul, so B runs (or B grid points, or N per-example rows) cost one op per layer.
 */
import { tf, type Tensor, type Tensor3D } from '../tf';
import { softplus, tanh } from '../ops';
import type { Rng } from '../random';
import type { DenseLayer } from './problem';

/** The layers of an MLP: inputs -> hidden… (activation) -> outputs (linear). */
export function mlpLayers(
  inputs: number,
  hidden: readonly number[],
  outputs: number,
  activation: DenseLayer['activation'],
): DenseLayer[] {
  const widths = [inputs, ...hidden, outputs];
  return widths.slice(1).map((w, i) => ({
    inputs: widths[i] ?? 0,
    outputs: w,
    activation: i === hidden.length ? 'linear' : activation,
  }));
}

/** The sizes of θ's blocks in layout order: each layer's weights (inputs·outputs), then its bias (outputs). */
export function blockSizes(layers: readonly Pick<DenseLayer, 'inputs' | 'outputs'>[]): number[] {
  return layers.flatMap((l) => [l.inputs * l.outputs, l.outputs]);
}

/** Number of parameters of the layers: Σ (inputs + 1)·outputs. */
export function paramCount(layers: readonly DenseLayer[]): number {
  return layers.reduce((s, l) => s + (l.inputs + 1) * l.outputs, 0);
}

/** Parameter names W1[i,j], b1[j], … in layout order (1-based layers, 0-based units). */
export function denseParamNames(layers: readonly DenseLayer[]): string[] {
  return layers.flatMap((l, k) => [
    ...Array.from(
      { length: l.inputs * l.outputs },
      (_, q) => `W${k + 1}[${Math.floor(q / l.outputs)},${q % l.outputs}]`,
    ),
    ...Array.from({ length: l.outputs }, (_, j) => `b${k + 1}[${j}]`),
  ]);
}

/**
 * Activations whose second derivatives are right under nested tf.grad: tanh and
 * softplus from ops.ts; relu's derivative is a step whose own derivative tfjs gives as 0.
 */
export function activate(kind: DenseLayer['activation'], z: Tensor): Tensor {
  switch (kind) {
    case 'tanh':
      return tanh(z);
    case 'softplus':
      return softplus(z);
    case 'relu':
      return tf.relu(z);
    case 'linear':
      return z;
  }
}

/**
 * The network for B parameter rows: theta [B, P], x [B or 1, M, inputs] -> [B, M, outputs].
 * An x with first dimension 1 is broadcast over the rows by the batched matMul.
 */
export function denseForward(layers: readonly DenseLayer[], theta: Tensor, x: Tensor3D): Tensor3D {
  const b = theta.shape[0] ?? 1;
  // One split for every weight and bias block (its gradient is one concat), rather than a
  // slice per block (each slice's gradient is a pad plus an add into the θ gradient).
  const sizes = blockSizes(layers);
  const used = sizes.reduce((s, n) => s + n, 0);
  const cols = theta.shape[1] ?? used;
  const blocks = tf.split(used === cols ? theta : tf.slice(theta, [0, 0], [b, used]), sizes, 1);
  let a: Tensor3D = x;
  layers.forEach((l, k) => {
    const w = tf.reshape(blocks[2 * k] as Tensor, [b, l.inputs, l.outputs]) as Tensor3D;
    const bias = tf.reshape(blocks[2 * k + 1] as Tensor, [b, 1, l.outputs]);
    a = activate(l.activation, tf.add(tf.matMul(a, w), bias)) as Tensor3D;
  });
  return a;
}

/**
 * Glorot (Xavier) normal initial weights, std √(2/(inputs + outputs)), zero biases,
 * in the layout above.
 */
export function glorotInit(layers: readonly DenseLayer[], rng: Rng): number[] {
  return layers.flatMap((l) => {
    const std = Math.sqrt(2 / (l.inputs + l.outputs));
    return [
      ...Array.from({ length: l.inputs * l.outputs }, () => rng.normal(0, std)),
      ...Array.from({ length: l.outputs }, () => 0),
    ];
  });
}
