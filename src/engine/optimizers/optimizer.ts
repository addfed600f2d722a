/**
 * The optimizer contract. An optimizer advances R runs of one objective, stacked as
 * parameter rows, by one step. It owns its state tensors and releases them in
 * `dispose()`. It never throws for bad numbers: non-finite values flow out in the
 * parameters, and the session marks that run diverged at that step.
 */
import { tf, type Tensor2D } from '../tf';
import type { Objective } from '../objective';
import type { Damping, OptimizerEntry } from '../schema';
import type { OptimizerId } from './ids';

/** Every hyper-parameter, resolved: the entry's values over the optimizer's defaults. */
export interface Hyper {
  lr: number;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  damping: Damping;
  integrator: 'euler' | 'midpoint';
  cgIters: number;
  decay: number;
  inversePeriod: number;
}

export interface Optimizer {
  /** params [R, P] -> new params [R, P]. The input is not disposed. */
  step(params: Tensor2D): Tensor2D;
  /**
   * Keep only the state of these rows (ascending indices into the current R rows), so
   * the next step takes the matching [rows.length, P] params. The session calls it when
   * a run of a batch diverges and leaves. Required of every optimizer with per-row state
   * (velocities, moments, λ, curvature averages); an optimizer without it declares that
   * it has none, and the session re-creates it for the surviving rows instead.
   */
  keepRows?(rows: readonly number[]): void;
  /** Release state tensors. */
  dispose(): void;
}

/** Rows `rows` of a state tensor, disposing the old one: the usual `keepRows` body. */
export function keepTensorRows(t: Tensor2D, rows: readonly number[]): Tensor2D {
  const kept = tf.tidy(() => tf.gather(t, Array.from(rows)) as Tensor2D);
  t.dispose();
  return kept;
}

export interface OptimizerDef {
  id: OptimizerId;
  label: string;
  /** Hyper-parameters this optimizer reads (for panels and docs). */
  uses: readonly (keyof Hyper)[];
  /** Defaults that differ from the shared ones. */
  defaults: Partial<Hyper>;
  create(objective: Objective, hyper: Hyper, rows: number): Optimizer;
}

/** Shared defaults; each optimizer overrides what it must. */
export const baseHyper: Hyper = {
  lr: 0.1,
  momentum: 0.9,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  damping: { type: 'none', value: 0 },
  integrator: 'euler',
  cgIters: 10,
  decay: 0.95,
  inversePeriod: 1,
};

/** Resolve an experiment's optimizer entry against a definition's defaults. */
export function resolveHyper(def: OptimizerDef, entry: OptimizerEntry): Hyper {
  const out: Hyper = { ...baseHyper, ...def.defaults };
  for (const key of Object.keys(out) as (keyof Hyper)[]) {
    const v = entry[key];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[key] = v;
  }
  return out;
}
