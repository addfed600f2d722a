/**
 * Run one experiment's paired θ/φ sessions to the end and measure D_K per optimizer
 * (docs/theory.md §1). Shared by the learning-rate sweep (§4) and the naturality table (§3),
 * which both run many short variants of the current experiment. Cooperative: the caller
 * gets progress between chunks of steps (and may await there, e.g. to let a worker read
 * its messages) and can cancel, in which case every tensor is released and null returned.
 */
import { createSession, type Session } from '../experiment';
import type { Experiment } from '../schema';
import { parameterDefect } from './defect';
import { toRows } from '../trajectory';

/** The measured pair of one optimizer. */
export interface PairDefect {
  /** Index into experiment.optimizers. */
  optimizer: number;
  /** D_K over the steps both runs reached (a diverged run stops where it diverged). */
  defect: number;
  /** Which runs of the pair left the finite numbers (then D_K only covers the steps before). */
  diverged: { theta: boolean; phi: boolean };
}

/** Cooperative-run hooks. */
export interface RunHooks {
  /** Called after every chunk with the number of steps taken so far in this session. */
  onSteps?: (steps: number) => void | Promise<void>;
  /** Polled between chunks; true stops the run (the result is then null). */
  cancelled?: () => boolean;
  /** Steps per chunk (default 5). */
  chunk?: number;
}

/** D_K of every θ/φ pair of a finished (or stopped) session. */
export function sessionDefects(session: Session): PairDefect[] {
  return session.experiment.optimizers.map((_, index) => {
    const theta = session.runs.find((r) => r.optimizer === index && r.space === 'theta');
    const phi = session.runs.find((r) => r.optimizer === index && r.space === 'phi');
    if (!theta || !phi) throw new Error('sessionDefects: the map is the identity, there are no φ-runs');
    return {
      optimizer: index,
      defect: parameterDefect(toRows(theta.theta), toRows(phi.theta)),
      diverged: { theta: theta.status === 'diverged', phi: phi.status === 'diverged' },
    };
  });
}

/**
 * Build a session for `experiment`, advance it to experiment.steps (or until every run
 * diverged) and return D_K per optimizer; null when cancelled. Throws what createSession
 * throws (an invalid start point or map), with nothing left allocated.
 */
export async function runPairedDefects(
  experiment: Experiment,
  hooks: RunHooks = {},
): Promise<PairDefect[] | null> {
  if (hooks.cancelled?.()) return null;
  const session = createSession(experiment);
  try {
    const chunk = Math.max(1, hooks.chunk ?? 5);
    while (!session.done) {
      if (hooks.cancelled?.()) return null;
      const taken = await session.advance(chunk);
      await hooks.onSteps?.(session.step);
      if (taken === 0) break;
    }
    if (hooks.cancelled?.()) return null;
    return sessionDefects(session);
  } finally {
    session.dispose();
  }
}
