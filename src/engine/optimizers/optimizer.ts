/**
 * The optimizer contract. An optimizer advances R runs of one objective, stacked as
 * parameter rows, by one step. It owns its state tensors and releases them in
 * `dispose()`. It never throws for bad numbers: non-finite values flow out in the
 * parameters, and the session marks that run diverged at that step.
 */
import type { Tensor2D } from '../tf';
import type { Objective } from '../objective';
import type { OptimizerEntry } from '../schema';
import type { OptimizerId } from './ids';
import type { OptimizerState } from './state';
import { baseHyper, type Hyper } from './catalog';

export type { OptimizerState, StateEntry, StateKind } from './state';

export interface Optimizer {
  /**
   * params [R, P] -> new params [R, P]. The input is not disposed, and must stay alive
   * until a returned promise settles. First-order optimizers answer synchronously (no
   * microtask per step); optimizers that read tensors back (second-order solves on the
   * CPU) return a promise and read only with `await t.data()`: a synchronous read loses
   * the device on tfjs-webgpu. Callers handle both (`await` or check for a promise).
   */
  step(params: Tensor2D): Tensor2D | Promise<Tensor2D>;
  /**
   * Keep only the state of these rows (ascending indices into the current R rows), so
   * the next step takes the matching [rows.length, P] params. The session calls it when
   * a run of a batch diverges and leaves. Required of every optimizer with per-row state
   * (velocities, moments, λ, curvature averages); an optimizer without it declares that
   * it has none, and the session re-creates it for the surviving rows instead.
   */
  keepRows?(rows: readonly number[]): void;
  /**
   * Every piece of state the next steps depend on, per row, as plain numbers with its
   * transformation kind (state.ts). Optimizers without state return no entries. State
   * held in tensors is read asynchronously (a promise); state kept on the CPU may come
   * back directly. Callers `await` it either way.
   */
  exportState(): OptimizerState | Promise<OptimizerState>;
  /**
   * Replace the state by an exported one (same optimizer, rows and P; throws otherwise).
   * After it the optimizer steps exactly as the one that exported it would.
   */
  importState(state: OptimizerState): void;
  /** Release state tensors. */
  dispose(): void;
}

export interface OptimizerDef {
  id: OptimizerId;
  label: string;
  /** Hyper-parameters this optimizer reads (for panels and docs). */
  uses: readonly (keyof Hyper)[];
  /** Defaults that differ from the shared ones. */
  defaults: Partial<Hyper>;
  create(objective: Objective, hyper: Hyper, rows: number): Optimizer;
  /**
   * A step's only gradient is at the rows it is given (first-order rules but Nesterov's
   * look-ahead): the run loop may then compute it ahead with the telemetry's loss
   * (objective.ts `lossPrimingGradient`).
   */
  gradientAtParams?: boolean;
}

// The shared defaults are plain data the page reads too (catalog.ts, tf-free).
export { baseHyper };
export type { Hyper };

/**
 * Resolve an experiment's optimizer entry against a definition's defaults; `seed`: the
 * experiment's (what a randomized optimizer, K-FAC's sampled Fisher, draws from).
 */
export function resolveHyper(def: OptimizerDef, entry: OptimizerEntry, seed = 0): Hyper {
  const out: Hyper = { ...baseHyper, ...def.defaults, seed };
  for (const key of Object.keys(out) as (keyof Hyper)[]) {
    if (key === 'seed') continue;
    const v = entry[key];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}
