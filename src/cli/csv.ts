/**
 * `--csv DIR`: one CSV per run, `<run id>.csv`, columns step, θ…, φ… (φ-runs only), loss,
 * and where the step metrics were computed kappa_star (κ* of step k → k+1; empty on the
 * last row and where the step is not a descent step) and kappa_fisher (κ(F) at step k;
 * "Infinity" when singular, empty where it could not be formed).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CsvColumn, fromRows, runToCsv as flatRunToCsv } from '../engine';
import type { CliRun, JsonNumber } from './run';

/** A run of the command line's JSON record, points as rows. */
type RowsRun = Pick<CliRun, 'theta' | 'loss'> & { phi?: number[][] | null };

/** The CSV of one run of the JSON record (engine/export.ts reads the points flat). */
export const runToCsv = (run: RowsRun, extra: readonly CsvColumn[] = []): string =>
  flatRunToCsv({ ...run, theta: fromRows(run.theta), phi: run.phi ? fromRows(run.phi) : null }, extra);

const fromJson = (v: JsonNumber | undefined): number | null =>
  typeof v === 'string' ? Number(v) : (v ?? null);

/** The CSV of one run of the result, with its κ* and κ(F) columns when it has them. */
export function cliRunToCsv(run: RowsRun & Partial<Pick<CliRun, 'kappaStar' | 'kappaFisher'>>): string {
  const extra: CsvColumn[] = [];
  if (run.kappaStar) extra.push({ name: 'kappa_star', values: run.kappaStar.map(fromJson) });
  if (run.kappaFisher) extra.push({ name: 'kappa_fisher', values: run.kappaFisher.map(fromJson) });
  return runToCsv(run, extra);
}

/** Write every run's CSV into `dir` (created if missing); resolves to the paths written. */
export async function writeCsvs(dir: string, runs: readonly CliRun[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const run of runs) {
    const path = join(dir, `${run.id}.csv`);
    await writeFile(path, cliRunToCsv(run));
    paths.push(path);
  }
  return paths;
}
