/**
 * Run an experiment to completion in Node: the same engine session the page's worker
 * uses, then the naturality defects of every θ/φ pair (docs/theory.md §1). The result is the
 * shape `--out` writes.
 */
import { createSession, type RunResult, type Session } from '../engine/experiment';
import { parameterDefect } from '../engine/measure/defect';
import { functionDefect } from '../engine/measure/function-defect';
import type { Experiment } from '../engine/schema';
import { setupNode, type NodeBackend } from '../engine/setup-node';

/** The defects of one optimizer's θ-run against its pushed-forward φ-run. */
export interface DefectRow {
  /** Index into experiment.optimizers. */
  optimizer: number;
  /** The pair's id, `<optimizer id>-<index>`, the prefix of both run ids. */
  id: string;
  /** D_K = max_k ‖f(φ_k) − θ_k‖ / max(1, ‖θ₀‖), over the steps both runs reached. */
  parameter: number;
  /** D^fn_K = max_k RMS_n ‖h(x_n; f(φ_k)) − h(x_n; θ_k)‖. */
  function: number;
}

/** What the command line writes with `--out`. */
export interface CliResult {
  /** The experiment as run, every default filled. */
  experiment: Experiment;
  backend: NodeBackend;
  runs: RunResult[];
  /** One row per optimizer with a φ-run (none when the map is the identity). */
  defects: DefectRow[];
}

export type RunOutcome = { ok: true; result: CliResult } | { ok: false; error: string };

export interface RunOptions {
  backend?: NodeBackend;
  /** Steps per `advance` call (the result does not depend on it). */
  chunk?: number;
}

/** Defects of every θ/φ pair of a finished session. */
export async function sessionDefects(session: Session): Promise<DefectRow[]> {
  const rows: DefectRow[] = [];
  for (const [index, entry] of session.experiment.optimizers.entries()) {
    const theta = session.runs.find((r) => r.optimizer === index && r.space === 'theta');
    const phi = session.runs.find((r) => r.optimizer === index && r.space === 'phi');
    if (!theta || !phi) continue;
    rows.push({
      optimizer: index,
      id: `${entry.id}-${index}`,
      parameter: parameterDefect(theta.theta, phi.theta),
      function: await functionDefect(session.problem, theta.theta, phi.theta),
    });
  }
  return rows;
}

/**
 * Select the backend, build the session and advance it until every run has finished or
 * diverged. A session that cannot be built (a bad start point, a map's parameters, an
 * optimizer not implemented yet) is an input error: `{ ok: false }` with its message.
 * Failures while running are thrown.
 */
export async function runExperiment(experiment: Experiment, options: RunOptions = {}): Promise<RunOutcome> {
  const backend = await setupNode(options.backend ?? 'cpu');
  let session: Session;
  try {
    session = createSession(experiment);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  try {
    const chunk = Math.max(1, options.chunk ?? 100);
    while (!session.done) {
      if ((await session.advance(chunk)) === 0) break;
    }
    const runs = [...session.runs];
    return { ok: true, result: { experiment, backend, runs, defects: await sessionDefects(session) } };
  } finally {
    session.dispose();
  }
}
