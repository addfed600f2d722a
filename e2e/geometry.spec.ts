/**
 * The geometry overlay (docs/using-the-lab.md, "Geometry"): the drawn ellipses' axes against
 * the closed-form Fisher at their centres — Gaussian fit in θ = (μ, σ), F = diag(1/σ², 2/σ²),
 * and in φ = (μ, log σ), JᵀFJ = diag(1/σ², 2); the quadratic's constant F = Rᵀdiag(100, 1)R —
 * read through the automation handle, to 1e-3 relative; the toggles; the defaults per scene.
 */
import { expect, test, type Page } from '@playwright/test';
import type { DrawnEllipse } from '../src/state/geometry';
import { fastest, labState, link, openLab, plainLink } from './lab';

/** Semi-axes (major first) and directions of {δ: δᵀMδ = c} for a diagonal M = diag(a, b). */
function diagonalEllipse(a: number, b: number, c: number): { axes: number[]; dirs: number[][] } {
  return a <= b
    ? {
        axes: [Math.sqrt(c / a), Math.sqrt(c / b)],
        dirs: [
          [1, 0],
          [0, 1],
        ],
      }
    : {
        axes: [Math.sqrt(c / b), Math.sqrt(c / a)],
        dirs: [
          [0, 1],
          [1, 0],
        ],
      };
}

/** The same for a rotated M = Rᵀ diag(hi, lo) R, R the rotation by `deg` (stiff direction (cos, sin)). */
function rotatedEllipse(
  hi: number,
  lo: number,
  deg: number,
  c: number,
): { axes: number[]; dirs: number[][] } {
  const t = (deg * Math.PI) / 180;
  return {
    axes: [Math.sqrt(c / lo), Math.sqrt(c / hi)],
    dirs: [
      [-Math.sin(t), Math.cos(t)],
      [Math.cos(t), Math.sin(t)],
    ],
  };
}

function expectEllipse(e: DrawnEllipse, ref: { axes: number[]; dirs: number[][] }, what: string): void {
  for (const k of [0, 1]) {
    const rel = Math.abs((e.axes[k] as number) - (ref.axes[k] as number)) / (ref.axes[k] as number);
    expect(rel, `${what}: axis ${k} (${e.axes[k]} vs ${ref.axes[k]})`).toBeLessThan(1e-3);
  }
  // Directions only where the axes differ (a circle has every direction).
  if (Math.abs((ref.axes[0] as number) / (ref.axes[1] as number) - 1) > 1e-2) {
    for (const k of [0, 1]) {
      const d = e.directions[k] as number[];
      const r = ref.dirs[k] as number[];
      const cos = Math.abs((d[0] as number) * (r[0] as number) + (d[1] as number) * (r[1] as number));
      expect(1 - cos, `${what}: direction ${k}`).toBeLessThan(1e-3);
    }
  }
}

const toggles = (page: Page) => ({
  fisher: page.getByRole('checkbox', { name: 'Fisher ellipses' }),
  implied: page.getByRole('checkbox', { name: 'implied metric' }),
  arrows: page.getByRole('checkbox', { name: 'steepest descent' }),
});

async function playToEnd(page: Page): Promise<void> {
  // At the fastest speed (a view setting): the overlay is about the end state, not the pace.
  await fastest(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', null, {
    timeout: 60_000,
  });
}

/** Wait until the overlay has drawn grid ellipses in `spaces` and each run's step ellipses. */
async function waitForOverlay(page: Page, spaces: ('theta' | 'phi')[]): Promise<void> {
  await page.waitForFunction(
    (sp) => {
      const s = window.reparamLab?.state();
      if (!s) return false;
      return sp.every((k) => {
        const e = s.geometry[k].ellipses;
        return e.some((x) => x.kind === 'fisher-grid') && e.some((x) => x.kind === 'implied');
      });
    },
    spaces,
    { timeout: 30_000 },
  );
}

test('scene 1: the Fisher ellipses in θ and in φ are those of the closed-form F and JᵀFJ', async ({
  page,
}, info) => {
  await openLab(page, '?backend=wasm');
  await expect(page.locator('.scene-caption[data-scene="naturality-square"]')).toBeVisible();
  const t = toggles(page);
  for (const box of Object.values(t)) await expect(box).toBeChecked();
  await playToEnd(page);
  await waitForOverlay(page, ['theta', 'phi']);
  // Let the last answers land (one request in flight at a time).
  await page.waitForTimeout(500);
  const s = await labState(page);
  const theta = s.geometry.theta.ellipses.filter((e) => e.kind !== 'implied');
  const phi = s.geometry.phi.ellipses.filter((e) => e.kind !== 'implied');
  expect(theta.filter((e) => e.kind === 'fisher-grid')).toHaveLength(25);
  expect(phi.filter((e) => e.kind === 'fisher-grid').length).toBeGreaterThanOrEqual(20);
  expect(theta.filter((e) => e.kind === 'fisher-path').length).toBeGreaterThan(0);
  for (const e of theta) {
    const [mu, sigma] = e.center as [number, number];
    expectEllipse(
      e,
      diagonalEllipse(1 / sigma ** 2, 2 / sigma ** 2, e.level),
      `θ ${e.kind} at (${mu}, ${sigma})`,
    );
  }
  for (const e of phi) {
    const [mu, s2] = e.center as [number, number];
    const sigma = Math.exp(s2);
    expectEllipse(e, diagonalEllipse(1 / sigma ** 2, 2, e.level), `φ ${e.kind} at (${mu}, ${s2})`);
  }
  // The grid in φ is the θ grid carried by f⁻¹ at the same level c: centres (μ, log σ).
  const thetaGrid = theta.filter((e) => e.kind === 'fisher-grid');
  const phiGrid = phi.filter((e) => e.kind === 'fisher-grid');
  for (const p of phiGrid) {
    const match = thetaGrid.find(
      (q) =>
        Math.abs(Math.log(q.center[1] as number) - (p.center[1] as number)) < 1e-9 &&
        q.center[0] === p.center[0],
    );
    expect(match, `φ grid point ${p.center} has a θ grid point`).toBeDefined();
    expect(p.level).toBe(match?.level);
  }
  // Gradient descent's implied metric is a circle (κ* ≈ 1); natural gradient's is the roundest metric consistent with F⁻¹g.
  const gd = s.geometry.theta.ellipses.find((e) => e.kind === 'implied' && e.runId?.startsWith('gd-'));
  expect(gd?.kappa).toBeLessThan(1.01);
  expect((gd?.axes[0] as number) / (gd?.axes[1] as number)).toBeCloseTo(Math.sqrt(gd?.kappa as number), 3);
  // Two arrows per run and plot: −∇L and −F⁻¹∇L. For natural gradient in θ, −F⁻¹∇L ∝ −(σ² g₁, σ² g₂ / 2).
  expect(s.geometry.theta.arrows.filter((a) => a.kind === 'natural').length).toBeGreaterThanOrEqual(2);
  const pairs = s.geometry.theta.arrows.filter((a) => a.runId === s.geometry.theta.arrows[0]?.runId);
  const eu = pairs.find((a) => a.kind === 'euclidean');
  const na = pairs.find((a) => a.kind === 'natural');
  if (eu && na) {
    const sigma = eu.at[1] as number;
    const want = [(eu.direction[0] as number) * sigma ** 2, ((eu.direction[1] as number) * sigma ** 2) / 2];
    const n = Math.hypot(...want);
    expect(Math.abs((na.direction[0] as number) - (want[0] as number) / n)).toBeLessThan(1e-3);
    expect(Math.abs((na.direction[1] as number) - (want[1] as number) / n)).toBeLessThan(1e-3);
  }
  // What is drawn is what is reported: two paths (halo and stroke) per grid ellipse.
  const thetaFig = page.locator('figure[data-space="theta"]');
  await expect(thetaFig.locator('.geometry .fisher-grid path')).toHaveCount(50);
  await page.screenshot({ path: info.outputPath('geometry-scene1.png') });
  await page.screenshot({ path: 'test-results/screenshots/geometry-scene1.png' });
});

test('every rule is natural gradient: the quadratic’s Fisher ellipses and the implied metrics', async ({
  page,
}, info) => {
  await openLab(page, '?backend=wasm');
  await page.getByLabel('Scene', { exact: true }).selectOption('every-rule-is-ngd');
  await expect(page.locator('.scene-caption[data-scene="every-rule-is-ngd"]')).toBeVisible();
  for (const box of Object.values(toggles(page))) await expect(box).toBeChecked();
  await playToEnd(page);
  await waitForOverlay(page, ['theta']);
  await page.waitForTimeout(500);
  const s = await labState(page);
  const fishers = s.geometry.theta.ellipses.filter((e) => e.kind !== 'implied');
  expect(fishers.length).toBeGreaterThan(25);
  for (const e of fishers)
    expectEllipse(e, rotatedEllipse(100, 1, 30, e.level), `θ ${e.kind} at ${e.center}`);
  // No φ plot (identity map): nothing drawn there.
  expect(s.geometry.phi.ellipses).toHaveLength(0);
  // Each implied ellipse's axis ratio² is its κ*, and it explains its step: M u ∥ g is checked in the engine tests.
  for (const e of s.geometry.theta.ellipses.filter((x) => x.kind === 'implied')) {
    expect((e.axes[0] / e.axes[1]) ** 2 / (e.kappa as number)).toBeCloseTo(1, 3);
  }
  await page.screenshot({ path: info.outputPath('geometry-every-rule.png') });
  await page.screenshot({ path: 'test-results/screenshots/geometry-every-rule.png' });
});

test('the toggles turn each overlay on and off; off by default outside the scenes that teach them', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${plainLink()}`);
  const t = toggles(page);
  for (const box of Object.values(t)) await expect(box).not.toBeChecked();
  await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Step' }).click();
  const theta = page.locator('figure[data-space="theta"] .geometry');
  await expect(theta.locator('path')).toHaveCount(0);
  expect((await labState(page)).geometry.theta.ellipses).toHaveLength(0);

  await t.fisher.click();
  await expect(t.fisher).toBeChecked();
  await expect
    .poll(
      async () =>
        (await labState(page)).geometry.theta.ellipses.filter((e) => e.kind === 'fisher-grid').length,
    )
    .toBe(25);
  await expect(theta.locator('.fisher-grid path')).toHaveCount(50);
  await expect(theta.locator('.descent-arrow')).toHaveCount(0);
  await t.arrows.click();
  await expect(t.arrows).toBeChecked();
  await expect.poll(async () => (await labState(page)).geometry.theta.arrows.length).toBeGreaterThan(0);
  await expect.poll(() => theta.locator('.descent-arrow').count()).toBeGreaterThan(0);
  await t.implied.click();
  await expect(t.implied).toBeChecked();
  await expect
    .poll(
      async () => (await labState(page)).geometry.theta.ellipses.filter((e) => e.kind === 'implied').length,
    )
    .toBeGreaterThan(0);
  await t.fisher.click();
  await expect(t.fisher).not.toBeChecked();
  await expect(theta.locator('.fisher-grid')).toHaveCount(0);
  await expect
    .poll(
      async () =>
        (await labState(page)).geometry.theta.ellipses.filter(
          (e) => e.kind.startsWith('fisher-') && e.kind !== 'fisher-step',
        ).length,
    )
    .toBe(0);
  await t.arrows.click();
  await expect(t.arrows).not.toBeChecked();
  await t.implied.click();
  await expect(t.implied).not.toBeChecked();
  await expect(theta.locator('path')).toHaveCount(0);
  await expect.poll(async () => (await labState(page)).geometry.theta.arrows.length).toBe(0);
  // A scene that does not teach them opens with them off.
  await page.getByLabel('Scene', { exact: true }).selectOption('what-each-optimizer-forgives');
  await expect(page.locator('.scene-caption[data-scene="what-each-optimizer-forgives"]')).toBeVisible();
  for (const box of Object.values(t)) await expect(box).not.toBeChecked();
});

test('where the map leaves its domain the φ grid skips the points, says so, and nothing fails', async ({
  page,
}) => {
  // θ₁ = e^{φ₁} > 0: the left part of the quadratic's θ window has no preimage in φ.
  const experiment = {
    version: 1,
    problem: { id: 'quadratic', cond: 100, angle: 30 },
    reparam: { id: 'exp', coords: [0] },
    optimizers: [{ id: 'gd', lr: 0.005 }],
    init: [1, 1],
    steps: 10,
    view: { geometry: { fisher: true } },
  };
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm${link(experiment)}`);
  await page.getByRole('button', { name: 'Step' }).click();
  await page.waitForFunction(() => {
    const g = window.reparamLab?.state().geometry;
    return !!g && g.theta.ellipses.some((e) => e.kind === 'fisher-grid') && g.phi.notes.length > 0;
  });
  const s = await labState(page);
  expect(s.geometry.theta.ellipses.filter((e) => e.kind === 'fisher-grid')).toHaveLength(25);
  const drawnPhi = s.geometry.phi.ellipses.filter((e) => e.kind === 'fisher-grid').length;
  expect(drawnPhi).toBeGreaterThan(0);
  expect(drawnPhi + s.geometry.phi.notes.filter((n) => n.startsWith('grid point')).length).toBe(25);
  for (const n of s.geometry.phi.notes) expect(n).toMatch(/image of the map|domain/);
  await expect(page.getByText(/points? not drawn/)).toBeVisible();
  expect(errors).toEqual([]);
  expect(s.runs.every((r) => r.status === 'ok')).toBe(true);
});

test('a network’s slice: the overlay draws UᵀFU’s ellipses, the implied metrics and the arrows in the plane', async ({
  page,
}, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The 'network-landscape' scene (2-16-16-1 mlp on the spiral, P = 337), with the overlay turned on.
  await openLab(page, '?backend=wasm');
  await page.getByLabel('Scene', { exact: true }).selectOption('network-landscape');
  await expect(page.locator('.scene-caption[data-scene="network-landscape"]')).toBeVisible();
  const t = toggles(page);
  for (const box of Object.values(t)) {
    await expect(box).not.toBeChecked();
    await box.click();
    await expect(box).toBeChecked();
  }
  await playToEnd(page);
  // Refitted to the runs' principal directions when they finish: the answers are for that plane.
  await expect(page.locator('.slice-note')).toContainText('two main directions');
  // The answers for the principal plane: its window reaches far beyond the random slice's [−1, 1]².
  await page.waitForFunction(
    () => {
      const g = window.reparamLab?.state().geometry.theta;
      const grid = g?.ellipses.filter((e) => e.kind === 'fisher-grid') ?? [];
      return (
        grid.length === 25 &&
        grid.some((e) => Math.abs(e.center[0] as number) > 2) &&
        g?.ellipses.some((e) => e.kind === 'implied') &&
        g?.arrows.length === 4
      );
    },
    null,
    { timeout: 60_000 },
  );
  const s = await labState(page);
  const grid = s.geometry.theta.ellipses.filter((e) => e.kind === 'fisher-grid');
  expect(grid).toHaveLength(25);
  for (const e of grid) {
    expect(e.axes.every((a) => Number.isFinite(a) && a > 0)).toBe(true);
    // Drawn from UᵀFU at the point: its eigenvalues give the axes at the reported level.
    const [[a, b], [, d]] = e.metric as [[number, number], [number, number]];
    const hi = (a + d) / 2 + Math.hypot((a - d) / 2, b);
    expect(Math.abs(e.axes[1] - Math.sqrt(e.level / hi)) / e.axes[1]).toBeLessThan(1e-9);
  }
  expect(s.geometry.theta.ellipses.filter((e) => e.kind === 'fisher-path').length).toBeGreaterThan(0);
  // Gradient descent's step projects onto the plane along the projected gradient: κ* = 1 there too.
  const gd = s.geometry.theta.ellipses.find((e) => e.kind === 'implied' && e.runId?.startsWith('gd-'));
  expect(gd?.kappa).toBeLessThan(1.01);
  const adam = s.geometry.theta.ellipses.find((e) => e.kind === 'implied' && e.runId?.startsWith('adam-'));
  expect(adam?.kappa).toBeGreaterThan(1);
  const thetaFig = page.locator('figure[data-space="theta"]');
  await expect(thetaFig.locator('.geometry .fisher-grid path')).toHaveCount(50);
  await expect(thetaFig.locator('.geometry-key')).toContainText('Fisher in the plane');
  await expect(page.locator('.geometry-slice-note')).toContainText('drawn at their projection');
  await expect(page.getByText(/not drawn: /)).toHaveCount(0);
  expect(errors).toEqual([]);
  await thetaFig.scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('geometry-slice.png') });
  await page.screenshot({ path: 'test-results/screenshots/geometry-slice.png' });
  await thetaFig.screenshot({ path: 'test-results/screenshots/geometry-slice-plot.png' });
});
