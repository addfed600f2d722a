/**
 * The Fisher approximations in the page, from a link (docs/theory.md §9): block-fisher,
 * lowrank-fisher and ngd by CG run under block-mixing; the optimizer panel says how each
 * exact method solves and offers the solver, residual, rank and blocks fields; K-FAC's Fisher
 * field (exact or sampled) comes from a link, runs, and edits the experiment.
 */
import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'block-mixing', cond: 4 },
  optimizers: [
    { id: 'ngd', lr: 0.05, solver: 'cg' },
    { id: 'ngd', lr: 0.05, solver: 'cg', cgIters: 1 },
    { id: 'block-fisher', lr: 0.05 },
    { id: 'lowrank-fisher', lr: 0.05, rank: 1, damping: { type: 'none', value: 0 } },
  ],
  steps: 30,
  init: [0.4, 0.6],
  view: { stepsPerFrame: 5 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('block-fisher, lowrank-fisher and NGD by CG from a link; the solver note', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm${hash}`);
  await expect(page.locator('[data-solver-note="ngd"]').first()).toHaveText(
    'ngd: exact by CG, to relative residual 1e-6',
  );
  await expect(page.locator('[data-solver-note="ngd"]').nth(1)).toHaveText('ngd: truncated CG, 1 iteration');
  await expect(page.getByLabel('rank k of optimizer 4')).toHaveValue('1');
  await expect(page.getByLabel('Blocks of optimizer 3')).toHaveValue('auto');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', null, {
    timeout: 60_000,
  });
  const s = await labState(page);
  expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
  // Beside the plan, what the latest step's solves did, for the θ- and the φ-run.
  await expect(page.locator('[data-solver-last="0"]')).toHaveText(
    /^ — last step: θ: [12] CG iterations?, residual \d\.\de-\d+; φ: [12] CG iterations?, residual \d\.\de-\d+$/,
  );
  await expect(page.locator('[data-solver-last="1"]')).toHaveText(
    /^ — last step: θ: 1 CG iteration, residual \S+; φ: 1 CG iteration, residual \S+$/,
  );
  await expect(page.locator('[data-solver-last="2"]')).toHaveCount(0);
  const defect = (i: number) => s.defects.find((d) => d.optimizer === i)?.parameter ?? NaN;
  // One block on a 2-D problem: block-mixing is a general linear map (§9.1–9.3).
  expect(defect(0)).toBeLessThan(1e-4); // exact NGD by CG
  expect(defect(2)).toBeLessThan(1e-4); // block-fisher = ngd here
  expect(defect(1)).toBeGreaterThan(1e-2); // truncated, m = 1 < P
  expect(defect(3)).toBeGreaterThan(1e-2); // k = 1 < P
  await page
    .locator('.optimizers-panel')
    .screenshot({ path: 'test-results/screenshots/fisher-optimizers-panel.png' });
  // The residual of an exact solve by CG is a field of that entry only (not of the truncated one).
  const residual = page.getByLabel('CG residual of optimizer 1');
  await expect(residual).toHaveValue('1e-6');
  await expect(page.getByLabel('CG residual of optimizer 2')).toHaveCount(0);
  await residual.fill('1e-3');
  await residual.press('Enter');
  await expect(page.locator('[data-solver-note="ngd"]').first()).toContainText(
    'ngd: exact by CG, to relative residual 1e-3',
  );
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { optimizers: { cgTol?: number }[] }).optimizers[0]
        ?.cgTol === 1e-3,
  );
  expect(errors).toEqual([]);
});

test('K-FAC with the sampled Fisher from a link; the Fisher field', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sampled = {
    version: 1,
    problem: { id: 'mlp' },
    optimizers: [
      { id: 'kfac', lr: 0.1, fisher: 'sampled', damping: { type: 'lm', value: 1e-2 } },
      { id: 'kfac', lr: 0.1, damping: { type: 'lm', value: 1e-2 } },
    ],
    steps: 20,
    view: { stepsPerFrame: 5 },
  };
  await openLab(page, `?backend=wasm#e=${LZString.compressToEncodedURIComponent(JSON.stringify(sampled))}`);
  await expect(page.getByLabel('Fisher of optimizer 1')).toHaveValue('sampled');
  await expect(page.getByLabel('Fisher of optimizer 2')).toHaveValue('exact');
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.state().playState === 'done', null, {
    timeout: 60_000,
  });
  const s = await labState(page);
  expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
  const loss = (i: number) => s.runs.find((r) => r.optimizer === i)?.loss ?? [];
  // Two estimators of the same curvature: both train, not along the same path.
  expect(loss(0).at(-1)).toBeLessThan(loss(0)[0] as number);
  expect(loss(1).at(-1)).toBeLessThan(loss(1)[0] as number);
  expect(loss(0)).not.toEqual(loss(1));
  await page.getByLabel('Fisher of optimizer 2').selectOption('sampled');
  const fisherOf = async (i: number): Promise<string | undefined> =>
    ((await labState(page)).experiment as { optimizers: { fisher?: string }[] }).optimizers[i]?.fisher;
  await expect.poll(() => fisherOf(1)).toBe('sampled');
  expect(errors).toEqual([]);
});

test('NGD by CG on digits in the page (its θ-run multiplies by the Fisher in the WebAssembly kernel): it trains and reaches its residual', async ({
  page,
}) => {
  // The default 64-32-10 network on 1,500 images: N·C·P is past the factor limit, so every
  // CG product is curvature/fisher-product.ts's kernel in the engine worker (θ-run).
  const digits = {
    version: 1,
    problem: { id: 'digits' },
    reparam: { id: 'layer-scale', cond: 4 },
    optimizers: [{ id: 'ngd', lr: 0.5 }],
    steps: 4,
    view: { stepsPerFrame: 1 },
  };
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm#e=${LZString.compressToEncodedURIComponent(JSON.stringify(digits))}`);
  await expect(page.locator('[data-solver-note="ngd"]').first()).toHaveText(
    'ngd: exact by CG (P = 2410 > 1000), to relative residual 1e-6',
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', null, {
    timeout: 60_000,
  });
  const s = await labState(page);
  const theta = s.runs.find((r) => r.space === 'theta');
  expect(theta?.status).toBe('ok');
  expect(theta?.loss.at(-1)).toBeLessThan(0.5 * (theta?.loss[0] ?? NaN));
  // The θ-run's solve reached the residual it states.
  const last = (await page.locator('[data-solver-last="0"]').textContent()) ?? '';
  const m = /θ: (\d+) CG iterations, residual (\S+);/.exec(last);
  expect(m, last).not.toBeNull();
  expect(Number(m?.[2])).toBeLessThanOrEqual(1e-6);
  expect(errors).toEqual([]);
});
