/**
 * κ* and κ(F) in the command line's output (docs/theory.md §5): the numbers `--out` writes for a
 * scene are the ones the page charts — the worker's run loop playing the same experiment,
 * its telemetry appended as the store appends it — on the wasm backend, within 1e-6
 * relative; ∞ and "not computed" survive the JSON; the CSV carries them as columns.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupNode } from '../engine/setup-node';
import { tf } from '../engine/tf';
import { STEP_METRICS_MAX_P } from '../engine/measure/step-metrics';
import type { WorkerEvent } from '../protocol/messages';
import { appendMetrics, type RunMetrics } from '../state/slices/runs';
import { scenes } from '../state/scenes';
import { createRunLoop } from '../worker/run-loop';
import { main, type Io } from './main';
import type { CliResult, JsonNumber } from './run';

const quiet: Io = { stdout: () => {}, stderr: () => {} };

/** Run the command line on an experiment; the `--out` JSON as read back, and the CSV dir. */
async function cli(
  experiment: object,
  backend: 'cpu' | 'wasm',
  more: string[] = [],
): Promise<{ result: CliResult; csv: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-metrics-'));
  await writeFile(join(dir, 'e.json'), JSON.stringify(experiment));
  const err: string[] = [];
  const io: Io = { ...quiet, stderr: (s) => void err.push(s) };
  const argv = [
    join(dir, 'e.json'),
    '--backend',
    backend,
    '--out',
    join(dir, 'r.json'),
    '--csv',
    join(dir, 'csv'),
    ...more,
  ];
  expect([await main(argv, io), err.join('')]).toEqual([0, '']);
  return {
    result: JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as CliResult,
    csv: join(dir, 'csv'),
  };
}

/** The page's κ* / κ(F) by run: the worker's run loop played to the end, telemetry appended by the store's reducer. */
async function pageMetrics(experiment: object): Promise<Record<string, RunMetrics>> {
  const events: WorkerEvent[] = [];
  const loop = createRunLoop((e) => events.push(e));
  try {
    const reply = await loop.load(experiment);
    expect(reply.ok).toBe(true);
    loop.play();
    while (!events.some((e) => e.type === 'play-state' && e.state === 'done')) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await loop.settled();
  } finally {
    loop.dispose();
  }
  expect(events.filter((e) => e.type === 'error')).toEqual([]);
  const metrics: Record<string, RunMetrics> = {};
  for (const e of events) if (e.type === 'telemetry' && e.metrics) appendMetrics(metrics, e.metrics);
  return metrics;
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

afterAll(async () => {
  await setupNode('cpu');
});

describe('κ* and κ(F) in --out', () => {
  it('equal the page’s chart data for the scene “every rule is natural gradient” on wasm (1e-6 relative)', async () => {
    const scene = scenes.find((s) => s.id === 'every-rule-is-ngd');
    if (!scene) throw new Error('scene every-rule-is-ngd is missing');
    const { result } = await cli(scene.experiment, 'wasm');
    expect(result.backend).toBe('wasm');
    // The run loop runs on whatever backend is set: the command line left wasm set.
    expect(tf.getBackend()).toBe('wasm');
    const page = await pageMetrics(scene.experiment);
    const K = result.experiment.steps;
    expect(result.stepMetricsSkipped).toBeNull();
    expect(Object.keys(page).sort()).toEqual(result.runs.map((r) => r.id).sort());
    let compared = 0;
    let notDescent = 0;
    let worst = 0;
    for (const run of result.runs) {
      const seen = page[run.id] as RunMetrics;
      expect(run.kappaStar).toHaveLength(K);
      expect(run.kappaFisher).toHaveLength(K + 1);
      expect(seen.kappa).toHaveLength(K);
      expect(seen.cond).toHaveLength(K + 1);
      // Null exactly where the page has no κ* (not a descent step).
      expect(run.kappaStar?.map((v) => v === null)).toEqual(seen.kappa.map((v) => v === null));
      run.kappaStar?.forEach((v, k) => {
        if (v === null) return void notDescent++;
        const want = seen.kappa[k] as number;
        expect(typeof v).toBe('number');
        worst = Math.max(worst, relative(v as number, want));
        compared++;
      });
      run.kappaFisher?.forEach((v, k) => {
        const want = seen.cond[k] as number;
        // One frame per step here, so the page formed every Fisher.
        expect(Number.isFinite(want), `${run.id} κ(F) at ${k}`).toBe(true);
        worst = Math.max(worst, relative(v as number, want));
        compared++;
      });
    }
    expect(worst).toBeLessThan(1e-6);
    // The scene's claims hold in the command line's numbers too: GD's κ* is 1, Adam's well
    // above it, momentum has uphill steps (no metric), and every κ(F) is the quadratic's 100.
    const byId = (id: string) => result.runs.find((r) => r.id === id) as CliResult['runs'][number];
    const finite = (xs: JsonNumber[] | null) => (xs ?? []).filter((v): v is number => typeof v === 'number');
    expect(Math.max(...finite(byId('gd-0-theta').kappaStar))).toBeLessThan(1 + 1e-3);
    expect(Math.max(...finite(byId('adam-1-theta').kappaStar))).toBeGreaterThan(1.5);
    expect(byId('momentum-2-theta').kappaStar?.some((v) => v === null)).toBe(true);
    for (const run of result.runs) for (const c of finite(run.kappaFisher)) expect(c).toBeCloseTo(100, 3);
    expect(notDescent).toBeGreaterThan(0);
    expect(compared).toBe(3 * (2 * K + 1) - notDescent);
  }, 60_000);

  it('writes a singular Fisher’s κ(F) as "Infinity", and columns kappa_star, kappa_fisher in the CSV', async () => {
    // 2-3-1 net under weight-norm: φ has Q = 17 > P = 13 coordinates, so its Fisher is singular.
    const experiment = {
      version: 1,
      problem: { id: 'mlp', dataset: 'xor', hidden: [3], n: 40 },
      reparam: { id: 'weight-norm' },
      optimizers: [{ id: 'gd', lr: 0.1 }],
      steps: 3,
    };
    const { result, csv } = await cli(experiment, 'cpu');
    const [theta, phi] = result.runs;
    expect(theta?.kappaFisher?.every((v) => typeof v === 'number' && v >= 1)).toBe(true);
    expect(phi?.kappaFisher).toEqual(['Infinity', 'Infinity', 'Infinity', 'Infinity']);
    // GD in φ is a gradient step in φ: κ* = 1 there too.
    for (const v of [...(theta?.kappaStar ?? []), ...(phi?.kappaStar ?? [])]) expect(v).toBeCloseTo(1, 3);
    const lines = (await readFile(join(csv, 'gd-0-phi.csv'), 'utf8')).trim().split('\n');
    const header = lines[0]?.split(',') ?? [];
    expect(header.slice(-3)).toEqual(['loss', 'kappa_star', 'kappa_fisher']);
    const cells = lines.slice(1).map((l) => l.split(',').slice(-2));
    expect(cells.map(([, c]) => c)).toEqual(['Infinity', 'Infinity', 'Infinity', 'Infinity']);
    // κ* of step k → k+1 on row k; the last row has none.
    expect(cells.map(([k]) => (k === '' ? null : Number(k)))).toEqual([...(phi?.kappaStar ?? []), null]);
  });

  it(`is null, saying why, above P = ${STEP_METRICS_MAX_P} (the page does not compute it either)`, async () => {
    const { result, csv } = await cli(
      { version: 1, problem: { id: 'mlp' }, optimizers: [{ id: 'gd' }], steps: 1 },
      'cpu',
    );
    expect(result.stepMetricsSkipped).toMatch(
      new RegExp(`at most ${STEP_METRICS_MAX_P} parameters.*P = \\d+`),
    );
    expect(result.runs.map((r) => [r.kappaStar, r.kappaFisher])).toEqual([[null, null]]);
    expect((await readFile(join(csv, 'gd-0-theta.csv'), 'utf8')).split('\n')[0]).toMatch(/,loss$/);
  });

  it('is left out, saying so, with --no-step-metrics', async () => {
    const experiment = { version: 1, problem: { id: 'tiny-net' }, optimizers: [{ id: 'gd' }], steps: 2 };
    const { result } = await cli(experiment, 'cpu', ['--no-step-metrics']);
    expect(result.stepMetricsSkipped).toMatch(/--no-step-metrics/);
    expect(result.runs.map((r) => [r.kappaStar, r.kappaFisher])).toEqual([[null, null]]);
    expect((await cli(experiment, 'cpu')).result.runs[0]?.kappaStar).toHaveLength(2);
  });
});
