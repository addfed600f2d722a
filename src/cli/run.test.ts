import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupNode } from '../engine/setup-node';
import { tf } from '../engine/tf';
import { parseExperiment, type ExperimentInput } from '../engine/schema';
import { experimentHash } from '../link/url';
import { loadExperiment } from './input';
import { runExperiment, type CliResult } from './run';
import { summaryTable, writeResult } from './output';
import { runToCsv, writeCsvs } from './csv';

const paired: ExperimentInput = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [{ id: 'gd', lr: 0.05 }],
  steps: 40,
  seed: 1,
  init: [0.5, 1.5],
};
const link = `https://lab.example/reparam-lab/${experimentHash(paired)}`;

async function run(input: string, backend: 'cpu' | 'wasm' = 'cpu'): Promise<CliResult> {
  const loaded = await loadExperiment(input);
  if (!loaded.ok) throw new Error(loaded.error);
  const out = await runExperiment(loaded.experiment, { backend });
  if (!out.ok) throw new Error(out.error);
  return out.result;
}

afterAll(async () => {
  await setupNode('cpu');
});

describe('runExperiment on a shared link', () => {
  it('runs θ and φ to completion from init, gd decreasing the loss, with both defects', async () => {
    const before = tf.memory().numTensors;
    const result = await run(link);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.backend).toBe('cpu');
    expect(result.experiment.view).toEqual({ grid: 64, stepsPerFrame: 1 });
    expect(result.runs.map((r) => [r.optimizer, r.id, r.space])).toEqual([
      [0, 'gd-0-theta', 'theta'],
      [0, 'gd-0-phi', 'phi'],
    ]);
    for (const r of result.runs) {
      expect(r.status).toBe('ok');
      expect(r.divergedAt).toBeNull();
      expect(r.theta).toHaveLength(41);
      expect(r.loss).toHaveLength(41);
      const [t0 = [], tK = []] = [r.theta[0], r.theta.at(-1)];
      expect(t0[0]).toBeCloseTo(0.5, 12);
      expect(t0[1]).toBeCloseTo(1.5, 12);
      expect(r.loss.every(Number.isFinite)).toBe(true);
      // Non-increasing up to float32 round-off (the runs are near the minimum by the end).
      for (let k = 1; k < r.loss.length; k++) {
        expect(r.loss[k]).toBeLessThanOrEqual((r.loss[k - 1] as number) + 1e-6);
      }
      expect(r.loss.at(-1) as number).toBeLessThan((r.loss[0] as number) - 0.1);
      expect(tK).not.toEqual(t0);
    }
    expect(result.runs[0]?.phi).toBeUndefined();
    expect(result.runs[1]?.phi).toHaveLength(41);

    expect(result.defects).toHaveLength(1);
    const d = result.defects[0] as CliResult['defects'][number];
    expect([d.optimizer, d.id]).toEqual([0, 'gd-0']);
    // GD is not natural under a nonlinear map: an O(0.01–1) defect, not round-off.
    expect(d.parameter).toBeGreaterThan(1e-3);
    // gaussian-fit's output is θ itself, so D^fn = D_K · max(1, ‖θ₀‖) here.
    expect(d.function).toBeCloseTo(d.parameter * Math.hypot(0.5, 1.5), 5);
  });

  it('gives no defect rows without a map, and one θ-run per optimizer', async () => {
    const result = await run(
      experimentHash({
        ...paired,
        reparam: { id: 'identity' },
        optimizers: [{ id: 'gd' }, { id: 'gd', lr: 0.2 }],
      }),
    );
    expect(result.runs.map((r) => r.id)).toEqual(['gd-0-theta', 'gd-1-theta']);
    expect(result.defects).toEqual([]);
  });

  it('matches the cpu trajectories on the wasm backend within 1e-4 relative', async () => {
    const cpu = await run(link, 'cpu');
    const wasm = await run(link, 'wasm');
    expect(wasm.backend).toBe('wasm');
    cpu.runs.forEach((r, i) => {
      const w = wasm.runs[i]?.theta ?? [];
      r.theta.forEach((row, k) =>
        row.forEach((v, j) =>
          expect(Math.abs((w[k]?.[j] ?? NaN) - v)).toBeLessThan(1e-4 * Math.max(1, Math.abs(v))),
        ),
      );
    });
  });
});

describe('K-FAC with the sampled Fisher from a link', () => {
  const sampled: ExperimentInput = {
    version: 1,
    problem: { id: 'mlp', dataset: 'gaussians', classes: 3, hidden: [3], n: 24, testFraction: 0 },
    reparam: { id: 'layer-scale', cond: 4 },
    optimizers: [{ id: 'kfac', lr: 0.1, fisher: 'sampled', damping: { type: 'lm', value: 1e-2 } }],
    steps: 10,
    seed: 3,
  };

  it('keeps `fisher` in the result, trains, and repeats bit for bit', async () => {
    const a = await run(experimentHash(sampled));
    const b = await run(experimentHash(sampled));
    expect(a.experiment.optimizers[0]?.fisher).toBe('sampled');
    expect(a.runs.map((r) => r.space)).toEqual(['theta', 'phi']);
    for (const r of a.runs) expect(r.loss.at(-1) as number).toBeLessThan(r.loss[0] as number);
    expect(a.runs.map((r) => r.loss)).toEqual(b.runs.map((r) => r.loss));
  });

  it('rejects an unknown value, naming the field', async () => {
    const bad = { ...sampled, optimizers: [{ id: 'kfac', fisher: 'empirical' }] };
    const loaded = await loadExperiment(experimentHash(bad as unknown as ExperimentInput));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error).toMatch(/fisher/);
  });
});

describe('outputs', () => {
  it('writes the result JSON, one CSV per run and a summary table', async () => {
    const result = await run(link);
    const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-'));
    await writeResult(join(dir, 'result.json'), result);
    const back = JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')) as CliResult;
    expect(back).toEqual(JSON.parse(JSON.stringify(result)));

    const files = await writeCsvs(join(dir, 'csv'), result.runs);
    expect(files.map((f) => f.slice(dir.length))).toEqual(['/csv/gd-0-theta.csv', '/csv/gd-0-phi.csv']);
    const lines = (await readFile(files[1] as string, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('step,theta0,theta1,phi0,phi1,loss,kappa_star,kappa_fisher');
    expect(lines).toHaveLength(42);
    const phiRun = result.runs[1] as CliResult['runs'][number];
    const row40 = [40, ...(phiRun.theta[40] ?? []), ...(phiRun.phi?.[40] ?? []), phiRun.loss[40]];
    // The last point has κ(F) but no step after it, so no κ*.
    expect(lines[41]?.split(',')).toEqual([...row40.map(String), '', String(phiRun.kappaFisher?.[40])]);
    // A κ* cell is empty where the JSON has null (not a descent step: near the minimum, round-off).
    const cell = (v: unknown) => (v === null ? '' : String(v));
    expect(lines[40]?.split(',').slice(-2)).toEqual(
      [phiRun.kappaStar?.[39], phiRun.kappaFisher?.[39]].map(cell),
    );
    expect(runToCsv(result.runs[0] as CliResult['runs'][number]).split('\n')[0]).toBe(
      'step,theta0,theta1,loss',
    );

    const table = summaryTable(result);
    expect(table).toMatch(/optimizer\s+space\s+final loss\s+steps\s+status\s+D_K\s+D_fn/);
    expect(table).toMatch(/gd #0\s+theta\s+\S+\s+40\s+ok/);
    expect(table).toMatch(/gd #0\s+phi\s+\S+\s+40\s+ok\s+\d/);
  });

  it('a switch that fails says why in the summary and the result; the other runs finish', async () => {
    // tiny-net from a > 0, b < 0: gd turns a negative by step 30, outside the image of exp on a.
    const loaded = parseExperiment({
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'exp', coords: [0] },
      init: [0.3, -0.8],
      optimizers: [{ id: 'gd', lr: 0.1 }],
      steps: 40,
      seed: 1,
      switchAt: { step: 30 },
    });
    if (!loaded.ok) throw new Error(loaded.error);
    const out = await runExperiment(loaded.experiment);
    if (!out.ok) throw new Error(out.error);
    const sw = out.result.runs.find((r) => r.space === 'switch');
    expect(sw?.failure).toMatch(
      /^switch at step 30 failed: θ is outside the domain of exp \(a = -[\d.]+ must be > 0\)/,
    );
    const table = summaryTable(out.result);
    expect(table).toMatch(/gd #0\s+switch\s+\S+\s+30\s+diverged@31/);
    expect(table).toMatch(/gd #0\s+phi\s+\S+\s+40\s+ok/);
    expect(table).toContain(`gd-0-switch stopped at step 31: ${sw?.failure}`);
    expect(table).toContain('gd-0-switch: Gradient descent, θ→φ at step 30: no state to transport\n');
  });
});

describe('loadExperiment', () => {
  it('reads a JSON file, a saved link, a bare payload; names the field, the file or the link', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reparam-cli-'));
    const good = join(dir, 'good.json');
    const bad = join(dir, 'bad.json');
    const linkFile = join(dir, 'link.txt');
    await writeFile(good, JSON.stringify(paired));
    await writeFile(bad, JSON.stringify({ ...paired, optimizers: [{ id: 'gd', lr: -1 }] }));
    await writeFile(linkFile, `${link}\n`);
    const payload = experimentHash(paired).slice(3);
    for (const ok of [good, linkFile, payload, link]) expect((await loadExperiment(ok)).ok).toBe(true);

    const cases: [string, RegExp][] = [
      [bad, /optimizers\.0\.lr/],
      [join(dir, 'missing.json'), /cannot read .*missing\.json/],
      ['https://lab.example/#e=N4Ig!!', /link.*damaged/],
      [dir, /cannot read/],
    ];
    for (const [arg, message] of cases) {
      const got = await loadExperiment(arg);
      expect(got.ok).toBe(false);
      if (!got.ok) expect(got.error).toMatch(message);
    }
  });
});
