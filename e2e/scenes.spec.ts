import { expect, test, type Page } from '@playwright/test';
import { scenes } from '../src/state/scenes';
import { labState, openLab, plainLink, waitForSteps } from './lab';

type State = Awaited<ReturnType<typeof labState>>;
type Defects = State['defects'];
const defect = (d: Defects, i: number): number => d.find((x) => x.optimizer === i)?.parameter ?? NaN;

/** What each scene's caption claims, checked on the measured defects once it has run. */
const claims: Record<string, (d: Defects, s: State) => void> = {
  'inductive-bias-lost': (_d, s) => {
    const lastError = (id: string): number => s.reports?.[id]?.error.at(-1) ?? NaN;
    expect(lastError('gd-0-theta')).toBeLessThan(0.2); // test accuracy > 0.8
    expect(lastError('ngd-1-theta')).toBeGreaterThan(0.25); // test accuracy < 0.75
  },
  'naturality-square': (d) => expect(defect(d, 1)).toBeLessThan(defect(d, 0) / 5),
  'what-each-optimizer-forgives': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1); // gd
    expect(defect(d, 1)).toBeGreaterThan(0.1); // adam
    expect(defect(d, 2)).toBeLessThan(1e-4); // diagonal Fisher
    expect(defect(d, 3)).toBeLessThan(1e-4); // natural gradient
  },
  'order-of-naturality': (d) => {
    expect(defect(d, 1)).toBeLessThan(defect(d, 0) / 5);
    expect(defect(d, 2)).toBeLessThan(defect(d, 1) / 2);
  },
  'newton-affine-only': (d) => expect(defect(d, 0)).toBeGreaterThan(10 * defect(d, 1)),
  'damping-vs-trust-region': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1);
    expect(defect(d, 1)).toBeLessThan(1e-4);
  },
  'kfac-layer-rescaling': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1); // gd
    expect(defect(d, 1)).toBeLessThan(1e-4); // kfac
  },
};

async function pickScene(page: Page, index: number): Promise<void> {
  await page.locator('body').focus();
  await page.keyboard.press(String(index + 1));
}

scenes.forEach((scene, index) => {
  test(`scene ${index + 1}: ${scene.title}`, async ({ page }, info) => {
    test.setTimeout(120_000);
    await openLab(page, `?backend=wasm${plainLink()}`);
    await pickScene(page, index);
    await expect(page.locator(`.scene-caption[data-scene="${scene.id}"]`)).toBeVisible();
    await expect(page.getByLabel('Scene', { exact: true })).toHaveValue(scene.id);
    await page.getByRole('button', { name: 'Play' }).click();
    const claim = claims[scene.id];
    if (claim) {
      await page.waitForFunction(() => window.reparamLab?.state().playState === 'done', undefined, {
        timeout: 100_000,
      });
      const s = await labState(page);
      expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
      claim(s.defects, s);
    } else {
      await waitForSteps(page, 11, 100_000);
      const s = await labState(page);
      expect(s.runs.every((r) => r.status === 'ok' && r.loss.every(Number.isFinite))).toBe(true);
    }
    await page.screenshot({ path: info.outputPath(`${scene.id}.png`) });
    await page.screenshot({ path: `test-results/screenshots/scene-${index + 1}-${scene.id}.png` });
  });
});

test('presentation mode, theme and shortcut help', async ({ page }) => {
  await openLab(page, `?backend=wasm${plainLink()}`);
  await pickScene(page, 0);
  await expect(page.locator('.scene-caption[data-scene="naturality-square"]')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.locator('.app.present')).toBeVisible();
  await expect(page.getByRole('group', { name: /optimizer 1/ })).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.reparamLab?.state().step === 1);
  await page.keyboard.press(' ');
  await waitForSteps(page, 20);
  await page.keyboard.press(' ');
  await page.keyboard.press('r');
  await page.waitForFunction(() => window.reparamLab?.state().step === 0);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html[data-theme="dark"]')).toHaveCount(1);
  // Shortcuts apply outside form controls: leave the theme button as a keyboard user would.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(' ');
  await waitForSteps(page, 30);
  await page.screenshot({ path: 'test-results/screenshots/presentation-dark.png' });
  await page.keyboard.press('p');
  await expect(page.locator('.app.present')).toHaveCount(0);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === null);
});
