/**
 * The benchmark's baseline (docs/performance.md): full-batch gradient descent on the 2-16-16-1 tanh MLP written
 * as plain JavaScript float64 loops, forward and backward by hand (as TensorFlow
 * Playground does). Same layout and loss as the engine's `mlp` problem: θ is W [in, out]
 * row-major then b [out] per layer; two classes use logits [0, z], so the per-example
 * loss is softplus(z) − y₁·z and ∂ℓ/∂z = σ(z) − y₁; the loss is the mean over N.
 */

export interface JsMlp {
  P: number;
  /** Mean loss and gradient at θ (gradient written into `grad`). */
  lossGrad(theta: Float64Array, grad: Float64Array): number;
  /** One GD step in place: θ ← θ − η ∇L(θ). Returns the loss before the step. */
  step(theta: Float64Array, lr: number): number;
}

/** A network with the given widths (tanh hidden layers, one linear output) on points x [N][d], labels y1 ∈ {0, 1}. */
export function jsMlp(
  widths: readonly number[],
  x: readonly (readonly number[])[],
  y1: readonly number[],
): JsMlp {
  const L = widths.length - 1;
  const N = x.length;
  const offsets: number[] = [];
  let P = 0;
  for (let l = 0; l < L; l++) {
    offsets.push(P);
    P += ((widths[l] as number) + 1) * (widths[l + 1] as number);
  }
  // Activations and deltas per layer for one example, reused.
  const acts = widths.map((w) => new Float64Array(w));
  const deltas = widths.map((w) => new Float64Array(w));
  const grad = new Float64Array(P);

  function lossGrad(theta: Float64Array, g: Float64Array): number {
    g.fill(0);
    let loss = 0;
    for (let n = 0; n < N; n++) {
      const xn = x[n] as readonly number[];
      const a0 = acts[0] as Float64Array;
      for (let i = 0; i < a0.length; i++) a0[i] = xn[i] as number;
      for (let l = 0; l < L; l++) {
        const nin = widths[l] as number;
        const nout = widths[l + 1] as number;
        const o = offsets[l] as number;
        const ain = acts[l] as Float64Array;
        const aout = acts[l + 1] as Float64Array;
        for (let j = 0; j < nout; j++) {
          let z = theta[o + nin * nout + j] as number;
          for (let i = 0; i < nin; i++) z += (ain[i] as number) * (theta[o + i * nout + j] as number);
          aout[j] = l === L - 1 ? z : Math.tanh(z);
        }
      }
      const z = (acts[L] as Float64Array)[0] as number;
      const y = y1[n] as number;
      // softplus(z) − y·z, stably; σ(z) − y is ∂ℓ/∂z.
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y * z;
      (deltas[L] as Float64Array)[0] = (1 / (1 + Math.exp(-z)) - y) / N;
      for (let l = L - 1; l >= 0; l--) {
        const nin = widths[l] as number;
        const nout = widths[l + 1] as number;
        const o = offsets[l] as number;
        const ain = acts[l] as Float64Array;
        const dout = deltas[l + 1] as Float64Array;
        const din = deltas[l] as Float64Array;
        for (let j = 0; j < nout; j++)
          g[o + nin * nout + j] = (g[o + nin * nout + j] as number) + (dout[j] as number);
        for (let i = 0; i < nin; i++) {
          const a = ain[i] as number;
          let s = 0;
          for (let j = 0; j < nout; j++) {
            const w = o + i * nout + j;
            g[w] = (g[w] as number) + a * (dout[j] as number);
            s += (theta[w] as number) * (dout[j] as number);
          }
          // tanh' = 1 − a² for hidden activations; the input layer's delta is not needed.
          if (l > 0) din[i] = s * (1 - a * a);
        }
      }
    }
    return loss / N;
  }

  return {
    P,
    lossGrad,
    step(theta, lr) {
      const loss = lossGrad(theta, grad);
      for (let p = 0; p < P; p++) theta[p] = (theta[p] as number) - lr * (grad[p] as number);
      return loss;
    },
  };
}
