import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultExperiment } from '../engine/schema';
import { experimentHash } from '../link/url';
import { main, parseCliArgs, type Io } from './main';
import type { CliResult } from './run';

function capture(): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
  };
  return io;
}

describe('parseCliArgs', () => {
  it('reads the input and the options, and refuses what it does not know', () => {
    expect(parseCliArgs(['x.json', '--out', 'r.json', '--csv', 'dir', '--backend', 'wasm'])).toEqual({
      ok: true,
      options: {
        input: 'x.json',
        out: 'r.json',
        csv: 'dir',
        backend: 'wasm',
        stepMetrics: true,
        help: false,
      },
    });
    expect(parseCliArgs(['x.json'])).toMatchObject({ ok: true, options: { backend: 'cpu' } });
    expect(parseCliArgs(['x.json', '--no-step-metrics'])).toMatchObject({
      ok: true,
      options: { stepMetrics: false },
    });
    const errors: [string[], RegExp][] = [
      [['x.json', '--backend', 'webgpu'], /--backend.*cpu.*wasm/],
      [[], /input/],
      [['a', 'b'], /one input/],
      [['x.json', '--frobnicate'], /frobnicate/],
    ];
    for (const [argv, message] of errors) {
      const got = parseCliArgs(argv);
      expect(got.ok).toBe(false);
      if (!got.ok) expect(got.error).toMatch(message);
    }
  });
});

describe('main (in process)', () => {
  it('runs a link and writes --out and --csv', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-'));
    const link = experimentHash({ ...defaultExperiment, reparam: { id: 'cubic' }, steps: 10 });
    const io = capture();
    const code = await main([link, '--out', join(dir, 'r.json'), '--csv', join(dir, 'csv')], io);
    expect([code, io.err]).toEqual([0, '']);
    const result = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as CliResult;
    expect(result.runs.map((r) => r.theta.length)).toEqual([11, 11]);
    expect((await readdir(join(dir, 'csv'))).sort()).toEqual(['gd-0-phi.csv', 'gd-0-theta.csv']);
    expect(io.out).toMatch(/wrote .*r\.json/);
  });

  it('prints the summary without --out; exits 2 naming the field, the option or the map', async () => {
    const io = capture();
    expect(await main([experimentHash({ ...defaultExperiment, steps: 5 })], io)).toBe(0);
    expect(io.out).toMatch(/gd #0\s+theta/);

    const cases: [string[], RegExp][] = [
      [[experimentHash({ ...defaultExperiment, steps: 0 })], /steps/],
      [[experimentHash({ ...defaultExperiment, init: [1, 2, 3] })], /init: needs 2 numbers/],
      [[experimentHash({ ...defaultExperiment, reparam: { id: 'cubic', a: -1 } })], /reparam\.a/],
      [['nope.json', '--backend', 'gpu'], /--backend/],
    ];
    for (const [argv, message] of cases) {
      const e = capture();
      expect(await main(argv, e)).toBe(2);
      expect(e.err).toMatch(message);
    }
  });
});

describe('npm run experiment (subprocess)', () => {
  const run = promisify(execFile);

  it('runs a link on the wasm backend in a fresh Node process and writes --out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-'));
    const out = join(dir, 'r.json');
    const hash = experimentHash({ ...defaultExperiment, init: [0.25, 1.75], steps: 20 });
    const link = `https://lab.example/${hash}`;
    await run('npx', ['tsx', 'src/cli/main.ts', link, '--backend', 'wasm', '--out', out], {
      cwd: process.cwd(),
    });
    const result = JSON.parse(await readFile(out, 'utf8')) as CliResult;
    expect(result.backend).toBe('wasm');
    expect(result.runs[0]?.theta[0]).toEqual([0.25, 1.75]);
    expect(result.runs[0]?.loss).toHaveLength(21);
  });

  it('exits with status 2 and names the field for an invalid experiment file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-'));
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ ...defaultExperiment, problem: { id: 'gaussian-fit', n: 1 } }));
    const err = await run('npx', ['tsx', 'src/cli/main.ts', file], { cwd: process.cwd() }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(2);
    expect(err?.stderr).toMatch(/problem\.n/);
  });
});
