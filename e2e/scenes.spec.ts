import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { scenes } from '../src/state/scenes';
import { effectiveRank } from '../src/engine/problems/matrix-completion-report';
import { fastest, labState, lossGap, openLab, plainLink, waitForReset, waitForSteps } from './lab';

// Independent tests: the two workers share this file's tests (playwright.config.ts).
test.describe.configure({ mode: 'parallel' });

type State = Awaited<ReturnType<typeof labState>>;
type Defects = State['defects'];
const defect = (d: Defects, i: number): number => d.find((x) => x.optimizer === i)?.parameter ?? NaN;

/** What each scene's caption claims, checked on the measured defects once it has run. */
const claims: Record<string, (d: Defects, s: State) => void> = {
  'inductive-bias-lost': (_d, s) => {
    const lastError = (id: string): number => s.reports?.[id]?.error.at(-1) ?? NaN;
    expect(lastError('gd-0-theta')).toBeLessThan(0.2); // test accuracy > 0.8
    expect(lastError('ngd-1-theta')).toBeGreaterThan(0.25); // test accuracy < 0.75
  },
  'naturality-square': (d) => expect(defect(d, 1)).toBeLessThan(defect(d, 0) / 5),
  'what-each-optimizer-forgives': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1); // gd
    expect(defect(d, 1)).toBeGreaterThan(0.1); // adam
    expect(defect(d, 2)).toBeLessThan(1e-4); // diagonal Fisher
    expect(defect(d, 3)).toBeLessThan(1e-4); // natural gradient
  },
  'order-of-naturality': (d) => {
    expect(defect(d, 1)).toBeLessThan(defect(d, 0) / 5);
    expect(defect(d, 2)).toBeLessThan(defect(d, 1) / 2);
  },
  'newton-affine-only': (d) => expect(defect(d, 0)).toBeGreaterThan(10 * defect(d, 1)),
  'damping-vs-trust-region': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1);
    expect(defect(d, 1)).toBeLessThan(1e-4);
  },
  'every-rule-is-ngd': (_d, s) => {
    // GD is κ* = 1 at every step (judged up to float32 round-off) and never marked uphill.
    const gd = s.metrics['gd-0-theta']?.kappa ?? [];
    expect(gd.length).toBe(80);
    expect(gd.every((k) => k !== null && Math.abs(k - 1) < 1e-6)).toBe(true);
    // Momentum overshoots across the valley: some steps go uphill beyond round-off.
    expect((s.metrics['momentum-2-theta']?.kappa ?? []).some((k) => k === null)).toBe(true);
  },
  'low-rank-lost': (_d, s) => {
    // Every run fits the seen entries; GD's W ends nearer rank 1 than NGD's and fills in the rest.
    expect(s.runs.every((r) => (r.loss.at(-1) ?? NaN) < 1e-4)).toBe(true);
    const rank = (id: string): number => effectiveRank(s.reports?.[id]?.spectrum ?? []);
    expect(rank('gd-0-theta')).toBeLessThan(1.2);
    expect(rank('ngd-2-theta')).toBeGreaterThan(rank('gd-0-theta') + 0.5);
    expect(s.reports?.['gd-0-theta']?.error.at(-1)).toBeLessThan(0.1);
    expect(s.reports?.['ngd-2-theta']?.error.at(-1)).toBeGreaterThan(0.3);
  },
  'digits-kfac-adam': (_d, s) => {
    // K-FAC's pair trains one network (loss gap at float32 round-off); Adam's pair two.
    expect(lossGap(s, 0)).toBeLessThan(1e-4);
    expect(lossGap(s, 1)).toBeGreaterThan(100 * lossGap(s, 0));
    expect(1 - (s.reports?.['kfac-0-theta']?.error.at(-1) ?? NaN)).toBeGreaterThan(0.5);
  },
  'how-much-fisher': (d) => {
    expect(defect(d, 3)).toBeLessThan(1e-4); // block-diagonal Fisher
    expect(defect(d, 4)).toBeLessThan(1e-4); // NGD with a Fisher trust region
    for (const i of [0, 1, 2]) expect(defect(d, i)).toBeGreaterThan(1e-2); // gd, diagonal, K-FAC
  },
  'kfac-layer-rescaling': (d) => {
    expect(defect(d, 0)).toBeGreaterThan(0.1); // gd
    expect(defect(d, 1)).toBeLessThan(1e-4); // kfac
  },
};

/** Median, as a reader would compute it from the κ* chart's data (descent steps only). */
function median(xs: number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length / 2;
  return v.length % 2 ? (v[Math.floor(m)] as number) : ((v[m - 1] as number) + (v[m] as number)) / 2;
}
const sig3 = (v: number): string => (v >= 1000 ? v.toExponential(2) : v.toPrecision(3));
const lossText = (v: number): string =>
  Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toPrecision(3);

/**
 * Every number filled into the caption equals what the panels show: D_K and its verdict
 * the defect table's cells, κ* statistics and uphill counts recomputed from the κ* chart's
 * data, losses, η, test accuracy and |w| shares from the run.
 */
async function checkCaptionNumbers(page: Page, s: State): Promise<number> {
  const result = page.locator('.scene-caption .scene-result[data-filled="true"]');
  await expect(result).toBeVisible();
  const parts = await result
    .locator('[data-measure]')
    .evaluateAll((els) =>
      els.map((e) => ({ key: e.getAttribute('data-measure') ?? '', text: e.textContent ?? '' })),
    );
  expect(parts.length).toBeGreaterThan(0);
  const experiment = s.experiment as { optimizers: { lr: number }[] };
  for (const { key, text } of parts) {
    const [kind, arg = ''] = key.split(/:(.*)/s) as [string, string?];
    const row = page.locator(`.defect-table tr[data-optimizer="${arg}"]`);
    const kappa = (s.metrics[arg]?.kappa ?? []).filter((k): k is number => k !== null);
    let want: string;
    if (kind === 'defect') want = (await row.locator('td[data-defect="parameter"]').textContent()) ?? '';
    else if (kind === 'verdict') want = (await row.locator('td[data-verdict]').textContent()) ?? '';
    else if (kind === 'kappa-median') want = sig3(median(kappa));
    else if (kind === 'kappa-max') want = sig3(Math.max(...kappa));
    else if (kind === 'uphill') want = String((s.metrics[arg]?.kappa ?? []).filter((k) => k === null).length);
    else if (kind === 'lr') want = String(experiment.optimizers[Number(arg)]?.lr);
    else if (kind === 'loss') want = lossText(s.runs.find((r) => r.id === arg)?.loss.at(-1) ?? NaN);
    else if (kind === 'loss-gap') want = lossGap(s, Number(arg)).toExponential(1);
    else if (kind === 'accuracy') want = (1 - (s.reports?.[arg]?.error.at(-1) ?? NaN)).toFixed(2);
    else if (kind === 'top-share') {
      const sp = s.reports?.[arg]?.spectrum ?? [];
      const total = sp.reduce((t, v) => t + Math.abs(v), 0);
      want = `${Math.round((100 * Math.abs(sp[0] ?? NaN)) / total)}%`;
    } else if (kind === 'singular-values')
      want = (s.reports?.[arg]?.spectrum ?? [])
        .slice(0, 3)
        .map((v) => v.toFixed(2))
        .join(', ');
    else if (kind === 'effective-rank') {
      const sp = s.reports?.[arg]?.spectrum ?? [];
      const s1 = sp.reduce((t, v) => t + Math.abs(v), 0);
      want = ((s1 * s1) / sp.reduce((t, v) => t + v * v, 0)).toFixed(2);
    } else if (kind === 'unobserved-error') want = (s.reports?.[arg]?.error.at(-1) ?? NaN).toFixed(2);
    else throw new Error(`unknown caption number ${key}`);
    expect(text, key).toBe(want);
    expect(text, key).not.toBe('?');
  }
  return parts.length;
}

/** The Why? panel opens, shows KaTeX (no raw TeX in its text), passes axe, and closes. */
async function checkWhy(page: Page, sceneId: string, shot: string): Promise<void> {
  await page.getByRole('button', { name: 'Why?' }).click();
  const dialog = page.getByRole('dialog', { name: /^Why\?/ });
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('data-scene', sceneId);
  expect(await dialog.locator('.katex').count()).toBeGreaterThan(1);
  await page.waitForFunction(() =>
    [...document.fonts].some((f) => f.family.includes('KaTeX_Main') && f.status === 'loaded'),
  );
  const text = await dialog.evaluate((d) => (d as HTMLElement).innerText);
  expect(text).not.toMatch(/\\[a-zA-Z]+/); // no \frac, \theta … left unrendered
  expect(text).not.toMatch(/\$/); // no $…$ left
  expect(text).toMatch(/arXiv \d{4}\.\d{4,5}/);
  expect(text).toMatch(/docs\/theory\.md §\d/);
  const axe = await new AxeBuilder({ page }).include('.why-panel').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
  await page.screenshot({ path: shot });
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
}

/** Network slices: every run is visible on the slice (> 5 px) or named in the note as not shown. */
async function checkSliceNote(page: Page, s: State): Promise<void> {
  const theta = page.locator('figure[data-space="theta"]');
  const note = theta.locator('.slice-note');
  await expect(note).toContainText(/The plane of the runs’ two main directions holds \d+% of their movement/);
  const text = (await note.textContent()) ?? '';
  const lines = theta.locator('.trajectory path.line');
  await expect(lines).toHaveCount(s.runs.length);
  const spans = await lines.evaluateAll((ps) =>
    ps.map((p) => {
      const b = (p as SVGGraphicsElement).getBBox();
      return Math.max(b.width, b.height);
    }),
  );
  s.runs.forEach((r, i) => {
    const name = `${r.id.split('-')[0]} #${r.optimizer} in θ`;
    const listed = text.includes(`${name} (`) || new RegExp(`Too small to see[^.]*${name}`).test(text);
    expect(listed || (spans[i] ?? 0) > 5, `${name}: ${spans[i]} px, note: ${text}`).toBe(true);
  });
}

/** Keys 1–9 open scenes 1–9 (0 resets the zoom); a later scene is picked from the menu. */
async function pickScene(page: Page, index: number): Promise<void> {
  if (index >= 9) {
    await page.getByLabel('Scene', { exact: true }).selectOption(scenes[index]?.id ?? '');
    return;
  }
  await page.locator('body').focus();
  await page.keyboard.press(String(index + 1));
}

scenes.forEach((scene, index) => {
  test(`scene ${index + 1}: ${scene.title}`, async ({ page }, info) => {
    test.setTimeout(180_000);
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    await openLab(page, `?backend=wasm${plainLink()}`);
    await pickScene(page, index);
    await expect(page.locator(`.scene-caption[data-scene="${scene.id}"]`)).toBeVisible();
    await expect(page.getByLabel('Scene', { exact: true })).toHaveValue(scene.id);
    await fastest(page);
    // A view setting keeps the scene (its caption stays, not "modified").
    await expect(page.getByLabel('Scene', { exact: true })).toHaveValue(scene.id);
    await page.getByRole('button', { name: 'Play' }).click();
    const claim = claims[scene.id];
    await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
      timeout: 110_000,
    });
    const s = await labState(page);
    expect(s.runs.every((r) => r.status === 'ok' && r.loss.every(Number.isFinite))).toBe(true);
    claim?.(s.defects, s);
    expect(await checkCaptionNumbers(page, s)).toBeGreaterThanOrEqual(2);
    if (scene.id === 'network-landscape') await checkSliceNote(page, s);
    if (scene.id === 'naturality-square') {
      // One name for φ's second coordinate: caption, φ axis and φ start field all say log σ.
      await expect(page.locator('.scene-caption')).toContainText('(μ, log σ)');
      const phi = page.locator('figure[data-space="phi"]');
      await expect(phi.locator('text', { hasText: /^log σ$/ }).first()).toBeAttached();
      await expect(phi.getByLabel('φ₀ log σ', { exact: true })).toBeVisible();
    }
    if (scene.id === 'digits-kfac-adam') {
      // The digits views: an accuracy path, a confusion matrix and a strip row per run.
      const fig = page.locator('figure.digits');
      await fig.scrollIntoViewIfNeeded();
      await expect(fig.locator('[data-chart="accuracy"] path[data-run]')).toHaveCount(s.runs.length);
      await expect(fig.locator('[data-chart="confusion"] g[data-run]')).toHaveCount(s.runs.length);
      await expect(
        fig.locator('[data-chart="strip"] text.digit-right, [data-chart="strip"] text.digit-wrong'),
      ).toHaveCount(16 * s.runs.length);
      await page.screenshot({ path: `test-results/screenshots/scene-${index + 1}-digits-views.png` });
      // K-FAC's parameters part along directions the images barely see; its predictions do not
      // (D^fn compares softmax logits up to a common shift). Adam's predictions differ.
      const fn = async (i: number) =>
        Number(
          await page
            .locator(`.defect-table tr[data-optimizer="${i}"] td[data-defect="function"]`)
            .textContent(),
        );
      expect(await fn(0)).toBeLessThan(1e-2);
      expect(await fn(1)).toBeGreaterThan(1);
    }
    if (scene.id === 'inductive-bias-lost') {
      // One name for the weights: caption, map panel and chart all say w = u⊙u − v⊙v and |w|.
      await expect(page.locator('.scene-caption')).toContainText('w = u⊙u − v⊙v');
      await expect(page.getByTestId('model-parameterization')).toContainText('w = u⊙u − v⊙v');
      await expect(page.locator('figure.report')).toContainText('|w|');
    }
    await checkWhy(page, scene.id, `test-results/screenshots/why-${index + 1}-${scene.id}.png`);
    // KaTeX's CSS and fonts load under the preview's Content-Security-Policy.
    expect(refused).toEqual([]);
    await page.screenshot({ path: info.outputPath(`${scene.id}.png`) });
    await page.screenshot({ path: `test-results/screenshots/scene-${index + 1}-${scene.id}.png` });
  });
});

test('presentation mode, theme and shortcut help', async ({ page }) => {
  await openLab(page, `?backend=wasm${plainLink()}`);
  await pickScene(page, 0);
  await expect(page.locator('.scene-caption[data-scene="naturality-square"]')).toBeVisible();
  await page.keyboard.press('p');
  await expect(page.locator('.app.present')).toBeVisible();
  await expect(page.getByRole('group', { name: /optimizer 1/ })).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => window.reparamLab?.progress().step === 1);
  await page.keyboard.press(' ');
  await waitForSteps(page, 20);
  await page.keyboard.press(' ');
  await page.keyboard.press('r');
  await waitForReset(page);
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // The theme button is in the page's header: leave presentation mode, switch, come back.
  await page.keyboard.press('p');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html[data-theme="dark"]')).toHaveCount(1);
  // Shortcuts apply outside form controls: leave the theme button as a keyboard user would.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('p');
  await expect(page.locator('.app.present')).toBeVisible();
  await page.keyboard.press(' ');
  await waitForSteps(page, 30);
  await page.screenshot({ path: 'test-results/screenshots/presentation-dark.png' });
  await page.keyboard.press('p');
  await expect(page.locator('.app.present')).toHaveCount(0);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement !== null);
  await page.keyboard.press('f');
  await page.waitForFunction(() => document.fullscreenElement === null);
});
