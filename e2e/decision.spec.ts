import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'mlp', dataset: 'xor', hidden: [4], activation: 'relu', n: 64 },
  reparam: { id: 'relu-rescale' },
  optimizers: [{ id: 'gd', lr: 0.3 }],
  steps: 40,
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('mlp classification: one decision-region heatmap per run, θ-run beside φ-run', async ({ page }) => {
  await openLab(page, `?backend=wasm${hash}`);
  const s0 = await labState(page);
  expect(s0.runs.map((r) => r.id)).toEqual(['gd-0-theta', 'gd-0-phi']);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  const figure = page.locator('figure.decision');
  await expect(figure.locator('canvas.decision-heatmap')).toHaveCount(2);
  await expect(figure.locator('canvas[data-run="gd-0-theta"]')).toBeVisible();
  await expect(figure.locator('canvas[data-run="gd-0-phi"]')).toBeVisible();
  await expect(figure).toContainText('gd #0 in θ');
  await expect(figure).toContainText('gd #0 in φ');
  // The heatmaps are painted (not blank): more than one colour in the θ-run's canvas.
  const colours = await figure.locator('canvas[data-run="gd-0-theta"]').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4 * 37)
      seen.add(((d[i] ?? 0) << 16) | ((d[i + 1] ?? 0) << 8) | (d[i + 2] ?? 0));
    return seen.size;
  });
  expect(colours).toBeGreaterThan(10);
  await figure.scrollIntoViewIfNeeded();
  await figure.screenshot({ path: 'test-results/screenshots/decision.png' });
});
