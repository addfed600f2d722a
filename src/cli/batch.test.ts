/**
 * `digits` with a mini-batch (`batch`, engine/problems/minibatch.ts) through a link and the
 * command line: the link carries the size, and the command line's runs are a session's.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSession, type RunResult } from '../engine/experiment';
import { toRows } from '../engine/trajectory';
import { parseExperiment, type ExperimentInput } from '../engine/schema';
import { decodeExperiment, experimentHash } from '../link/url';
import { main, type Io } from './main';
import type { CliResult } from './run';

const input: ExperimentInput = {
  version: 1,
  seed: 3,
  problem: { id: 'digits', hidden: [4], nTest: 1697, batch: 25 },
  optimizers: [{ id: 'gd', lr: 0.5 }],
  steps: 4,
};

async function sessionRuns(): Promise<RunResult[]> {
  const parsed = parseExperiment(input);
  if (!parsed.ok) throw new Error(parsed.error);
  const s = createSession(parsed.experiment);
  try {
    await s.advance(4);
    return s.runs.map((r) => structuredClone(r));
  } finally {
    s.dispose();
  }
}

describe('digits mini-batch: link and command line', () => {
  it('the link carries batch; the command line runs it to the same trajectories as a session', async () => {
    const decoded = decodeExperiment(experimentHash(input));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.experiment.problem).toMatchObject({ id: 'digits', batch: 25 });
    const parsed = parseExperiment(input);
    expect(parsed.ok && decoded.experiment).toEqual(parsed.ok ? parsed.experiment : null);

    const dir = await mkdtemp(join(tmpdir(), 'batch-'));
    const file = join(dir, 'e.json');
    await writeFile(file, JSON.stringify(input));
    const io: Io = { stdout: () => {}, stderr: () => {} };
    expect(await main([file, '--out', join(dir, 'r.json'), '--no-step-metrics'], io)).toBe(0);
    const result = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as CliResult;
    expect(result.experiment.problem).toMatchObject({ batch: 25 });
    const direct = await sessionRuns();
    expect(result.runs.map((r) => r.theta)).toEqual(direct.map((r) => toRows(r.theta)));
    expect(result.runs.map((r) => r.loss)).toEqual(direct.map((r) => r.loss));
    // The mini-batch is in effect: the full-batch run of the same experiment differs.
    const full = await main(
      [
        experimentHash({ ...input, problem: { id: 'digits', hidden: [4], nTest: 1697 } }),
        '--out',
        join(dir, 'f.json'),
        '--no-step-metrics',
      ],
      io,
    );
    expect(full).toBe(0);
    const fullResult = JSON.parse(await readFile(join(dir, 'f.json'), 'utf8')) as CliResult;
    expect(fullResult.runs[0]?.theta[1]).not.toEqual(result.runs[0]?.theta[1]);
  });
});
