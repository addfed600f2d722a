import { expect, test } from '@playwright/test';
import { labState, link, openLab, tiny, waitForSteps } from './lab';

test('an invalid custom expression shows its message and leaves the previous map running', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  await page.getByLabel('Map', { exact: true }).selectOption('custom');
  await page.waitForFunction(
    () => (window.reparamLab?.progress().experiment as { reparam: { id: string } }).reparam.id === 'custom',
  );
  const first = page.getByLabel('θ1 =');
  await first.fill('p1 + q');
  await first.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /unknown name 'q'/ })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('previous map is still in use');
  const s = await labState(page);
  expect((s.experiment as { reparam: { expr: string[] } }).reparam.expr).toEqual(['p1 + 0.3*p1^3', 'p2']);
  // Not invertible on the plotted domain: refused too.
  await first.fill('p1^2');
  await first.press('Enter');
  await expect(page.getByRole('alert')).toContainText(/invert|one-to-one|det/i);
  // The page still runs.
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForSteps(page, 2);
});

test('dragging the start point restarts the runs from there', async ({ page }) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const handle = page.locator('figure[data-space="theta"] .start-handle');
  await expect(handle).toBeVisible(); // drawn once the plot has been sized
  const box = await handle.boundingBox();
  if (!box) throw new Error('no start handle');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y - 40, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(() => {
    const s = window.reparamLab?.progress();
    const init = (s?.experiment as { init?: number[] }).init;
    return !!init && s?.runs[0]?.start[0] === init[0];
  });
  const s = await labState(page);
  const init = (s.experiment as { init: number[] }).init;
  expect(init[0]).toBeGreaterThan(0.45); // moved right of 0.4
  expect(init[1]).toBeGreaterThan(0.65); // and up from 0.6
  for (const r of s.runs) expect(r.theta[0]?.[0]).toBeCloseTo(init[0] as number, 4);
});

test('controls are labelled and operable by keyboard', async ({ page }, info) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  // Space toggles play from anywhere outside a form field.
  await page.locator('body').focus();
  await page.keyboard.press(' ');
  await waitForSteps(page, 5);
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  // Add an optimizer with the keyboard; change its learning rate by typing.
  await page.getByRole('button', { name: 'Add optimizer' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.reparamLab?.progress().runs.length === 6);
  const lr = page.getByLabel('η of optimizer 3');
  await lr.fill('0.02');
  await lr.press('Enter');
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { optimizers: { lr?: number }[] }).optimizers[2]?.lr ===
      0.02,
  );
  // Scrub the timeline back.
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  const slider = page.getByLabel('Timeline');
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(page.locator('.step-counter')).toContainText('step 0 / 40 (latest 40)');
  await page.keyboard.press('End');
  await page.screenshot({ path: info.outputPath('controls.png') });
  await page.screenshot({ path: 'test-results/screenshots/controls.png' });
});

test('changing the speed keeps the runs going (view-only change)', async ({ page }) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const step = page.getByRole('button', { name: 'Step' });
  await step.click();
  await step.click();
  await page.waitForFunction(() => window.reparamLab?.progress().step === 2);
  await page.getByLabel('Speed').selectOption('600');
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { view: { stepsPerSecond?: number } }).view
        .stepsPerSecond === 600,
  );
  expect((await labState(page)).step).toBe(2);
});

test('dragging the start point on the φ plot restarts the runs from f(φ)', async ({ page }) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const handle = page.locator('figure[data-space="phi"] .start-handle');
  await expect(handle).toBeVisible(); // drawn once the plot has been sized
  const box = await handle.boundingBox();
  if (!box) throw new Error('no φ start handle');
  const before = (await labState(page)).runs[0]?.theta[0] ?? [];
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 50, box.y - 30, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((b) => {
    const s = window.reparamLab?.progress();
    const t = s?.runs[0]?.start;
    return !!t && t[0] !== b[0] && (s?.experiment as { init?: number[] }).init?.[0] === t[0];
  }, before);
  const s = await labState(page);
  const phiRun = s.runs.find((r) => r.space === 'phi');
  const init = (s.experiment as { init: number[] }).init;
  // The φ-run starts at f⁻¹(θ₀) and its pushed-forward start is θ₀ itself.
  expect(phiRun?.theta[0]?.[0]).toBeCloseTo(init[0] as number, 4);
  expect(phiRun?.theta[0]?.[1]).toBeCloseTo(init[1] as number, 4);
  expect(init[0]).toBeGreaterThan(before[0] as number);
});
