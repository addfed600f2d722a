/**
 * A switch that fails says why (docs/experiment-format.md, `switchAt`): tiny-net under exp on a (a = e^φ₁ > 0),
 * started at a > 0, b < 0, where gd turns a negative on its way to the teacher; a switch at
 * step 30 meets θ₃₀ outside the image of exp. The page names the reason, in plain words,
 * in the run status and the switch panel, and the θ- and φ-runs go on to the end.
 */
import { expect, test } from '@playwright/test';
import { labState, link, openLab, setSwitchStep } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'exp', coords: [0] },
  init: [0.3, -0.8],
  optimizers: [{ id: 'gd', lr: 0.1 }],
  steps: 80,
  seed: 1,
  view: { stepsPerFrame: 2 },
};

test('a failed switch is reported with its reason while the other runs keep going', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 900 });
  await openLab(page, `?backend=wasm${link(experiment)}`);
  await setSwitchStep(page, 30);

  await page.getByRole('button', { name: 'Play' }).click();
  const status = page.getByRole('region', { name: 'Diverged runs' });
  const reason =
    /switch at step 30 failed: θ is outside the domain of exp \(a = -[\d.]+ must be > 0\): no φ has f\(φ\) = θ/;
  await expect(status.locator('li[data-run="gd-0-switch"]')).toContainText(reason);
  // Seen while the others still run: they are short of the end when the reason shows.
  const seenAt = await labState(page);
  await expect(status).toContainText('gd #0 (θ→φ run): switch at step 30 failed');
  await expect(status).toContainText('(stopped at step 31)');
  await expect(page.getByRole('list', { name: 'What the switch did' })).toContainText(reason);

  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 60_000,
  });
  const s = await labState(page);
  const byId = new Map(s.runs.map((r) => [r.id, r]));
  const sw = byId.get('gd-0-switch');
  expect(sw?.status).toBe('diverged');
  expect(sw?.divergedAt).toBe(31);
  expect(sw?.theta).toHaveLength(31);
  const aK = sw?.theta[30]?.[0] ?? 0;
  expect(aK).toBeLessThan(0);
  for (const id of ['gd-0-theta', 'gd-0-phi']) {
    expect(byId.get(id)?.status, id).toBe('ok');
    expect(byId.get(id)?.theta, id).toHaveLength(81);
  }
  test.info().annotations.push({
    type: 'reason shown at step',
    description: `${seenAt.step} of 80 (a_30 = ${aK})`,
  });
  // Only the failed run is listed; the φ plot has nothing of it (it never got into φ).
  await expect(status.locator('li')).toHaveCount(1);
  await expect(page.locator('figure[data-space="phi"] .trajectory[data-run="gd-0-switch"]')).toHaveCount(0);
  await status.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/switch-failure.png' });
  expect(errors).toEqual([]);
});
