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
import { dropPrimedGradient, type Objective } from '../objective';
import type { Hyper, Optimizer, OptimizerDef, OptimizerState } from '../optimizers/optimizer';
import type { RunResult } from '../run';
import type { SecondOrderOptimizer } from '../optimizers/second-order';
import type { CgReport } from '../linalg/solve';

export interface RunGroup {
  readonly objective: Objective;
  /**
   * The telemetry may compute the next step's gradient with the loss (the optimizer's
   * `gradientAtParams`; objective.ts `lossPrimingGradient`). The group drops an unused
   * one whenever its rows change.
   */
  readonly primesGradient?: boolean;
  /** Rows still in the group (0 once every run has left). */
  readonly size: number;
  /** The current parameter rows [size, P], owned by the group; null when empty. */
  readonly params: Tensor2D | null;
  /**
   * Advance every row by one optimizer step: synchronously for optimizers that step
   * synchronously (first-order), else a promise (await it before anything else uses the group).
   */
  step(): void | Promise<void>;
  /** Keep only these rows (ascending indices into the current rows); the rest leave. */
  keep(rows: readonly number[]): void;
  /** The optimizer's state over the current rows (optimizers/state.ts); null when empty. */
  exportState(): Promise<OptimizerState | null>;
  /** Replace the optimizer's state (exported over the same rows); ignored when empty. */
  importState(state: OptimizerState): void;
  /** The rows and optimizer state as plain data (a checkpoint); null when empty. */
  snapshot(): Promise<GroupSnapshot | null>;
  /**
   * Continue from a snapshot taken over the same number of rows: after it the group steps
   * exactly as the one that took it (throws if it does not fit; the group is unchanged then).
   */
  restore(snapshot: GroupSnapshot): void;
  dispose(): void;
  /**
   * Per current row, the latest step's CG solve (iterations, relative residual) when the
   * optimizer solved by CG (optimizers/second-order.ts `info()`); null otherwise.
   */
  solves?(): readonly (CgReport | null)[];
}

/** A group's state as plain data (batch/checkpoint.ts). */
export interface GroupSnapshot {
  /** The current parameter rows [R][P] (exact float32 values). */
  params: number[][];
  state: OptimizerState;
  /** Switch groups only (switch.ts): steps taken, and whether it steps in φ by now. */
  phase?: { taken: number; switched: boolean };
}

/** A group with its runs' records, in row order. */
export interface BatchEntry {
  group: RunGroup;
  members: RunResult[];
}

/**
 * A group starting at `starts` (one row of P numbers per run, in parameter coordinates).
 * `objective` is what the driver records (θ, loss); the optimizer steps on
 * `stepObjective` — the same, or the same rows over the current mini-batch (problems/minibatch.ts).
 */
export function createRunGroup(
  objective: Objective,
  def: OptimizerDef,
  hyper: Hyper,
  starts: readonly (readonly number[])[],
  stepObjective: Objective = objective,
): RunGroup {
  const P = objective.P;
  if (starts.length === 0) throw new Error('a run group needs at least one run');
  let params: Tensor2D | null = tf.tensor2d(
    starts.map((s) => Array.from(s)),
    [starts.length, P],
  );
  let optimizer: Optimizer | null = def.create(stepObjective, hyper, starts.length);

  /** Dispose rows the group no longer holds, with any gradient primed at them. */
  const retire = (rows: Tensor2D): void => {
    dropPrimedGradient(rows);
    rows.dispose();
  };

  function release(): void {
    if (params) retire(params);
    optimizer?.dispose();
    params = null;
    optimizer = null;
  }

  return {
    objective,
    // A gradient primed with the recorded loss is the full batch's: useless on a mini-batch.
    primesGradient: def.gradientAtParams === true && stepObjective === objective,
    get size() {
      return params?.shape[0] ?? 0;
    },
    get params() {
      return params;
    },
    step() {
      if (!params || !optimizer) return;
      const before = params;
      const out = optimizer.step(before);
      // The old rows stay alive until the step has read them; a group released meanwhile
      // (a disposed session) drops the new rows.
      const commit = (next: Tensor2D): void => {
        if (params !== before) {
          next.dispose();
          return;
        }
        retire(before);
        params = next;
      };
      if (out instanceof Promise) return out.then(commit);
      commit(out);
    },
    solves() {
      const info = (optimizer as Partial<SecondOrderOptimizer> | null)?.info?.() ?? [];
      return info.map((i) => i.cg ?? null);
    },
    keep(rows) {
      if (!params || !optimizer) return;
      if (rows.length === params.shape[0]) return;
      if (rows.length === 0) {
        release();
        return;
      }
      const kept = tf.tidy(() => tf.gather(params as Tensor2D, Array.from(rows)) as Tensor2D);
      retire(params);
      params = kept;
      if (optimizer.keepRows) {
        optimizer.keepRows(rows);
      } else {
        optimizer.dispose();
        optimizer = def.create(stepObjective, hyper, rows.length);
      }
    },
    exportState: async () => (optimizer ? await optimizer.exportState() : null),
    importState(state) {
      optimizer?.importState(state);
    },
    async snapshot() {
      if (!params || !optimizer) return null;
      // Both reads start before the first await: the snapshot is of one step.
      const rows = params.clone();
      try {
        const [p, state] = await Promise.all([rows.array(), optimizer.exportState()]);
        return { params: p, state };
      } finally {
        rows.dispose();
      }
    },
    restore(snapshot) {
      if (!params || !optimizer) throw new Error('restore: the group has no rows');
      const R = params.shape[0];
      if (snapshot.params.length !== R || snapshot.params.some((r) => r.length !== P)) {
        throw new Error(`restore: the snapshot's rows do not fit [${R}×${P}]`);
      }
      // Import first: it throws on a state that does not fit, before anything changes.
      optimizer.importState(snapshot.state);
      retire(params);
      params = tf.tensor2d(
        snapshot.params.map((r) => Array.from(r)),
        [R, P],
      );
    },
    dispose: release,
  };
}
