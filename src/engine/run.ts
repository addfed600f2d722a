/** The record of one run: the shape the command line writes and the page's handle returns. */

export type Space = 'theta' | 'phi';
export type RunStatus = 'ok' | 'diverged';

/** One run's record: the shape the command line writes and the page's handle returns. */
export interface RunResult {
  /** Index into experiment.optimizers. */
  optimizer: number;
  /** Stable run id, e.g. `gd-0-theta`. */
  id: string;
  space: Space;
  /** θ-coordinates at steps 0..k (for a φ-run, the pushed-forward f(φ_k)). */
  theta: number[][];
  /** φ-coordinates at steps 0..k (φ-runs only). */
  phi?: number[][];
  /** Loss at steps 0..k. */
  loss: number[];
  status: RunStatus;
  /** The step whose update produced a non-finite value, or null. */
  divergedAt: number | null;
}
