/**
 * The function-space naturality defect (docs/theory.md §1), independent of coordinates:
 *   D^fn_K = max_k sqrt( (1/N) Σ_n ‖h(x_n; θ̃_k) − h(x_n; θ_k)‖² ),
 * θ_k the θ-run and θ̃_k = f(φ_k) the pushed-forward φ-run; for a softmax model h is taken
 * up to a common shift of its logits (the same predictions). The model is evaluated on
 * the tensor backend (float32) with all steps of both runs stacked as parameter rows, so
 * one model call covers every k (split into chunks only when the output would be large).
 * Read back asynchronously: a synchronous read loses the device on tfjs-webgpu.
 */
import { maxDistance } from './defect';
import { takeValues, tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D } from '../tf';
import type { Problem } from '../problems/problem';

/** Largest model output (rows × N × C numbers) evaluated in one call. */
const MAX_OUTPUTS = 1 << 22;

/** Per-step RMS output distance for paired rows of one chunk of steps. */
async function chunk(
  problem: Problem,
  theta: readonly number[][],
  pushed: readonly number[][],
): Promise<number[]> {
  const k = theta.length;
  const dist = tf.tidy(() => {
    const rows = tf.tensor2d(
      [...theta, ...pushed].map((r) => [...r]),
      [2 * k, problem.P],
    ) as Tensor2D;
    const out = problem.model(rows, tf.expandDims(problem.x, 0) as Tensor3D);
    const [a, b] = tf.split(out, 2, 0) as [Tensor3D, Tensor3D];
    let d: Tensor = tf.sub(b, a);
    // Softmax predictions do not change when all C logits move together: the distance is
    // taken between logits up to that shift, min_c ‖Δh − c·1‖ = ‖Δh − mean(Δh)·1‖.
    if (problem.likelihood.kind === 'softmax') d = tf.sub(d, tf.mean(d, -1, true));
    return tf.sqrt(tf.mean(tf.sum(tf.square(d), -1), -1)) as Tensor1D;
  });
  return takeValues(dist);
}

/**
 * ‖h(·; θ̃_k) − h(·; θ_k)‖ as an RMS over the N training inputs, for k = 0 … min length − 1.
 * Rows are θ vectors (P numbers each). NaN where either run has left the finite numbers.
 */
export async function functionDistances(
  problem: Problem,
  theta: readonly number[][],
  pushed: readonly number[][],
): Promise<number[]> {
  const k = Math.min(theta.length, pushed.length);
  const per = Math.max(1, Math.floor(MAX_OUTPUTS / (2 * problem.N * problem.C)));
  const out: number[] = [];
  for (let s = 0; s < k; s += per) {
    const e = Math.min(k, s + per);
    out.push(...(await chunk(problem, theta.slice(s, e), pushed.slice(s, e))));
  }
  return out;
}

/** D^fn_K: the largest per-step distance; NaN if any compared step is NaN; 0 for no steps. */
export async function functionDefect(
  problem: Problem,
  theta: readonly number[][],
  pushed: readonly number[][],
): Promise<number> {
  return maxDistance(await functionDistances(problem, theta, pushed));
}
