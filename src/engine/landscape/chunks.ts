/**
 * Chunked evaluation of a loss over many parameter rows, shared by the 2-parameter grids
 * and the network slices: each chunk is one batched computation on the tensor backend,
 * read back before the next starts, so no call builds a huge tensor. Between chunks the
 * loop reports progress, yields to the event loop (so a worker can receive "stop" or a
 * new experiment) and checks for cancellation.
 */
import { tf, type Tensor1D } from '../tf';

/** Cancellation: a plain `{ cancelled }` flag or a DOM/Node `AbortSignal`. */
export type CancelSignal = { readonly cancelled: boolean } | { readonly aborted: boolean };

/** Progress and cancellation of a long landscape computation. */
export interface GridControl {
  /** Called after each chunk with the fraction of rows done, in (0, 1]; the last call is 1. */
  onProgress?: (fraction: number) => void;
  /** Checked before every chunk; when set the computation rejects with a cancellation error. */
  signal?: CancelSignal;
}

const CANCELLED = 'LandscapeCancelled';

/** Whether the signal asks to stop. */
export function isCancelled(signal: CancelSignal | undefined): boolean {
  if (!signal) return false;
  return 'aborted' in signal ? signal.aborted : signal.cancelled;
}

/** The error a cancelled computation rejects with (tell it apart with `isCancelledError`). */
export function cancelledError(): Error {
  const err = new Error('landscape computation cancelled');
  err.name = CANCELLED;
  return err;
}

export function isCancelledError(err: unknown): boolean {
  return err instanceof Error && err.name === CANCELLED;
}

/** A macrotask boundary: lets queued messages (pause, a new experiment) run between chunks. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Evaluate `total` rows in chunks of at most `chunk`: `evaluate(start, count)` returns the
 * loss of rows start..start+count−1 as a tensor [count] or an array (computed off the
 * tensor backend), and runs inside tf.tidy (its intermediates are freed). Resolves to all
 * values (float32, as computed); rejects with `cancelledError()` when `control.signal` is set
 * between chunks.
 */
export async function evaluateInChunks(
  total: number,
  chunk: number,
  evaluate: (start: number, count: number) => Tensor1D | Float32Array,
  control: GridControl = {},
): Promise<Float32Array> {
  if (!(chunk >= 1)) throw new Error(`chunk must be at least 1 (got ${chunk})`);
  const values = new Float32Array(total);
  for (let start = 0; start < total; start += chunk) {
    if (isCancelled(control.signal)) throw cancelledError();
    const count = Math.min(chunk, total - start);
    const part = tf.tidy(() => evaluate(start, count));
    if (part instanceof Float32Array) values.set(part, start);
    else
      try {
        values.set(await part.data(), start);
      } finally {
        part.dispose();
      }
    // A stop that arrived while the chunk ran: no progress report for work nobody wants.
    if (isCancelled(control.signal)) throw cancelledError();
    control.onProgress?.(start + count === total ? 1 : (start + count) / total);
    if (start + count < total) await yieldToEventLoop();
  }
  return values;
}
