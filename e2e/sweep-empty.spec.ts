/**
 * The "defect vs learning rate" chart before any data: no crowded η tick labels (a log
 * axis over a made-up range used to print a dozen overlapping ones), a message instead;
 * after a sweep its η ticks are the measured learning rates and none of them overlap.
 */
import { expect, test, type Locator } from '@playwright/test';
import { link, openLab, tiny } from './lab';

/** Bounding boxes of the x-axis tick labels, left to right. */
async function tickBoxes(figure: Locator): Promise<{ x: number; width: number }[]> {
  const labels = figure.locator('.x-axis .tick text');
  const boxes: { x: number; width: number }[] = [];
  for (let i = 0; i < (await labels.count()); i++) {
    const b = await labels.nth(i).boundingBox();
    if (b) boxes.push({ x: b.x, width: b.width });
  }
  return boxes.sort((a, b) => a.x - b.x);
}

test('the sweep chart: an empty state without tick labels, then the measured η, not overlapping', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const figure = page.getByRole('figure', { name: /Defect vs learning rate/ });
  await figure.scrollIntoViewIfNeeded();
  await expect(figure.locator('.sweep-empty')).toHaveText('No sweep yet: press “Run sweep”.');
  await expect(figure.locator('.x-axis .tick')).toHaveCount(0);
  await expect(figure.locator('.y-axis .tick')).toHaveCount(0);
  await figure.screenshot({ path: 'test-results/screenshots/sweep-empty.png' });

  await page.getByRole('button', { name: 'Run sweep' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().sweep?.status === 'done', null, {
    timeout: 60_000,
  });
  await expect(figure.locator('.sweep-empty')).toHaveCount(0);
  await expect(figure.locator('.x-axis .tick')).toHaveCount(4);
  const boxes = await tickBoxes(figure);
  expect(boxes).toHaveLength(4);
  for (let i = 1; i < boxes.length; i++) {
    const prev = boxes[i - 1] as { x: number; width: number };
    expect((boxes[i] as { x: number }).x, `label ${i} clears label ${i - 1}`).toBeGreaterThan(
      prev.x + prev.width,
    );
  }
  await figure.screenshot({ path: 'test-results/screenshots/sweep-done.png' });
  expect(errors).toEqual([]);
});
