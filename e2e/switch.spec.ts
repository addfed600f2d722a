import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, maxApart, openLab, setSwitchStep } from './lab';

/** Tiny net a·tanh(b·x) under the cubic map; NGD and GD with a small learning rate. */
const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [
    { id: 'ngd', lr: 0.02 },
    { id: 'gd', lr: 0.02 },
  ],
  steps: 60,
  seed: 1,
  view: { stepsPerFrame: 5 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('change coordinates at step k: NGD’s switch run stays with its θ-run, GD’s departs', async ({
  page,
}, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, `?backend=wasm${hash}`);
  await setSwitchStep(page, 20);
  await expect(page.getByLabel('Second moment (Adam, RMSProp)')).toHaveValue('reset');

  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 90_000,
  });
  const s = await labState(page);
  const run = (id: string) => {
    const r = s.runs.find((x) => x.id === id);
    if (!r) throw new Error(`no run ${id}`);
    return r;
  };
  const switches = s.runs.filter((r) => r.space === 'switch');
  expect(switches.map((r) => r.id)).toEqual(['ngd-0-switch', 'gd-1-switch']);
  expect(switches.every((r) => r.switchAt === 20 && r.theta.length === 61 && r.status === 'ok')).toBe(true);
  // Up to k the switch runs are their θ-runs.
  expect(maxApart(run('ngd-0-switch').theta.slice(0, 21), run('ngd-0-theta').theta)).toBe(0);
  const ngd = maxApart(run('ngd-0-switch').theta, run('ngd-0-theta').theta);
  const gd = maxApart(run('gd-1-switch').theta, run('gd-1-theta').theta);
  info.annotations.push({ type: 'distance from θ-run', description: `ngd ${ngd}, gd ${gd}` });
  expect(ngd).toBeLessThan(2e-3);
  expect(gd).toBeGreaterThan(0.05);

  // The θ plot draws them dotted, a square at step k; the panel says what the switch did.
  const theta = page.locator('figure[data-space="theta"]');
  await expect(theta.locator('.switch-mark')).toHaveCount(2);
  await expect(theta.locator('.trajectory[data-run="gd-1-switch"] path.line')).toHaveAttribute(
    'stroke-dasharray',
    '1 5',
  );
  // The φ plot draws them too, from step k on (dotted, the square at φ_k = f⁻¹(θ_k)): their
  // φ rows are NaN before k and map back onto their θ points through θ = φ + 0.3φ³ after it.
  const phiPlot = page.locator('figure[data-space="phi"]');
  await expect(phiPlot.locator('.switch-mark')).toHaveCount(2);
  await expect(phiPlot.locator('.trajectory[data-run="gd-1-switch"] path.line')).toHaveAttribute(
    'stroke-dasharray',
    '1 5',
  );
  for (const id of ['ngd-0-switch', 'gd-1-switch']) {
    const r = run(id);
    expect(r.phi, id).toHaveLength(61);
    expect(
      r.phi?.slice(0, 20).every((p) => p.every((v) => v === null || Number.isNaN(v))),
      id,
    ).toBe(true);
    const back = (r.phi ?? []).slice(20).map((p) => p.map((v) => v + 0.3 * v ** 3));
    expect(maxApart(back, r.theta.slice(20)), id).toBeLessThan(1e-9);
  }
  await phiPlot.screenshot({ path: 'test-results/screenshots/phi-switch.png' });
  await expect(page.getByRole('list', { name: 'What the switch did' })).toContainText(
    'Gradient descent, θ→φ at step 20: no state to transport',
  );
  await page.screenshot({ path: 'test-results/screenshots/switch.png' });
  await page.getByRole('list', { name: 'What the switch did' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/switch-panel.png' });
  expect(errors).toEqual([]);
});
