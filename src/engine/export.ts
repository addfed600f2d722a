/**
 * Text exports of runs, shared by the command line and the page: CSV per run, and one
 * long-format CSV of every run. `String(v)` is the shortest text that reads back as the
 * same double.
 */
import type { RunResult } from './experiment';

type RunLike = Pick<RunResult, 'theta' | 'loss'> & { phi?: number[][] | null };

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
  const P = run.theta[0]?.length ?? 0;
  // φ rows may be longer than θ rows (weight-norm's gains).
  const Q = run.phi?.[0]?.length ?? P;
  const header = [
    'step',
    ...names('theta', P),
    ...(run.phi ? names('phi', Q) : []),
    'loss',
    ...extra.map((c) => c.name),
  ];
  const lines = run.theta.map((theta, k) =>
    [
      ...[k, ...theta, ...(run.phi?.[k] ?? []), run.loss[k] ?? NaN].map(String),
      ...extra.map((c) => cell(c.values[k])),
    ].join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** Every run in one CSV: run, optimizer, space, step, θ…, loss. */
export function runsToCsv(
  runs: readonly (RunLike & Pick<RunResult, 'id' | 'optimizer' | 'space'>)[],
): string {
  const P = runs[0]?.theta[0]?.length ?? 0;
  const header = ['run', 'optimizer', 'space', 'step', ...names('theta', P), 'loss'];
  const lines = runs.flatMap((r) =>
    r.theta.map((theta, k) =>
      [r.id, r.optimizer, r.space, k, ...theta, r.loss[k] ?? NaN].map(String).join(','),
    ),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
