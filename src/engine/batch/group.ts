/**
 * A run group: R runs of one objective advanced by one optimizer instance over stacked
 * parameter rows [R, P] (the Optimizer contract serves R rows; rows never interact), so
 * each tensor operation of a step serves every run of the group.
 *
 * A run leaves the group with `keep(rows)`: the parameters are gathered to the surviving
 * rows and the optimizer's per-row state follows through its `keepRows`. An optimizer
 * without `keepRows` has no per-row state by contract, and is re-created for the
 * survivors; the surviving runs never lose state either way.
 */
import { tf, type Tensor2D } from '../tf';
import type { Objective } from '../objective';
import type { Hyper, Optimizer, OptimizerDef } from '../optimizers/optimizer';

export interface RunGroup {
  readonly objective: Objective;
  /** Rows still in the group (0 once every run has left). */
  readonly size: number;
  /** The current parameter rows [size, P], owned by the group; null when empty. */
  readonly params: Tensor2D | null;
  /** Advance every row by one optimizer step. */
  step(): void;
  /** Keep only these rows (ascending indices into the current rows); the rest leave. */
  keep(rows: readonly number[]): void;
  dispose(): void;
}

/** A group starting at `starts` (one row of P numbers per run, in parameter coordinates). */
export function createRunGroup(
  objective: Objective,
  def: OptimizerDef,
  hyper: Hyper,
  starts: readonly (readonly number[])[],
): RunGroup {
  const P = objective.P;
  if (starts.length === 0) throw new Error('a run group needs at least one run');
  let params: Tensor2D | null = tf.tensor2d(
    starts.map((s) => Array.from(s)),
    [starts.length, P],
  );
  let optimizer: Optimizer | null = def.create(objective, hyper, starts.length);

  function release(): void {
    params?.dispose();
    optimizer?.dispose();
    params = null;
    optimizer = null;
  }

  return {
    objective,
    get size() {
      return params?.shape[0] ?? 0;
    },
    get params() {
      return params;
    },
    step() {
      if (!params || !optimizer) return;
      const next = optimizer.step(params);
      params.dispose();
      params = next;
    },
    keep(rows) {
      if (!params || !optimizer) return;
      if (rows.length === params.shape[0]) return;
      if (rows.length === 0) {
        release();
        return;
      }
      const kept = tf.tidy(() => tf.gather(params as Tensor2D, Array.from(rows)) as Tensor2D);
      params.dispose();
      params = kept;
      if (optimizer.keepRows) {
        optimizer.keepRows(rows);
      } else {
        optimizer.dispose();
        optimizer = def.create(objective, hyper, rows.length);
      }
    },
    dispose: release,
  };
}
