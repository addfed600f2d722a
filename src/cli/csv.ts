/** `--csv DIR`: one CSV per run, `<run id>.csv`, columns step, θ…, φ… (φ-runs only), loss. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../engine/experiment';

/** The CSV text of one run (header line, then one line per recorded step 0..k). */
export function runToCsv(run: RunResult): string {
  const P = run.theta[0]?.length ?? 0;
  const names = (prefix: string): string[] => Array.from({ length: P }, (_, j) => `${prefix}${j}`);
  const header = ['step', ...names('theta'), ...(run.phi ? names('phi') : []), 'loss'];
  // String(v) is the shortest text that reads back as the same double.
  const lines = run.theta.map((theta, k) =>
    [k, ...theta, ...(run.phi?.[k] ?? []), run.loss[k] ?? NaN].map(String).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** Write every run's CSV into `dir` (created if missing); resolves to the paths written. */
export async function writeCsvs(dir: string, runs: readonly RunResult[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const run of runs) {
    const path = join(dir, `${run.id}.csv`);
    await writeFile(path, runToCsv(run));
    paths.push(path);
  }
  return paths;
}
