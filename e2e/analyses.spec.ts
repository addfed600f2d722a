/**
 * The analyses in the page: the "defect vs learning rate" sweep (docs/theory.md §4),
 * the live naturality table (§3) and the per-step κ* / κ(F) charts (§5), driven as a
 * person would (buttons by their names) and checked on window.reparamLab and on the page.
 */
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
    { id: 'ngd', lr: 0.05, integrator: 'midpoint' },
  ],
  steps: 40,
  init: [0.4, 0.6],
  view: { stepsPerFrame: 4 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('sweep slopes ≈ 0 / 1 / 2, the naturality table, and κ* ≤ κ(F) for NGD', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm${hash}`);

  // The sweep: GD, NGD Euler, NGD midpoint on θ = φ + 0.3φ³.
  await page.getByRole('button', { name: 'Run sweep' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().sweep?.status === 'done', null, {
    timeout: 60_000,
  });
  const sweep = (await labState(page)).sweep?.result;
  const slopes = sweep?.series.map((s) => s.slope) ?? [];
  expect(slopes).toHaveLength(3);
  expect(Math.abs((slopes[0] as number) - 0), `gd slope ${slopes[0]}`).toBeLessThan(0.3);
  expect(Math.abs((slopes[1] as number) - 1), `ngd euler slope ${slopes[1]}`).toBeLessThan(0.2);
  expect(Math.abs((slopes[2] as number) - 2), `ngd midpoint slope ${slopes[2]}`).toBeLessThan(0.3);
  // What a person sees: the fitted slope in the legend and one curve per optimizer.
  const sweepFigure = page.getByRole('figure', { name: /Defect vs learning rate/ });
  await expect(sweepFigure.locator('.sweep-curve')).toHaveCount(3);
  await expect(sweepFigure.locator('.legend')).toContainText(
    `ngd #1: slope ${(slopes[1] as number).toFixed(2)}`,
  );
  await expect(sweepFigure.getByRole('status')).toContainText('Done');

  // The naturality table: NGD is equivariant under a general linear map, GD is not under a diagonal one.
  const table = page.getByRole('figure', { name: /Naturality table/ });
  await table.getByRole('button', { name: 'Compute' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().table?.status === 'done', null, {
    timeout: 60_000,
  });
  const general = table.getByRole('columnheader').filter({ hasText: 'general' });
  await expect(general).toBeVisible();
  await expect(table.locator('td[data-optimizer="1"][data-map="general"] .nat-mark')).toHaveText('✓');
  await expect(table.locator('td[data-optimizer="0"][data-map="diagonal"] .nat-mark')).toHaveText('✗');
  const cells = (await labState(page)).table?.result?.cells ?? [];
  expect(cells).toHaveLength(3 * 5);
  // Every cell of these optimizers has a claim in docs/theory.md §3, and the measurement agrees with it.
  expect(cells.filter((c) => c.agrees !== true)).toEqual([]);
  // Beside the table: defect vs k and vs m (§9), each under a linear and a nonlinear map.
  await expect(table.locator('.defect-curves [data-curve]')).toHaveCount(4);
  const curves = (await labState(page)).table?.result?.curves?.curves ?? [];
  const linearRank = curves.find((c) => c.kind === 'rank' && c.map === 'linear');
  expect(linearRank?.defects.at(-1)).toBeLessThan(1e-4);
  expect(linearRank?.defects[0]).toBeGreaterThan(1e-2);
  await table.screenshot({ path: 'test-results/screenshots/naturality-table-curves.png' });

  // Per-step metrics while the runs train (tiny-net has P = 2 ≤ 50).
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', null, {
    timeout: 60_000,
  });
  const { metrics } = await labState(page);
  const gdKappa = metrics['gd-0-theta']?.kappa ?? [];
  expect(gdKappa).toHaveLength(40);
  gdKappa.forEach((k) => expect(k as number).toBeCloseTo(1, 3));
  for (const id of ['ngd-1-theta', 'ngd-1-phi']) {
    const m = metrics[id];
    expect(m?.kappa).toHaveLength(40);
    // κ(F) is formed at every point here (few steps per frame; at high speed the worker samples points).
    const pairs = (m?.kappa ?? []).flatMap((k, i) => (Number.isFinite(m?.cond[i]) ? [[k, m?.cond[i]]] : []));
    expect(pairs.length).toBe(40);
    pairs.forEach(([k, c]) => expect(k as number).toBeLessThanOrEqual((c as number) * (1 + 1e-3)));
  }
  const metricFigure = page.getByRole('figure', { name: /Implied metric/ });
  await expect(metricFigure.locator('path.metric-line')).toHaveCount(2 * 6);

  await sweepFigure.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('analyses.png') });
  await page.screenshot({ path: info.outputPath('analyses-full.png'), fullPage: true });
  await page.screenshot({ path: 'test-results/screenshots/analyses.png' });
  expect(errors).toEqual([]);
});

test('the metric charts say they are not computed for P > 50', async ({ page }) => {
  const big = { version: 1, problem: { id: 'mlp' }, optimizers: [{ id: 'gd' }], steps: 5 };
  await openLab(page, `?backend=wasm#e=${LZString.compressToEncodedURIComponent(JSON.stringify(big))}`);
  await expect(page.getByRole('figure', { name: /Implied metric/ })).toContainText('Not computed for P > 50');
});
