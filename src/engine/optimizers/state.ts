/**
 * An optimizer's state as plain data: `exportState()` / `importState()` of the Optimizer
 * contract. Used to change coordinates mid-run (transport.ts) and to checkpoint runs.
 *
 * Each named entry holds one array of numbers per row (run) — a tensor row read back as
 * exact float32 values, or float64 numbers for state kept on the CPU — or null when that
 * row has none yet (e.g. no previous direction). Its `kind` says how it transforms under a
 * change of coordinates θ = f(φ), J = ∂θ/∂φ at the current point:
 * - `vector`: a tangent vector (velocity, a solved direction δ = M⁻¹g): v_φ = J⁻¹ v_θ.
 * - `covector`: an average of gradients (Adam's m): m_φ = Jᵀ m_θ.
 * - `second-moment`: an elementwise average of g² (Adam's v, RMSProp's v). It has no
 *   transformation law for a general J (the full E[ggᵀ] would be needed); the caller
 *   chooses a policy.
 * - `curvature`: a running average of curvature matrices in the optimizer's own layout
 *   (K-FAC's factors and their decompositions); coordinate-dependent, opaque to callers.
 * - `scalar`: coordinate-free numbers (an adaptive λ, a step counter), kept as they are.
 * `counters` holds numbers shared by every row (Adam's bias-correction step counts).
 * An export followed by an import into a fresh optimizer of the same definition, objective
 * and hyper-parameters continues exactly as the original would (optimizers/state.test.ts).
 */
import { tf, type Tensor2D } from '../tf';
import type { OptimizerId } from './ids';

export type StateKind = 'vector' | 'covector' | 'second-moment' | 'curvature' | 'scalar';

export interface StateEntry {
  kind: StateKind;
  /** One entry per row: P numbers for vector, covector and second-moment kinds. */
  rows: (number[] | null)[];
  /** The counter (in `counters`) of this entry's updates, for its bias correction. */
  counter?: string;
}

export interface OptimizerState {
  optimizer: OptimizerId;
  /** Number of rows R. */
  rows: number;
  /** Parameter dimension of the rows. */
  P: number;
  counters: Record<string, number>;
  entries: Record<string, StateEntry>;
}

/** Rows `rows` of a state tensor, disposing the old one: the usual `keepRows` body. */
export function keepTensorRows(t: Tensor2D, rows: readonly number[]): Tensor2D {
  const kept = tf.tidy(() => tf.gather(t, Array.from(rows)) as Tensor2D);
  t.dispose();
  return kept;
}

/**
 * The rows of a state tensor as numbers (exact float32 values), read asynchronously (a
 * synchronous read loses the device on tfjs-webgpu). A clone is read, so a step that
 * replaces and disposes the state tensor meanwhile does not break the read.
 */
export async function tensorRows(t: Tensor2D): Promise<number[][]> {
  const copy = t.clone();
  try {
    return await copy.array();
  } finally {
    copy.dispose();
  }
}

/** A state tensor [rows, P] from exported rows (null rows become zeros). */
export function rowsTensor(rows: readonly (readonly number[] | null)[], P: number): Tensor2D {
  return tf.tensor2d(
    rows.map((r) => (r ? Array.from(r) : new Array<number>(P).fill(0))),
    [rows.length, P],
  );
}

/** Throws unless `state` was exported by optimizer `id` over `rows` rows of dimension P. */
export function checkState(state: OptimizerState, id: OptimizerId, rows: number, P: number): void {
  if (state.optimizer !== id || state.rows !== rows || state.P !== P) {
    throw new Error(
      `optimizer state of ${state.optimizer} [${state.rows}×${state.P}] does not fit ${id} [${rows}×${P}]`,
    );
  }
}

/** The entry `name` of a state, checked for its row count (and width P for tensor kinds). */
export function entryOf(state: OptimizerState, name: string): StateEntry {
  const e = state.entries[name];
  if (!e || e.rows.length !== state.rows)
    throw new Error(`optimizer state: entry "${name}" missing or wrong size`);
  if (e.kind !== 'curvature' && e.kind !== 'scalar') {
    for (const r of e.rows) {
      if (r && r.length !== state.P)
        throw new Error(`optimizer state: entry "${name}" rows need ${state.P} numbers`);
    }
  }
  return e;
}

/** A counter of a state (0 when absent). */
export function counterOf(state: OptimizerState, name: string): number {
  return state.counters[name] ?? 0;
}

/** The state of an optimizer that has none. */
export function emptyState(optimizer: OptimizerId, rows: number, P: number): OptimizerState {
  return { optimizer, rows, P, counters: {}, entries: {} };
}

/**
 * The row, state and disposal methods of an optimizer whose whole state is one [R, P]
 * tensor entry (momentum's and Nesterov's velocity, RMSProp's v). `get` reads the
 * current tensor; `set` replaces it (the old one is disposed here).
 */
export function singleTensorState(
  optimizer: OptimizerId,
  name: string,
  kind: StateKind,
  P: number,
  get: () => Tensor2D,
  set: (t: Tensor2D) => void,
): {
  keepRows(rows: readonly number[]): void;
  exportState(): Promise<OptimizerState>;
  importState(state: OptimizerState): void;
  dispose(): void;
} {
  return {
    keepRows: (rows) => set(keepTensorRows(get(), rows)),
    exportState: async () => {
      const t = get();
      const R = t.shape[0];
      return {
        optimizer,
        rows: R,
        P,
        counters: {},
        entries: { [name]: { kind, rows: await tensorRows(t) } },
      };
    },
    importState: (state) => {
      checkState(state, optimizer, get().shape[0], P);
      const next = rowsTensor(entryOf(state, name).rows, P);
      get().dispose();
      set(next);
    },
    dispose: () => get().dispose(),
  };
}
