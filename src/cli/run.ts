/**
 * Run an experiment to completion in Node: the same engine session the page's worker
 * uses, then the naturality defects of every θ/φ pair (docs/theory.md §1) and each run's κ*
 * and κ(F) per step (docs/theory.md §5) where the page computes them. The result is the shape
 * `--out` writes.
 */
import {
  createSession,
  type RunResult,
  type Session,
  parameterDefect,
  functionDefect,
  STEP_METRICS_MAX_P,
  sessionStepMetrics,
  toRows,
  withRows,
  type Experiment,
} from '../engine';
// The command line's own tfjs set-up (Node), as backend.ts is the worker's.
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

/**
 * A number as JSON keeps it: finite as is, ±∞ as the string "Infinity" / "-Infinity",
 * NaN and null (no value) as null. JSON has no ∞, and a singular Fisher's κ(F) is ∞.
 */
export type JsonNumber = number | 'Infinity' | '-Infinity' | null;

export const jsonNumber = (v: number | null | undefined): JsonNumber =>
  v === null || v === undefined || Number.isNaN(v)
    ? null
    : Number.isFinite(v)
      ? v
      : v > 0
        ? 'Infinity'
        : '-Infinity';

/**
 * One run as `--out` writes it: the engine's record, its points as rows (one array per step),
 * and its step metrics (docs/theory.md §5).
 */
export interface CliRun extends Omit<RunResult, 'theta' | 'phi'> {
  /** θ-coordinates at steps 0..k, one row per step. */
  theta: number[][];
  /** φ-coordinates at steps 0..k (φ-runs only), one row per step. */
  phi?: number[][];
  /**
   * κ* of step k → k+1, k = 0 … K−1, in the run's own coordinates (θ, or φ for a φ-run): the
   * smallest condition number of an SPD metric M for which the step is a natural-gradient
   * step p_{k+1} − p_k = −ηM⁻¹∇L(p_k). An entry is null when the step is not a descent step
   * (no such M exists). The whole field is null when not computed (see `stepMetricsSkipped`).
   */
  kappaStar: JsonNumber[] | null;
  /**
   * κ(F) at point k, k = 0 … K: the condition number of the Fisher at p_k in the run's own
   * coordinates; "Infinity" when singular, null when it could not be formed from finite
   * numbers. Null as a whole when not computed.
   */
  kappaFisher: JsonNumber[] | null;
}

/** What the command line writes with `--out`. */
export interface CliResult {
  /** The experiment as run, every default filled. */
  experiment: Experiment;
  backend: NodeBackend;
  runs: CliRun[];
  /** One row per optimizer with a φ-run (none when the map is the identity). */
  defects: DefectRow[];
  /** Why no run has κ* and κ(F) (over STEP_METRICS_MAX_P parameters, as in the page; or not asked for), or null. */
  stepMetricsSkipped: string | null;
}

export type RunOutcome = { ok: true; result: CliResult } | { ok: false; error: string };

export interface RunOptions {
  backend?: NodeBackend;
  /** Steps per `advance` call (the result does not depend on it). */
  chunk?: number;
  /** Compute κ* and κ(F) per step (default true). */
  stepMetrics?: boolean;
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
      parameter: parameterDefect(toRows(theta.theta), toRows(phi.theta)),
      function: await functionDefect(session.problem, toRows(theta.theta), toRows(phi.theta)),
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
    const defects = await sessionDefects(session);
    const wanted = options.stepMetrics ?? true;
    const metrics = wanted ? await sessionStepMetrics(session) : null;
    const runs: CliRun[] = session.runs.map((run) => {
      const m = metrics?.[run.id];
      // The points as rows, in the record's own key order (JSON for people).
      return {
        ...withRows(run),
        kappaStar: m ? m.kappa.map(jsonNumber) : null,
        kappaFisher: m ? m.cond.map(jsonNumber) : null,
      };
    });
    const { P } = session.problem;
    const { Q } = session.reparam;
    const stepMetricsSkipped = metrics
      ? null
      : !wanted
        ? 'not asked for (--no-step-metrics)'
        : `κ* and κ(F) are computed for at most ${STEP_METRICS_MAX_P} parameters (a dense Fisher per point); this experiment has P = ${P}${Q !== P ? `, Q = ${Q}` : ''}`;
    return { ok: true, result: { experiment, backend, runs, defects, stepMetricsSkipped } };
  } finally {
    session.dispose();
  }
}
