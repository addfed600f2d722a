/**
 * Column surgery on parameter rows [B, P] for maps that act on some coordinates only.
 * Built from slice and concat (linear ops whose gradients are linear again), so nested
 * `tf.grad` works, and an op such as exp never sees the coordinates it leaves alone
 * (exp of a large untouched coordinate would put inf·0 = NaN into the gradient).
 */
import { tf, type Tensor, type Tensor2D } from '../tf';

/** Runs of consecutive columns with the same membership: [start, length, member]. */
function runs(P: number, on: ReadonlySet<number>): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  for (let c = 0; c < P; c++) {
    const last = out[out.length - 1];
    if (last && last[2] === on.has(c)) last[1] += 1;
    else out.push([c, 1, on.has(c)]);
  }
  return out;
}

/** Apply an elementwise `fn` to the columns in `on`, leave the others as they are. */
export function mapColumns(phi: Tensor2D, on: ReadonlySet<number>, fn: (x: Tensor) => Tensor): Tensor2D {
  const P = phi.shape[1];
  if (on.size === 0) return tf.clone(phi);
  if (on.size === P) return fn(phi) as Tensor2D;
  const parts = runs(P, on).map(([start, len, member]) => {
    const block = tf.slice(phi, [0, start], [-1, len]);
    return member ? fn(block) : block;
  });
  return tf.concat(parts, 1) as Tensor2D;
}

/** Column c of rows as [B, 1]. */
export function column(phi: Tensor2D, c: number): Tensor2D {
  return tf.slice(phi, [0, c], [-1, 1]);
}

/** Rows with some columns replaced by new [B, 1] columns (the others unchanged). */
export function replaceColumns(phi: Tensor2D, replace: ReadonlyMap<number, Tensor>): Tensor2D {
  const P = phi.shape[1];
  const parts: Tensor[] = [];
  for (const [start, len, member] of runs(P, new Set(replace.keys()))) {
    if (!member) parts.push(tf.slice(phi, [0, start], [-1, len]));
    else for (let c = start; c < start + len; c++) parts.push(replace.get(c) as Tensor);
  }
  return tf.concat(parts, 1) as Tensor2D;
}
