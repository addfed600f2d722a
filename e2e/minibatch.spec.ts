/**
 * The mini-batch field of the problem panel (digits): a size is applied and carried by the
 * experiment, a size above the training images is refused with the engine's message next
 * to the field while the previous experiment keeps running, and emptying it is the full batch.
 */
import { expect, test, type Page } from '@playwright/test';
import { labState, link, openLab, waitForSteps } from './lab';

const digits = {
  version: 1,
  seed: 0,
  problem: { id: 'digits', hidden: [8] },
  reparam: { id: 'layer-scale', cond: 4 },
  optimizers: [{ id: 'kfac' }, { id: 'gd' }],
  steps: 30,
};

const problemOf = async (page: Page) =>
  ((await labState(page)).experiment as { problem?: Record<string, unknown> } | null)?.problem;

test('mini-batch size: set, refused with a message, emptied back to the full batch, the message gone with its problem', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, `?backend=wasm${link(digits)}`);
  const field = page.getByLabel('mini-batch size');
  await expect(field).toHaveValue('');
  await expect(field).toHaveAttribute('placeholder', 'full batch');

  await field.fill('64');
  await field.press('Enter');
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { problem?: { batch?: number } } | null)?.problem
        ?.batch === 64,
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 6);
  const s = await labState(page);
  for (const r of s.runs) expect(r.loss.slice(0, 6).every(Number.isFinite)).toBe(true);
  await expect(page.getByTestId('batch-hint')).toContainText('Each step uses 64 training images');
  await expect(page.getByTestId('batch-hint')).toContainText('the loss plotted is on the full training set');
  await field.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/minibatch-set.png' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByText('Controls', { exact: true }).click(); // the panels fold on a phone
  await field.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/minibatch-set-phone.png' });
  await page.setViewportSize({ width: 1280, height: 720 });
  await expect(field).toBeVisible();

  await field.fill('5000');
  await field.press('Enter');
  const error = page.getByTestId('batch-error');
  await expect(error).toContainText('a mini-batch of 5000 images exceeds the 1500 training images');
  await expect(error).toContainText('the previous batch size is still in use');
  expect((await problemOf(page))?.batch).toBe(64);
  await page.screenshot({ path: 'test-results/screenshots/minibatch-refused.png' });

  await field.fill('');
  await field.press('Enter');
  await page.waitForFunction(() => {
    const p = (
      window.reparamLab?.progress().experiment as { problem?: { id?: string; batch?: number } } | null
    )?.problem;
    return p?.id === 'digits' && p.batch === undefined;
  });
  await expect(error).toHaveCount(0);

  // A refusal's message belongs to its experiment: another problem and back clears it.
  await field.fill('5000');
  await field.press('Enter');
  await expect(error).toContainText('exceeds the 1500 training images');
  const problem = page.getByRole('combobox', { name: 'Problem', exact: true });
  await problem.selectOption('mlp');
  await page.waitForFunction(
    (id) =>
      (window.reparamLab?.progress().experiment as { problem?: { id?: string } } | null)?.problem?.id === id,
    'mlp',
  );
  await problem.selectOption('digits');
  await page.waitForFunction(
    (id) =>
      (window.reparamLab?.progress().experiment as { problem?: { id?: string } } | null)?.problem?.id === id,
    'digits',
  );
  await expect(field).toHaveValue('');
  await expect(error).toHaveCount(0);
});
