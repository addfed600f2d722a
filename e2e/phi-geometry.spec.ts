import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { openLab } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
  ],
  steps: 40,
  seed: 1,
  view: { stepsPerFrame: 4 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('the φ plot shows the deformed θ grid and, on request, log|det J| shading', async ({ page }, info) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, `?backend=wasm${hash}`);
  const phi = page.locator('figure[data-space="phi"]');
  const theta = page.locator('figure[data-space="theta"]');
  // 9 vertical and 9 horizontal θ lines, each one path in φ (cubic is defined everywhere).
  await expect.poll(() => phi.locator('.theta-grid path').count()).toBeGreaterThanOrEqual(10);
  await expect(theta.locator('.theta-grid')).toHaveCount(0);
  await expect(theta.getByLabel('shade det J')).toHaveCount(0);
  // θ = φ + 0.3φ³ per coordinate: equally spaced θ lines land unevenly in φ, closer together
  // where |φ| is large (f stretches there). The first 9 paths are the vertical θ lines.
  const xs = await phi
    .locator('.theta-grid path')
    .evaluateAll((paths) =>
      paths.slice(0, 9).map((p) => Number(/^M([-\d.e]+)/.exec(p.getAttribute('d') ?? '')?.[1])),
    );
  const gaps = xs.slice(1).map((x, k) => x - (xs[k] as number));
  expect(gaps.every((g) => g > 0)).toBe(true);
  expect(Math.max(...gaps) / Math.min(...gaps)).toBeGreaterThan(1.5);
  await page.screenshot({ path: 'test-results/screenshots/phi-geometry-lines.png' });

  await expect(phi.locator('.detj-legend')).toHaveCount(0);
  await phi.getByLabel('shade det J').check();
  await expect(phi.locator('.detj-legend')).toContainText('log|det J|');
  await expect(phi.locator('.base .legend')).toBeHidden();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  await page.screenshot({ path: info.outputPath('phi-geometry.png') });
  await page.screenshot({ path: 'test-results/screenshots/phi-geometry.png' });

  await phi.getByLabel('shade det J').uncheck();
  await expect(phi.locator('.detj-legend')).toHaveCount(0);
  await expect(phi.locator('.base .legend')).toBeVisible();
  await expect.poll(() => phi.locator('.theta-grid path').count()).toBeGreaterThanOrEqual(10);
});
