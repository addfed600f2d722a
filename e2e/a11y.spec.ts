import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openLab, plainLink, waitForSteps } from './lab';

/** Serious and critical axe-core violations, summarised for a readable failure. */
async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length}× e.g. ${v.nodes[0]?.target.join(' ')}`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`no serious or critical accessibility violations (${theme} theme, normal and presentation)`, async ({
    page,
  }) => {
    await page.addInitScript((t) => window.localStorage.setItem('reparam-lab:theme', t), theme);
    await openLab(page, `?backend=wasm${plainLink()}`);
    await page.locator('body').focus();
    await page.keyboard.press('1');
    await expect(page.locator('.scene-caption')).toBeVisible();
    await page.keyboard.press(' ');
    await waitForSteps(page, 20);
    await page.keyboard.press(' ');
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('p');
    await expect(page.locator('.app.present')).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}

test('running figures are announced politely, not every frame', async ({ page }) => {
  await openLab(page, `?backend=wasm${plainLink()}`);
  const live = page.getByTestId('announcer');
  await expect(live).toHaveAttribute('aria-live', 'polite');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  await expect(live).toHaveText(/^Finished\. Step 200 of 200, lowest loss/);
});
