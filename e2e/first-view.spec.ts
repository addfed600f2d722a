/**
 * The first visit (no link, nothing saved) opens the naturality-square scene playing, with
 * θ and φ side by side, gradient descent and natural gradient, their φ-runs dashed, and a
 * dismissible hint; a second visit restores the last experiment instead.
 */
import { expect, test } from '@playwright/test';
import { scenes } from '../src/state/scenes';
import { fastest, labState, openLab, plainLink, waitForSteps } from './lab';
import { suggestions } from '../src/engine/problems/suggested';

const hintText = 'Solid: run in θ; dashed: the same optimizer run in φ, drawn in θ.';

test('a first visit shows both plots, gd and ngd with dashed φ-runs, the hint, and plays', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  // A real first visit: no `paused=1` (the test helper's default), which would open it paused.
  await openLab(page, '?backend=wasm', { paused: false });
  const s0 = await labState(page);
  const exp = s0.experiment as {
    problem: { id: string };
    reparam: { id: string };
    optimizers: { id: string }[];
  };
  expect(exp.problem.id).toBe('gaussian-fit');
  expect(exp.reparam.id).not.toBe('identity');
  expect(exp.optimizers.map((o) => o.id)).toEqual(['gd', 'ngd']);
  await expect(page.locator('.scene-caption[data-scene="naturality-square"]')).toBeVisible();
  await expect(page.locator('figure[data-space="theta"]')).toBeVisible();
  await expect(page.locator('figure[data-space="phi"]')).toBeVisible();
  // Played without a click.
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await waitForSteps(page, 30);
  const s = await labState(page);
  expect(s.runs.map((r) => r.space).sort()).toEqual(['phi', 'phi', 'theta', 'theta']);
  expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
  // Two solid θ-runs and two dashed φ-runs on the θ plot.
  const lines = page.locator('figure[data-space="theta"] .trajectory path.line');
  await expect(lines).toHaveCount(4);
  const dashes = await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('stroke-dasharray')));
  expect(dashes.filter((d) => d === null)).toHaveLength(2);
  expect(dashes.filter((d) => d !== null)).toHaveLength(2);
  const hint = page.getByTestId('first-hint');
  await expect(hint).toContainText(hintText);
  await expect(hint).toContainText('keys 1–9');
  // The rest at the fastest speed (a view setting: the runs go on): the end state is checked.
  await fastest(page);
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 100_000,
  });
  const done = await labState(page);
  // What the view is for: GD's two runs part, NGD's coincide.
  const defect = (i: number): number => done.defects.find((d) => d.optimizer === i)?.parameter ?? NaN;
  expect(defect(1)).toBeLessThan(defect(0) / 5);
  for (const [w, h] of [
    [1280, 720],
    [768, 1024],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: info.outputPath(`first-view-${w}x${h}.png`) });
    await page.screenshot({ path: `test-results/screenshots/first-view-${w}x${h}.png` });
  }
});

test('the hint stays dismissed, and a second visit restores the last experiment', async ({ page }) => {
  test.setTimeout(120_000);
  await openLab(page, '?backend=wasm');
  await page.getByRole('button', { name: 'Dismiss hint' }).click();
  await expect(page.getByTestId('first-hint')).toHaveCount(0);
  // Another experiment (scene 2), saved as the last one.
  await page.locator('body').focus();
  await page.keyboard.press('2');
  const second = scenes[1]?.id ?? '';
  await expect(page.locator(`.scene-caption[data-scene="${second}"]`)).toBeVisible();
  await page.waitForFunction(
    () => window.localStorage.getItem('reparam-lab:experiment:v1')?.includes('tiny-net') ?? false,
  );
  // Come back without a link.
  await openLab(page, '?backend=wasm');
  await expect(page.locator(`.scene-caption[data-scene="${second}"]`)).toBeVisible();
  expect(((await labState(page)).experiment as { problem: { id: string } }).problem.id).toBe('tiny-net');
  await expect(page.getByTestId('first-hint')).toHaveCount(0);
  // A returning visitor's experiment waits for Play.
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  expect((await labState(page)).step).toBe(0);
});

test('choosing a problem or adding an optimizer fills in the problem’s suggestion', async ({ page }) => {
  await openLab(page, `?backend=wasm${plainLink()}`);
  await expect(page.getByLabel('η of optimizer 1')).toHaveValue('0.1'); // the link's explicit η
  await page.getByLabel('Problem', { exact: true }).selectOption('rosenbrock');
  const rosen = suggestions.rosenbrock;
  await expect(page.getByLabel('η of optimizer 1')).toHaveValue(String(rosen.gd.lr));
  await page.getByRole('button', { name: 'Add optimizer' }).click();
  await page.getByLabel('Method of optimizer 2').selectOption('newton');
  await expect(page.getByLabel('η of optimizer 2')).toHaveValue(String(rosen.newton.lr));
  await expect(page.getByLabel('Damping of optimizer 2')).toHaveValue(rosen.newton.damping?.type ?? 'none');
  // The suggestions run: a few steps, nothing diverges.
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 40);
  expect((await labState(page)).runs.every((r) => r.status === 'ok')).toBe(true);
});
