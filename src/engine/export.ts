/**
 * Text exports of runs, shared by the command line and the page: CSV per run, and one
 * long-format CSV of every run. `String(v)` is the shortest text that reads back as the
 * same double.
 */
import type { RunResult } from './experiment';
import { row, type Trajectory } from './trajectory';

/** The points are flat (engine/trajectory.ts); the CSV writes one row per step. */
type RunLike = Pick<RunResult, 'loss'> & { theta: Trajectory; phi?: Trajectory | null };

/** Point k's coordinates as text cells (none past the end). */
const cells = (t: Trajectory | null | undefined, k: number): string[] =>
  t ? Array.from(row(t, k) ?? [], String) : [];

/** Coordinates per point as the columns count them: none for a run without points. */
const width = (t: Trajectory): number => (t.length > 0 ? t.dim : 0);

const names = (prefix: string, P: number): string[] => Array.from({ length: P }, (_, j) => `${prefix}${j}`);

/** A further CSV column: its value at step k, or an empty cell where it has none. */
export interface CsvColumn {
  name: string;
  values: readonly (number | null | undefined)[];
}

const cell = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

/**
 * The CSV text of one run: step, θ…, φ… (φ-runs only), loss, then any `extra` columns;
 * one line per recorded step.
 */
export function runToCsv(run: RunLike, extra: readonly CsvColumn[] = []): string {
  const P = width(run.theta);
  // φ points may be longer than θ points (weight-norm's gains).
  const Q = run.phi && run.phi.length > 0 ? run.phi.dim : P;
  const header = [
    'step',
    ...names('theta', P),
    ...(run.phi ? names('phi', Q) : []),
    'loss',
    ...extra.map((c) => c.name),
  ];
  const lines = Array.from({ length: run.theta.length }, (_, k) =>
    [
      String(k),
      ...cells(run.theta, k),
      ...cells(run.phi, k),
      String(run.loss[k] ?? NaN),
      ...extra.map((c) => cell(c.values[k])),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** Every run in one CSV: run, optimizer, space, step, θ…, loss. */
export function runsToCsv(
  runs: readonly (RunLike & Pick<RunResult, 'id' | 'optimizer' | 'space'>)[],
): string {
  const P = runs[0] ? width(runs[0].theta) : 0;
  const header = ['run', 'optimizer', 'space', 'step', ...names('theta', P), 'loss'];
  const lines = runs.flatMap((r) =>
    Array.from({ length: r.theta.length }, (_, k) =>
      [r.id, String(r.optimizer), r.space, String(k), ...cells(r.theta, k), String(r.loss[k] ?? NaN)].join(
        ',',
      ),
    ),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
