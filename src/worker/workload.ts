/**
 * The automatic backend choice's warm-up workload (backend.ts): the experiment the page is
 * about to load, so the choice fits the user's network rather than a fixed benchmark. No
 * messaging and no globals here (tests import it in Node).
 */
import { createProblem, createSession, parseExperiment, type Experiment } from '../engine';

/** A warm-up workload: the user's experiment, or the fixed benchmark network. */
export interface Workload {
  experiment: Experiment;
  /** Its number of parameters. */
  P: number;
  /** How the header names it: "this experiment (digits, P = 2,410)". */
  label: string;
}

/**
 * The size class of a problem with P parameters: its decade (P ≤ 10: 1, ≤ 100: 2, …). The
 * automatic backend choice is made again when a loaded experiment's class differs (backend-fit.ts).
 */
export function sizeClass(P: number): number {
  return Math.max(1, Math.ceil(Math.log10(Math.max(2, P))));
}

/** The user's experiment as a warm-up workload, or null when it does not validate or build. */
export function workloadOf(raw: unknown): Workload | null {
  const parsed = parseExperiment(raw);
  if (!parsed.ok) return null;
  try {
    const problem = createProblem(parsed.experiment);
    const P = problem.P;
    problem.dispose();
    return {
      experiment: parsed.experiment,
      P,
      label: `this experiment (${parsed.experiment.problem.id}, P = ${P.toLocaleString('en-US')})`,
    };
  } catch {
    return null;
  }
}

/**
 * Whether the experiment's session builds and starts (its start point, map and optimizer
 * settings are accepted; its first record taken), as the run loop's load needs. Disposes it.
 */
export async function sessionBuilds(experiment: Experiment): Promise<boolean> {
  let session: ReturnType<typeof createSession> | null = null;
  try {
    session = createSession(experiment);
    await session.ready;
    return true;
  } catch {
    return false;
  } finally {
    session?.dispose();
  }
}
