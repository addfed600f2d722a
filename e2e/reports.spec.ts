import { expect, test } from '@playwright/test';
import { labState, openLab, waitForSteps } from './lab';

test('inductive-bias-lost: error and spectrum charts per run (docs/theory.md §6)', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page, '?backend=wasm');
  await page.locator('body').focus();
  await page.keyboard.press('7');
  await expect(page.locator('.scene-caption[data-scene="inductive-bias-lost"]')).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 31, 100_000);
  await page.getByRole('button', { name: 'Pause' }).click();
  const s = await labState(page);
  expect(s.runs.length).toBe(2);
  const report = page.locator('figure.report');
  await expect(report).toBeVisible();
  for (const run of s.runs) {
    const path = report.locator(`.report-error-line[data-run="${run.id}"]`);
    await expect(path).toHaveCount(1);
    // At least steps 0, 10, 20, 30: a real line, not a single point.
    await expect
      .poll(async () => ((await path.getAttribute('d')) ?? '').split(/[LM]/).filter(Boolean).length)
      .toBeGreaterThanOrEqual(4);
    // d = 40 weights: forty sorted |θ| per run.
    await expect(report.locator(`.report-spectrum[data-run="${run.id}"] circle`)).toHaveCount(40);
  }
  await report.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/reports.png', fullPage: true });
});
