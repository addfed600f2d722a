/**
 * The κ* chart (docs/theory.md §5) and the command line agree: scene 6, "Every rule is natural
 * gradient", played in the page on wasm, and the experiment the page ran given to
 * `npm run experiment -- … --backend wasm --out`, give the same κ* per step and κ(F) per
 * point within 1e-6 relative, and the chart marks the steps the command line leaves null.
 */
import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scenes } from '../src/state/scenes';
import type { CliResult } from '../src/cli/run';
import { fastest, labState, openLab } from './lab';

const sceneIndex = scenes.findIndex((s) => s.id === 'every-rule-is-ngd');

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

test('scene “every rule is natural gradient”: the page’s κ* and κ(F) equal the command line’s on wasm', async ({
  page,
}, info) => {
  expect(sceneIndex).toBeGreaterThanOrEqual(0);
  await openLab(page, '?backend=wasm');
  await page.locator('body').focus();
  await page.keyboard.press(String(sceneIndex + 1));
  await expect(page.locator('.scene-caption[data-scene="every-rule-is-ngd"]')).toBeVisible();
  await fastest(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', null, {
    timeout: 60_000,
  });
  const state = await labState(page);
  expect(state.backend).toBe('wasm');

  // The command line on the experiment exactly as the page ran it.
  const dir = await mkdtemp(join(tmpdir(), 'reparam-e2e-cli-'));
  await writeFile(join(dir, 'e.json'), JSON.stringify(state.experiment));
  await promisify(execFile)(
    'npx',
    ['tsx', 'src/cli/main.ts', join(dir, 'e.json'), '--backend', 'wasm', '--out', join(dir, 'r.json')],
    { cwd: process.cwd() },
  );
  const cli = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as CliResult;
  expect(cli.backend).toBe('wasm');
  expect(cli.stepMetricsSkipped).toBeNull();

  const K = cli.experiment.steps;
  let worst = 0;
  let compared = 0;
  for (const run of cli.runs) {
    const seen = state.metrics[run.id];
    expect(seen?.kappa).toHaveLength(K);
    expect(run.kappaStar?.map((v) => v === null)).toEqual(seen?.kappa.map((v) => v === null));
    run.kappaStar?.forEach((v, k) => {
      if (v === null) return;
      worst = Math.max(worst, relative(v as number, seen?.kappa[k] as number));
      compared++;
    });
    // One step per frame in this scene: the page formed every Fisher.
    expect(seen?.cond.every(Number.isFinite)).toBe(true);
    run.kappaFisher?.forEach((v, k) => {
      worst = Math.max(worst, relative(v as number, seen?.cond[k] as number));
      compared++;
    });
    // The κ* chart marks each null step with a tick on the axis.
    const marks = await page
      .getByRole('img', { name: /κ\* per step/ })
      .locator(`g[data-run="${run.id}"] path.no-metric`)
      .getAttribute('d');
    expect((marks ?? '').split('v-7').length - 1, run.id).toBe(
      run.kappaStar?.filter((v) => v === null).length,
    );
  }
  info.annotations.push({
    type: 'κ worst relative difference',
    description: `${worst} over ${compared} numbers`,
  });
  expect(compared).toBeGreaterThan(3 * K);
  expect(worst).toBeLessThan(1e-6);
  await page.getByRole('figure', { name: /Implied metric/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('cli-metrics.png') });
});
