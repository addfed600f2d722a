import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab, waitForSteps } from './lab';

// Independent tests: the two workers share this file's tests (playwright.config.ts).
test.describe.configure({ mode: 'parallel' });

const experiment = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'exp', coords: [1] },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
  ],
  steps: 60,
  seed: 3,
  init: [-1, 2],
  view: { stepsPerFrame: 4 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('a shared link restores the experiment; σ = e^s: the NGD pair coincides, the GD pair drifts', async ({
  page,
}, info) => {
  await openLab(page, `?backend=wasm${hash}`);
  const s0 = await labState(page);
  expect(s0.experiment).toMatchObject({
    problem: { id: 'gaussian-fit' },
    reparam: { id: 'exp' },
    seed: 3,
    steps: 60,
  });
  expect(s0.runs.map((r) => r.id)).toEqual(['gd-0-theta', 'gd-0-phi', 'ngd-1-theta', 'ngd-1-phi']);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  const s = await labState(page);
  const gd = s.defects.find((d) => d.optimizer === 0);
  const ngd = s.defects.find((d) => d.optimizer === 1);
  expect(gd?.parameter).toBeGreaterThan(0.05);
  expect(ngd?.parameter).toBeLessThan(0.02);
  expect(ngd?.parameter).toBeLessThan((gd?.parameter ?? 0) / 5);
  // Both plots draw every run: θ-space all four (φ-runs dashed), φ-space the φ-runs.
  await expect(page.locator('figure[data-space="theta"] .trajectory')).toHaveCount(4);
  await expect(page.locator('figure[data-space="phi"] .trajectory')).toHaveCount(2);
  const dashed = page.locator('figure[data-space="theta"] .trajectory[data-run="gd-0-phi"] path.line');
  await expect(dashed).toHaveAttribute('stroke-dasharray', /\d/);
  await expect(page.locator('.defect-table').getByRole('row', { name: /ngd #1/ })).toContainText('coincide');
  await expect(page.locator('.defect-table').getByRole('row', { name: /gd #0/ }).first()).toContainText(
    'drift apart',
  );
  await page.screenshot({ path: info.outputPath('paired.png') });
  await page.screenshot({ path: 'test-results/screenshots/paired.png' });

  // The same link on the command line (same wasm backend) gives the same trajectories.
  const dir = mkdtempSync(join(tmpdir(), 'reparam-cli-'));
  const out = join(dir, 'result.json');
  execFileSync('npx', ['tsx', 'src/cli/main.ts', hash, '--backend', 'wasm', '--out', out], { stdio: 'pipe' });
  const cli = JSON.parse(readFileSync(out, 'utf8')) as { runs: { id: string; theta: number[][] }[] };
  for (const run of s.runs) {
    const twin = cli.runs.find((r) => r.id === run.id);
    expect(twin?.theta.length).toBe(run.theta.length);
    run.theta.forEach((p, k) =>
      p.forEach((v, j) =>
        expect(Math.abs(v - (twin?.theta[k]?.[j] ?? NaN))).toBeLessThan(1e-4 * (1 + Math.abs(v))),
      ),
    );
  }
});

test('the same link gives the same trajectories on reload (bit for bit)', async ({ page }) => {
  const run = async (): Promise<number[][]> => {
    await openLab(page, `?backend=wasm${hash}`);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
    return (await labState(page)).runs.flatMap((r) => r.theta);
  };
  const first = await run();
  await page.reload();
  const second = await run();
  expect(second).toEqual(first);
});

for (const [name, bad, reason] of [
  ['not decompressible', '#e=%%%not-a-payload', /This link is damaged/],
  ['not JSON', `#e=${LZString.compressToEncodedURIComponent('{oops')}`, /JSON/],
  [
    'invalid field',
    `#e=${LZString.compressToEncodedURIComponent(JSON.stringify({ ...experiment, steps: -4 }))}`,
    /steps/,
  ],
  [
    'unknown version',
    `#e=${LZString.compressToEncodedURIComponent(JSON.stringify({ ...experiment, version: 9 }))}`,
    /version/,
  ],
] as const) {
  test(`a bad link (${name}) is explained and the last experiment opens instead`, async ({ page }) => {
    // Save a good experiment first, as a user who used the lab before.
    await openLab(page, hash);
    await page.waitForFunction(() =>
      window.localStorage.getItem('reparam-lab:experiment:v1')?.includes('"exp"'),
    );
    // A different query string forces a real navigation (a hash change alone would not reload).
    await page.goto(`/?shared=1${bad}`);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    await expect(page.getByRole('status').filter({ hasText: reason }).first()).toBeVisible();
    const s = await labState(page);
    expect(s.experiment).toMatchObject({ seed: 3, reparam: { id: 'exp' } });
    await page.getByRole('button', { name: 'Step' }).click();
    await waitForSteps(page, 2);
  });
}

test('corrupted or unavailable storage never stops the page', async ({ page }) => {
  await page.addInitScript(() => {
    try {
      window.localStorage.setItem('reparam-lab:experiment:v1', '{corrupt');
    } catch {
      // ignore
    }
  });
  await openLab(page);
  await expect(page.getByRole('status').filter({ hasText: /corrupted/ })).toBeVisible();
  expect((await labState(page)).experiment).toMatchObject({ problem: { id: 'gaussian-fit' } });
});
