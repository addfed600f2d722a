/**
 * The record of one run as the engine keeps it; the command line and the page's handle write
 * it with the points as rows (engine/trajectory.ts `toRows`).
 */
import type { CgReport } from './linalg/solve';
import type { Trajectory } from './trajectory';

/** A coordinate system: θ, or φ with θ = f(φ). */
export type Space = 'theta' | 'phi';
/**
 * Where a run steps: θ, φ, or 'switch' — in θ up to step k, in φ after it (experiment
 * `switchAt`), its state transported at k (transport.ts).
 */
export type RunSpace = Space | 'switch';
export type RunStatus = 'ok' | 'diverged';

/**
 * What identifies a run, declared once: the protocol's `RunInfo`, the store's `RunView`, the
 * automation handle's run and the command line's records all extend it.
 */
export interface RunIdentity {
  /** Stable run id, e.g. `gd-0-theta`, `gd-0-switch`. */
  id: string;
  /** Index into experiment.optimizers. */
  optimizer: number;
  space: RunSpace;
  /** Switch runs only: the step k at which the run changed coordinates θ → φ. */
  switchAt?: number;
  /** Switch runs only: what the change did to the optimizer's state, for people. */
  note?: string;
}

/** A run's course so far: its points (flat, one per step), its losses, its status and its latest solve. */
export interface RunCourse {
  /** θ-coordinates at steps 0..k (for a φ-run, and a switch run after its switch, f(φ_k)). */
  theta: Trajectory;
  /** Loss at steps 0..k. */
  loss: number[];
  status: RunStatus;
  /** The step whose update produced a non-finite value, or null. */
  divergedAt: number | null;
  /** Exact curvature methods solving by CG: the iterations and relative residual of the latest step's solve. */
  cg?: CgReport;
}

/** One run's record (the command line and the page's handle write its points as rows). */
export interface RunResult extends RunIdentity, RunCourse {
  /** φ-coordinates at steps 0..k (φ-runs only). */
  phi?: Trajectory;
  /**
   * Why the run stopped, in plain words, when the engine knows more than "a non-finite
   * value" (a switch run whose change of coordinates failed: batch/switch.ts).
   */
  failure?: string;
}
