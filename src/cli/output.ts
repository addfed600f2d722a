/** The command line's outputs: the result file (`--out`) and the summary table. */
import { entrySolver, exactSolverIds, solvesByCg, solverNote, parameterDefect } from '../engine';
import { writeFile } from 'node:fs/promises';
import type { CliResult } from './run';

/** Write the result as JSON (compact: trajectories can be long). */
export async function writeResult(path: string, result: CliResult): Promise<void> {
  await writeFile(path, `${JSON.stringify(result)}\n`);
}

const num = (v: number | undefined): string =>
  v === undefined ? '' : Number.isFinite(v) ? v.toExponential(4) : String(v);

/**
 * A fixed-width table, one line per run: optimizer, space, final loss, steps taken,
 * status, and on the φ-run's line the pair's defects D_K and D^fn_K. A switch run
 * (`switchAt`) shows in the D_K column its distance from its θ-run (same formula), and
 * its note — what the change of coordinates did to the optimizer state — follows the table;
 * so does, for a run that stopped for a reason the engine knows (a failed switch), that reason.
 */
export function summaryTable(result: CliResult): string {
  const rows = result.runs.map((r) => {
    const entry = result.experiment.optimizers[r.optimizer];
    const defect = r.space === 'phi' ? result.defects.find((d) => d.optimizer === r.optimizer) : undefined;
    const thetaRun = result.runs.find((t) => t.optimizer === r.optimizer && t.space === 'theta');
    const departure = r.space === 'switch' && thetaRun ? parameterDefect(thetaRun.theta, r.theta) : undefined;
    return [
      `${entry?.id ?? '?'} #${r.optimizer}`,
      r.space,
      num(r.loss.at(-1)),
      String(r.theta.length - 1),
      r.status === 'diverged' ? `diverged@${r.divergedAt}` : r.status,
      num(defect?.parameter ?? departure),
      num(defect?.function),
    ];
  });
  const header = ['optimizer', 'space', 'final loss', 'steps', 'status', 'D_K', 'D_fn'];
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const lines = table.map((row) =>
    row
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  const { problem, reparam, steps } = result.experiment;
  const title = `${problem.id}, map ${reparam.id}, ${steps} steps, backend ${result.backend}`;
  const notes = result.runs.flatMap((r) => (r.space === 'switch' && r.note ? [`${r.id}: ${r.note}`] : []));
  if (notes.length) notes.unshift('switch runs (D_K: distance from the θ-run):');
  // Exact curvature methods solved by CG at this P say so (docs/theory.md §9.4).
  const P = result.runs[0]?.theta[0]?.length ?? 0;
  const solvers = result.experiment.optimizers.flatMap((o) => {
    const hyper = entrySolver(o);
    return exactSolverIds.includes(o.id) && P > 0 && solvesByCg(hyper, P) ? [solverNote(o.id, hyper, P)] : [];
  });
  notes.unshift(...solvers);
  const stopped = result.runs.flatMap((r) =>
    r.failure ? [`${r.id} stopped at step ${r.divergedAt ?? '?'}: ${r.failure}`] : [],
  );
  return `${[title, ...lines, ...notes, ...stopped].join('\n')}\n`;
}
