/**
 * The README's screenshot (docs/screenshot.png, 1280×720): the first scene, "The naturality
 * square", trained to its last step — gradient descent's θ- and φ-runs apart, natural
 * gradient's together — taken as a person sees it. The test also checks that what the
 * picture shows is true, so a stale or broken view fails here instead of reaching the README.
 */
import { expect, test } from '@playwright/test';
import { labState, openLab } from './lab';

test('writes docs/screenshot.png after the first scene has trained', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, '?backend=wasm');
  await page.locator('body').focus();
  await page.keyboard.press('1');
  await expect(page.locator('.scene-caption[data-scene="naturality-square"]')).toBeVisible();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 100_000,
  });
  const s = await labState(page);
  expect(s.runs.length).toBe(4);
  expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
  // What the picture claims: gd's two runs part, ngd's stay together.
  const gd = s.defects.find((d) => d.optimizer === 0);
  const ngd = s.defects.find((d) => d.optimizer === 1);
  expect(gd?.parameter).toBeGreaterThan(0.1);
  expect(ngd?.parameter).toBeLessThan((gd?.parameter ?? 0) / 5);
  // Both landscapes are drawn with every run's trajectory on them.
  for (const space of ['theta', 'phi']) {
    await expect(page.locator(`figure[data-space="${space}"] .contours path`).first()).toBeAttached();
    await expect(page.locator(`figure[data-space="${space}"] .trajectory path.line`)).not.toHaveCount(0);
  }
  await page.mouse.move(0, 0); // no hover tooltip in the picture
  await page.screenshot({ path: 'docs/screenshot.png' });
});
