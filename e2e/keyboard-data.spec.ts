/**
 * Keyboard equivalents of the plots' mouse gestures, the decision regions'
 * legend, and loading a problem's data from a CSV file, driven as a person
 * would: roles, labels, keys and a file chooser. Asserts on `window.reparamLab`.
 */
import { expect, test, type Page } from '@playwright/test';
import { labState, link, openLab, tiny, waitForSteps } from './lab';

// Independent tests: the two workers share this file's tests (playwright.config.ts).
test.describe.configure({ mode: 'parallel' });

const fixture = (name: string): string => `e2e/fixtures/${name}`;
const xor = {
  version: 1,
  problem: { id: 'mlp', dataset: 'xor', hidden: [4], activation: 'tanh', n: 64 },
  optimizers: [{ id: 'gd', lr: 0.3 }],
  steps: 20,
};

type Exp = {
  init?: number[];
  view: { window?: [[number, number], [number, number]] };
  problem: { data?: unknown };
};
const exp = async (page: Page): Promise<Exp> => (await labState(page)).experiment as Exp;

/** Wait until the experiment's θ₀ is `init` (to 1e-9) and every run has restarted from it. */
async function waitForStart(page: Page, init: number[]): Promise<void> {
  await page.waitForFunction((want) => {
    const s = window.reparamLab?.progress();
    const got = (s?.experiment as { init?: number[] }).init;
    const close = (a: number[] | undefined): boolean =>
      !!a && a.length === want.length && a.every((v, i) => Math.abs(v - (want[i] ?? NaN)) < 1e-4);
    return !!s && close(got) && s.runs.length > 0 && s.runs.every((r) => close(r.start));
  }, init);
}

test('typing a start point restarts the runs from there; φ₀ is pushed through f; bad entries change nothing', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const a = page.getByLabel('θ₀ a', { exact: true });
  await expect(a).toHaveValue('0.4');
  await a.fill('0.7');
  await a.press('Enter');
  await waitForStart(page, [0.7, 0.6]);
  await expect(a).toBeFocused(); // the runs restarted; the field kept focus
  await expect(a).toHaveValue('0.7');
  // φ₀ on the φ plot: θ₀ = f(φ₀) = φ + 0.3 φ³ per coordinate, so φ(a) = 1 gives a = 1.3.
  const phiA = page.getByLabel('φ₀ φ(a)', { exact: true });
  await phiA.fill('1');
  await phiA.press('Enter');
  const s = await labState(page);
  const b = (s.experiment as Exp).init?.[1] ?? NaN;
  await waitForStart(page, [1.3, b]);
  expect(b).toBeCloseTo(0.6, 4); // φ(b) kept: b unchanged
  const phiRun = (await labState(page)).runs.find((r) => r.space === 'phi');
  expect(phiRun?.phi?.[0]?.[0]).toBeCloseTo(1, 4);
  // Not a number: the message names the field; the start stays.
  const bField = page.getByLabel('θ₀ b', { exact: true });
  await bField.fill('abc');
  await bField.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: "θ₀, b: 'abc' is not a number" })).toBeVisible();
  await expect(bField).toHaveValue('0.6');
  await expect(bField).toBeFocused();
  expect((await exp(page)).init?.[0]).toBeCloseTo(1.3, 6);
});

test('a start point outside the problem’s domain is refused and the previous start is kept', async ({
  page,
}) => {
  await openLab(
    page,
    `?backend=wasm${link({ ...tiny, problem: { id: 'gaussian-fit' }, reparam: { id: 'exp', coords: [1] } })}`,
  );
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForSteps(page, 2);
  const before = await labState(page);
  // An ASCII minus, so that the shown value can be edited and typed back.
  await expect(page.getByLabel('θ₀ μ', { exact: true })).toHaveValue('-1');
  const sigma = page.getByLabel('θ₀ σ', { exact: true });
  await sigma.fill('-1');
  await sigma.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: /σ must be positive/ })).toBeVisible();
  const after = await labState(page);
  expect(after.runs[0]?.theta[0]).toEqual(before.runs[0]?.theta[0]);
  expect(after.runs[0]?.theta.length).toBeGreaterThanOrEqual(2); // not restarted
  await expect(sigma).toHaveValue(String(before.runs[0]?.theta[0]?.[1]));
  await expect(sigma).toBeFocused(); // reset in place, focus kept for another try
});

test('arrow keys on the start marker move it, and it keeps focus while the runs restart', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  const marker = page.getByRole('button', { name: /^Start point θ₀/ });
  await expect(marker).toHaveAccessibleName(/^Start point θ₀: a = 0\.4, b = 0\.6\./);
  await marker.focus();
  // Tiny-net's window is [-2, 2.5] × [-1.5, 3.5]: one press moves 2% of it (0.09 in a, 0.1 in b).
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
  await waitForStart(page, [0.4 + 2 * 0.09, 0.6 + 0.1]);
  // → inside the marker moved the point, it did not step the runs.
  expect((await labState(page)).step).toBe(0);
  await expect(marker).toBeFocused();
  await expect(marker).toHaveAccessibleName(/a = 0\.58, b = 0\.7\b/);
  // Shift: a larger step (10%), left.
  await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press('Enter');
  await waitForStart(page, [0.58 - 0.45, 0.7]);
  // The φ plot's marker moves φ₀; the runs restart from θ₀ = f(φ₀).
  const phiMarker = page.getByRole('button', { name: /^Start point φ₀/ });
  const phi0 = (await labState(page)).runs.find((r) => r.space === 'phi')?.phi?.[0] ?? [];
  // As a person would, wait until the φ marker shows the restarted runs' φ₀ (its name carries
  // the point to 4 digits) before moving it: under load the φ plot redraws a frame later.
  const g4 = (v: number | undefined): string =>
    String(Number((v ?? NaN).toPrecision(4)))
      .replace('-', '−')
      .replace('.', '\\.');
  await expect(phiMarker).toHaveAccessibleName(
    new RegExp(`: \\S+ = ${g4(phi0[0])}, \\S+ = ${g4(phi0[1])}\\.`),
  );
  await phiMarker.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction((p) => {
    const r = window.reparamLab?.state().runs.find((x) => x.space === 'phi');
    return !!r?.phi?.[0] && Math.abs((r.phi[0][1] ?? 0) - (p[1] ?? 0)) > 1e-3;
  }, phi0);
  const moved = (await labState(page)).runs.find((r) => r.space === 'phi')?.phi?.[0] ?? [];
  expect(moved[0]).toBeCloseTo(phi0[0] ?? NaN, 4);
  expect(moved[1]).toBeLessThan(phi0[1] ?? NaN);
});

test('keyboard zoom and pan change the view window like the wheel does, and the runs keep going', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link({ ...tiny, steps: 3000 })}`);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 5);
  const view = page.getByRole('group', { name: 'Zoom and pan the view' });
  const zoomIn = view.getByRole('button', { name: 'Zoom in' });
  await zoomIn.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => (window.reparamLab?.progress().experiment as Exp).view.window !== undefined,
  );
  const w1 = (await exp(page)).view.window as [[number, number], [number, number]];
  // The default window [-2, 2.5] × [-1.5, 3.5] zoomed 1.5× about its centre (0.25, 1).
  expect(w1[0][0]).toBeCloseTo(0.25 - 1.5, 6);
  expect(w1[0][1]).toBeCloseTo(0.25 + 1.5, 6);
  expect(w1[1][1] - w1[1][0]).toBeCloseTo(5 / 1.5, 6);
  const s1 = await labState(page);
  // Pan left by 20% of the width, with the keyboard.
  // (Enter presses a focused button; Space is play/pause wherever the focus is.)
  await view.getByRole('button', { name: 'Pan left' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    (x0) => ((window.reparamLab?.progress().experiment as Exp).view.window?.[0][0] ?? 0) < x0 - 0.1,
    w1[0][0],
  );
  const w2 = (await exp(page)).view.window as [[number, number], [number, number]];
  expect(w2[0][0]).toBeCloseTo(w1[0][0] - 0.6, 6);
  expect(w2[1]).toEqual(w1[1]);
  // The page-wide "−" key zooms out (outside a form field and buttons).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('-');
  await page.waitForFunction((width) => {
    const w = (window.reparamLab?.progress().experiment as Exp).view.window;
    return !!w && w[0][1] - w[0][0] > width + 0.1;
  }, w2[0][1] - w2[0][0]);
  const w3 = (await exp(page)).view.window as [[number, number], [number, number]];
  expect(w3[0][1] - w3[0][0]).toBeCloseTo(1.5 * (w2[0][1] - w2[0][0]), 6);
  // View-only: the runs went on from where they were (same start, more points), never restarted.
  await page.waitForFunction((n) => (window.reparamLab?.progress().step ?? 0) > n + 10, s1.step);
  const s2 = await labState(page);
  expect(s2.runs[0]?.theta[0]).toEqual(s1.runs[0]?.theta[0]);
  expect(s2.runs[0]?.theta.length).toBeGreaterThan((s1.runs[0]?.theta.length ?? 0) + 10);
  // The θ plot's axes show the new window.
  await expect(page.locator('figure[data-space="theta"] .base')).toHaveAttribute('data-window', String(w3));
  await view.getByRole('button', { name: 'Default view' }).click();
  await page.waitForFunction(
    () => (window.reparamLab?.progress().experiment as Exp).view.window === undefined,
  );
  await page.getByRole('button', { name: 'Pause' }).click();
});

test('loading a CSV sets the problem data and restarts the runs; "use generated data" goes back', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(tiny)}`);
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForSteps(page, 2);
  const before = await labState(page);
  const file = page.getByLabel('Load data (CSV)');
  await expect(page.getByText('Data: generated from the seed')).toBeVisible();
  await file.setInputFiles(fixture('regression-good.csv'));
  await expect(
    page.getByRole('status').filter({ hasText: 'Loaded 24 points from regression-good.csv' }),
  ).toBeVisible();
  await page.waitForFunction(
    () =>
      ((window.reparamLab?.progress().experiment as Exp).problem.data as { x?: number[] } | undefined)?.x
        ?.length === 24,
  );
  await waitForSteps(page, 1);
  const after = await labState(page);
  const data = (after.experiment as Exp).problem.data as { x: number[]; y: number[] };
  expect(data.x[0]).toBe(-3);
  expect(data.y[0]).toBe(-1.4755);
  // Restarted (step 0, same start) on other data: the loss at the start point differs.
  expect(after.step).toBe(0);
  expect(after.runs[0]?.theta[0]).toEqual(before.runs[0]?.theta[0]);
  expect(Math.abs((after.runs[0]?.loss[0] ?? 0) - (before.runs[0]?.loss[0] ?? 0))).toBeGreaterThan(1e-3);
  await expect(page.getByText('Data: 24 points from a file')).toBeVisible();
  // The link carries the data.
  await page.waitForFunction(() => window.location.hash.length > 200);
  await page.getByRole('button', { name: 'Use generated data' }).click();
  await page.waitForFunction(
    () => (window.reparamLab?.progress().experiment as Exp).problem.data === undefined,
  );
  await waitForSteps(page, 1);
  expect((await labState(page)).runs[0]?.loss[0]).toBeCloseTo(before.runs[0]?.loss[0] ?? NaN, 6);
});

test('a bad CSV shows a message naming the row and the previous experiment keeps running', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link({ ...tiny, steps: 3000 })}`);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 5);
  const s0 = await labState(page);
  await page.getByLabel('Load data (CSV)').setInputFiles(fixture('regression-bad.csv'));
  await expect(page.getByRole('alert')).toContainText("regression-bad.csv, row 4: 'abc' is not a number (y)");
  // Nothing changed and nothing restarted: the runs go on from their start.
  await page.waitForFunction((n) => (window.reparamLab?.progress().step ?? 0) > n + 10, s0.step);
  const s1 = await labState(page);
  expect((s1.experiment as Exp).problem.data).toBeUndefined();
  expect(s1.runs[0]?.theta[0]).toEqual(s0.runs[0]?.theta[0]);
  expect(s1.runs[0]?.theta.length).toBeGreaterThan(s0.runs[0]?.theta.length ?? 0);
  await page.getByRole('button', { name: 'Pause' }).click();
});

test('the decision regions have a legend with one entry per class, also for loaded 3-class data', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(xor)}`);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  const figure = page.locator('figure.decision');
  const classes = figure.getByRole('list', { name: 'Classes' }).getByRole('listitem');
  await expect(classes).toHaveText(['class 0', 'class 1']);
  await expect(figure.getByRole('img', { name: /predicted probability of class 1/ })).toBeVisible();
  // Three classes from a file: three entries; the shading is the argmax class.
  await page.getByLabel('Load data (CSV)').setInputFiles(fixture('classes-3.csv'));
  await page.waitForFunction(
    () =>
      ((window.reparamLab?.progress().experiment as Exp).problem.data as { labels?: number[] } | undefined)
        ?.labels?.length === 60,
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  await expect(classes).toHaveText(['class 0', 'class 1', 'class 2']);
  await expect(figure).toContainText('predicted class (argmax)');
  // Each class swatch's dot has its own colour.
  const dots = await figure
    .locator('.class-dot')
    .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
  expect(new Set(dots).size).toBe(3);
});

test('data too large for a link still loads and runs, and the page says the link cannot carry it', async ({
  page,
}) => {
  await openLab(page, `?backend=wasm${link(xor)}`);
  // 4,000 points of two interleaved spirals: about 90 KB of JSON, over a link's 64 KB.
  const rows = ['x1,x2,label'];
  for (let i = 0; i < 4000; i++) {
    const t = (i % 2000) / 200;
    const sign = i < 2000 ? 1 : -1;
    rows.push(
      `${(sign * t * Math.cos(t)).toFixed(4)},${(sign * t * Math.sin(t)).toFixed(4)},${i < 2000 ? 0 : 1}`,
    );
  }
  await page.getByLabel('Load data (CSV)').setInputFiles({
    name: 'spirals-4000.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(rows.join('\n')),
  });
  await expect(
    page.getByRole('status').filter({ hasText: 'Loaded 4000 points from spirals-4000.csv' }),
  ).toContainText(/too large for a shared link \(\d+ KB; a link carries at most 64 KB\)/);
  await page.getByRole('button', { name: 'Step' }).click();
  await waitForSteps(page, 2);
  expect(((await exp(page)).problem.data as { labels: number[] }).labels).toHaveLength(4000);
  // Reloading: the too-large link is refused with its reason, and the saved experiment (the same) opens.
  await page.waitForFunction(() => window.location.hash.length > 20000);
  await page.reload();
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  await expect(page.getByText(/This link is too large to open/)).toBeVisible();
  // The codec's reason, behind the message's "details" toggle.
  await expect(page.locator('.message-detail code').filter({ hasText: /The link is too large/ })).toHaveCount(
    1,
  );
  await expect(page.getByText('Opened your last experiment instead.')).toBeVisible();
  await page.waitForFunction(
    () =>
      (
        (window.reparamLab?.progress().experiment as Exp | null)?.problem.data as
          { labels?: number[] } | undefined
      )?.labels?.length === 4000,
  );
});

for (const theme of ['light', 'dark'] as const) {
  test(`screenshots of the new controls and the legend (${theme})`, async ({ page }) => {
    await page.addInitScript((t) => window.localStorage.setItem('reparam-lab:theme', t), theme);
    // On cpu: the second openLab below (wasm) must differ in more than its #e= to load the page again.
    await openLab(page, `?backend=cpu${link(tiny)}`);
    await page.getByLabel('Load data (CSV)').setInputFiles(fixture('regression-good.csv'));
    await expect(page.getByText('Data: 24 points from a file')).toBeVisible();
    await page.getByRole('button', { name: 'Step' }).click();
    await waitForSteps(page, 2);
    // Tab from the plot's last caption button reaches the start marker (focus ring shown).
    await page.getByRole('button', { name: 'Download landscape-theta as PNG' }).focus();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: /^Start point θ₀/ })).toBeFocused();
    await page.screenshot({ path: `test-results/h3/controls-${theme}.png` });
    await page
      .locator('figure[data-space="theta"]')
      .screenshot({ path: `test-results/h3/theta-tools-${theme}.png` });
    await page.locator('.problem-panel').screenshot({ path: `test-results/h3/data-loader-${theme}.png` });
    await openLab(page, `?backend=wasm${link(xor)}`);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
    const figure = page.locator('figure.decision');
    await figure.scrollIntoViewIfNeeded();
    await figure.screenshot({ path: `test-results/h3/decision-legend-${theme}.png` });
    await page.getByLabel('Load data (CSV)').setInputFiles(fixture('classes-3.csv'));
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
    await expect(figure.locator('.class-entry')).toHaveCount(3);
    await figure.screenshot({ path: `test-results/h3/decision-legend-3-${theme}.png` });
  });
}
