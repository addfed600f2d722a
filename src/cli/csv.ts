/** `--csv DIR`: one CSV per run, `<run id>.csv`, columns step, θ…, φ… (φ-runs only), loss. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunResult } from '../engine/experiment';
import { runToCsv } from '../engine/export';

export { runToCsv };

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
