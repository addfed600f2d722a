import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab } from './lab';

/**
 * 2-1-1 tanh net on `gaussians`: P = 5 θ-coordinates; weight-norm's φ has Q = 5 + 1 + 1 = 7.
 * (Wider presets have κ(F_θ) ~ 1e9, where undamped NGD leaps about in θ already.)
 */
const experiment = {
  version: 1,
  problem: { id: 'mlp', dataset: 'gaussians', hidden: [1], n: 40 },
  optimizers: [
    { id: 'gd', lr: 0.1 },
    { id: 'ngd', lr: 0.01 },
  ],
  steps: 20,
  seed: 3,
  view: { stepsPerFrame: 5 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('weight-norm is selectable for a network, and its φ-runs (Q > P) play to the end', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, `?backend=cpu${hash}`);
  await page.getByLabel('Map', { exact: true }).selectOption('weight-norm');
  await expect.poll(async () => (await labState(page)).runs.filter((r) => r.space === 'phi').length).toBe(2);
  await expect(page.locator('.map-panel .field-error')).toHaveCount(0);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 60_000,
  });
  const state = await labState(page);
  for (const r of state.runs) {
    expect(r.theta).toHaveLength(21);
    expect(r.theta.every((t) => t.length === 5)).toBe(true);
    if (r.space === 'phi') expect(r.phi?.every((q) => q.length === 7)).toBe(true);
  }
  expect(state.defects).toHaveLength(2);
  expect(state.runs.every((r) => r.status === 'ok')).toBe(true);
  // The engine's numbers (CLI, same experiment): D_K 5.2e-2 (gd), 2.4e-2 (ngd).
  expect(state.defects.every((d) => d.parameter > 0 && d.parameter < 0.1)).toBe(true);
  await page.screenshot({ path: 'test-results/h1/weight-norm.png' });
  expect(errors).toEqual([]);
});
