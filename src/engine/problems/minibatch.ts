/**
 * Mini-batches (a problem's `batch` parameter, docs/experiment-format.md): step t's
 * gradient and curvature use B of the N training examples instead of all of them.
 *
 * Which examples is a pure function of (seed, N, B, t): epoch e = ⌊(t − 1)/m⌋ with
 * m = ⌊N/B⌋ batches per epoch is a seeded permutation of the training set, cut into m
 * consecutive batches (the N − mB examples left over are skipped that epoch; the next
 * epoch's permutation is another). Nothing about the batches is state: every run of a
 * session — θ-run, φ-run, switch run — sees the same batch at step t, and a session
 * restored from a checkpoint or replayed to step k draws the same batches afterwards.
 */
import { tf, type Tensor1D, type Tensor2D } from '../tf';
import { makeRng, subSeed } from '../random';
import { denseFastPathOf, type DenseFastPath } from './dense-grad';
import type { Problem } from './problem';

/** The training-example indices of step t's mini-batch (t = 1, 2, …): B distinct indices in 0..N−1. */
export function batchIndices(seed: number, n: number, size: number, step: number): number[] {
  if (!(Number.isInteger(size) && size >= 1 && size <= n)) {
    throw new Error(`batch: ${size} is not a mini-batch size for ${n} examples`);
  }
  if (!(Number.isInteger(step) && step >= 1)) throw new Error(`batch: step ${step} is not 1, 2, …`);
  const perEpoch = Math.floor(n / size);
  const epoch = Math.floor((step - 1) / perEpoch);
  const slot = (step - 1) % perEpoch;
  return epochOrder(seed, n, epoch).slice(slot * size, (slot + 1) * size);
}

/** Epoch e's permutation of 0..n−1 (Fisher–Yates from the seed's `batch e` stream). */
function epochOrder(seed: number, n: number, epoch: number): number[] {
  const key = `${seed} ${n} ${epoch}`;
  if (lastOrder?.key === key) return lastOrder.order;
  const rng = makeRng(subSeed(seed, `batch ${epoch}`));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  lastOrder = { key, order };
  return order;
}
let lastOrder: { key: string; order: number[] } | null = null;

export interface MiniBatches {
  /**
   * The problem seen through the current batch: its x, y, N (and the dense fast path) are
   * the batch's; everything else is the full problem's. Objectives over it step on the batch.
   */
  readonly problem: Problem;
  /** B. */
  readonly size: number;
  /** The step whose batch is current. */
  readonly step: number;
  /** Make step t's batch current (t ≥ 1); a no-op when it already is. */
  select(step: number): void;
  /** Free the batch's tensors (not the full problem's). */
  dispose(): void;
}

/** Mini-batches of `size` examples of `full`, drawn by `seed`; step 1's batch is current. */
export function miniBatches(full: Problem, size: number, seed: number): MiniBatches {
  const fullFast = denseFastPathOf(full);
  let current: { step: number; x: Tensor2D; y: Tensor2D; dense: DenseFastPath | null } | null = null;

  function release(): void {
    if (!current) return;
    current.dense?.dispose();
    tf.dispose([current.x, current.y]);
    current = null;
  }

  function select(step: number): void {
    if (current?.step === step) return;
    const idx = tf.tensor1d(batchIndices(seed, full.N, size, step), 'int32') as Tensor1D;
    const x = tf.gather(full.x, idx) as Tensor2D;
    const y = tf.gather(full.y, idx) as Tensor2D;
    idx.dispose();
    release();
    const dense = fullFast?.rebase({ model: full.model, likelihood: full.likelihood, x, y }) ?? null;
    current = { step, x, y, dense };
  }

  const now = () => {
    if (!current) throw new Error('mini-batches: used after dispose');
    return current;
  };
  // The full problem's own fields (a digits problem's `digits`, its test set), with the
  // data replaced by getters of the current batch.
  const problem = Object.defineProperties(
    { ...full, dispose: () => {} },
    {
      x: { get: () => now().x, enumerable: true },
      y: { get: () => now().y, enumerable: true },
      N: { get: () => size, enumerable: true },
      dense: { get: () => now().dense ?? undefined, enumerable: true },
    },
  ) as Problem;
  select(1);
  return {
    problem,
    size,
    get step() {
      return now().step;
    },
    select,
    dispose: release,
  };
}
