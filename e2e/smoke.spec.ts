import { expect, test } from '@playwright/test';
import { labState, openLab, plainLink, waitForReset, waitForSteps } from './lab';

test.describe('walking skeleton', () => {
  test('trains gradient descent, draws the trajectory and the landscape', async ({ page }, info) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openLab(page, plainLink());
    await expect(page.getByTestId('backend')).not.toHaveText(/starting/);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSteps(page, 51);
    // progress() is state() without the points: the same counts, the same start (one read of both).
    const [state, progress] = await page.evaluate(() => {
      const lab = window.reparamLab as NonNullable<typeof window.reparamLab>;
      return [lab.state(), lab.progress()] as const;
    });
    expect(progress).toMatchObject({
      step: state.step,
      playState: state.playState,
      experiment: state.experiment,
    });
    expect(progress?.runs).toEqual(
      state.runs.map((r) => ({
        id: r.id,
        optimizer: r.optimizer,
        space: r.space,
        points: r.theta.length,
        start: r.theta[0],
        status: r.status,
        divergedAt: r.divergedAt,
      })),
    );
    const run = state.runs[0];
    expect(run?.space).toBe('theta');
    expect(run?.status).toBe('ok');
    const loss = run?.loss ?? [];
    expect(loss.length).toBeGreaterThanOrEqual(51);
    expect(loss[loss.length - 1]).toBeLessThan((loss[0] as number) - 0.1);
    // The trajectory path is drawn over the landscape and has one vertex per point so far.
    const path = page.locator('figure[data-space="theta"] .trajectory path.line');
    await expect(path).toHaveCount(1);
    const d = (await path.getAttribute('d')) ?? '';
    expect(d.split(/[ML]/).filter(Boolean).length).toBeGreaterThanOrEqual(50);
    await expect(page.locator('figure[data-space="theta"] .contours path').first()).toBeAttached();
    await page.screenshot({ path: info.outputPath('skeleton.png') });
    await page.screenshot({ path: 'test-results/screenshots/skeleton.png' });
    expect(errors).toEqual([]);
  });

  test('pause, single step and reset', async ({ page }) => {
    await openLab(page, plainLink());
    const step = page.getByRole('button', { name: 'Step' });
    await step.click();
    await step.click();
    await page.waitForFunction(() => window.reparamLab?.progress().step === 2);
    expect((await labState(page)).runs[0]?.theta.length).toBe(3);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSteps(page, 10);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
    const paused = (await labState(page)).step;
    await page.waitForTimeout(300); // a pause must hold: nothing to poll for here
    expect((await labState(page)).step).toBe(paused);
    await page.getByRole('button', { name: 'Reset' }).click();
    await waitForReset(page);
    expect((await labState(page)).runs[0]?.theta.length).toBe(1);
  });
});

// Each forced backend trains and reports itself: e2e/csp.spec.ts, under the Content-Security-Policy.

test('the automatic choice times a warm-up on each backend and keeps the fastest', async ({ page }) => {
  await openLab(page);
  const { backend, backendChoice } = await labState(page);
  expect(backendChoice?.requested).toBe('auto');
  const all = backendChoice?.measurements ?? [];
  // Every backend is accounted for: measured, or skipped/unavailable with a reason.
  expect(all.map((m) => m.backend).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  for (const m of all) {
    if (m.status === 'measured') expect(m.msPerStep).toBeGreaterThan(0);
    else expect(m.note ?? '').not.toBe('');
  }
  const measured = all.filter((m) => m.status === 'measured');
  // wasm and cpu always run here, so at least two are compared.
  expect(measured.length).toBeGreaterThanOrEqual(2);
  const fastest = measured.reduce((a, b) => ((b.msPerStep ?? Infinity) < (a.msPerStep ?? Infinity) ? b : a));
  expect(backend).toBe(fastest.backend);
  // The badge says what was chosen and why.
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', fastest.backend);
  const title = (await badge.getAttribute('title')) ?? '';
  expect(title).toContain(`${fastest.backend} chosen: `);
  expect(title).toContain(backendChoice?.reason ?? '(no reason)');
  for (const m of measured.filter((x) => x !== fastest))
    expect(title).toMatch(new RegExp(`${m.backend} [0-9.]+ ms/step`));
});

test('an unknown ?backend= shows a message and chooses automatically', async ({ page }) => {
  await openLab(page, '?backend=quantum');
  await expect(page.getByRole('status').filter({ hasText: 'Unknown backend "quantum"' })).toBeVisible();
  const s = await labState(page);
  expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(s.backend);
});

test('a later experiment of another size is timed again: the header names it', async ({ page }, info) => {
  // P = 2: the choice at start is timed on this experiment.
  await openLab(page, plainLink());
  const first = await labState(page);
  expect(first.backendChoice?.reason).toContain('on this experiment (gaussian-fit, P = 2)');
  // The digits scene: a 64-16-10 network, P = 1,210, another size class.
  await page.getByLabel('Scene', { exact: true }).selectOption('digits-kfac-adam');
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('title', /on this experiment \(digits, P = 1,210\)/);
  // The new choice comes before the digits runs are loaded.
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { problem?: { id: string } } | null)?.problem?.id ===
      'digits',
  );
  const { backend, backendChoice } = await labState(page);
  expect(backendChoice?.requested).toBe('auto');
  expect(backendChoice?.notes.join('\n')).toContain(
    'chosen again for a network of another size (P = 2 before, 1,210 now)',
  );
  // The new choice is the fastest of its own measurements, on the new workload.
  // Every backend accounted for; a slow step may spend the time budget before cpu is tried.
  const all = backendChoice?.measurements ?? [];
  expect(all.map((m) => m.backend).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  for (const m of all) if (m.status !== 'measured') expect(m.note ?? '').not.toBe('');
  const measured = all.filter((m) => m.status === 'measured');
  expect(measured.length).toBeGreaterThanOrEqual(1);
  const fastest = measured.reduce((a, b) => ((b.msPerStep ?? Infinity) < (a.msPerStep ?? Infinity) ? b : a));
  expect(backend).toBe(fastest.backend);
  await expect(badge).toHaveAttribute('data-backend', fastest.backend);
  // A digits step costs more than a step of P = 2 on the same backend.
  const before = first.backendChoice?.measurements.find((m) => m.backend === fastest.backend)?.msPerStep;
  if (before !== undefined) expect(fastest.msPerStep).toBeGreaterThan(before);
  // The runs go on the chosen backend.
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().step === 1);
  await page.screenshot({ path: info.outputPath('rechosen.png') });
});
