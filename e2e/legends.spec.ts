/**
 * Every plot names its runs in its own SVG: the landscape's and the step charts' run
 * legends (run-legend.ts) carry each optimizer's label and colour and the line-style key,
 * and the exported SVG keeps them.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { scenes } from '../src/state/scenes';
import { optimizerLabel } from '../src/ui/panels/optimizer-label';
import { optimizerColor } from '../src/ui/plots/colors';
import type { Experiment } from '../src/engine/schema';
import { fastest, labState, link, openLab, setSwitchStep, tiny } from './lab';

const scene = scenes[0] as (typeof scenes)[number];
const experiment = scene.experiment as Experiment;

interface LegendRow {
  optimizer: string | null;
  style: string | null;
  text: string;
  stroke: string | null;
  dash: string | null;
}

/** The rows of the run legend inside `svg` (a CSS selector). */
function legendRows(page: Page, svg: string): Promise<LegendRow[]> {
  return page.locator(svg).evaluate((el) =>
    [...el.querySelectorAll('.run-legend > g')].map((g) => ({
      optimizer: g.getAttribute('data-optimizer'),
      style: g.getAttribute('data-style'),
      text: g.querySelector('text')?.textContent ?? '',
      stroke: g.querySelector('.swatch')?.getAttribute('stroke') ?? null,
      dash: g.querySelector('.swatch')?.getAttribute('stroke-dasharray') ?? null,
    })),
  );
}

/**
 * In SVG user units: the legend's box, the plot area (the landscape's clip rectangle), and
 * whether the box lies inside it.
 */
function placementOf(page: Page, svg: string) {
  return page.locator(svg).evaluate((el) => {
    const g = el.querySelector('.run-legend') as SVGGElement;
    const bg = g.querySelector('.run-legend-bg') as SVGRectElement;
    const [, tx, ty] = /translate\(([-\d.]+),([-\d.]+)\)/.exec(g.getAttribute('transform') ?? '') ?? [];
    const box = {
      left: Number(tx),
      top: Number(ty),
      right: Number(tx) + Number(bg.getAttribute('width')),
      bottom: Number(ty) + Number(bg.getAttribute('height')),
    };
    const c = el.querySelector('clipPath rect') as SVGRectElement;
    const area = {
      left: Number(c.getAttribute('x')),
      top: Number(c.getAttribute('y')),
      right: Number(c.getAttribute('x')) + Number(c.getAttribute('width')),
      bottom: Number(c.getAttribute('y')) + Number(c.getAttribute('height')),
    };
    let covered = 0;
    let total = 0;
    for (const path of el.querySelectorAll<SVGPathElement>('.trajectory path.line')) {
      const n = path.getTotalLength();
      for (let k = 0; k <= 50; k++) {
        const p = path.getPointAtLength((n * k) / 50);
        total++;
        if (p.x >= box.left && p.x <= box.right && p.y >= box.top && p.y <= box.bottom) covered++;
      }
    }
    const inside =
      box.left >= area.left && box.right <= area.right && box.top >= area.top && box.bottom <= area.bottom;
    return { inside, covered, total, box, area };
  });
}

/** How far (px) the widest legend label reaches past the legend's box (≤ 0: it fits). */
function textOverflow(page: Page, svg: string): Promise<number> {
  return page.locator(svg).evaluate((el) => {
    const g = el.querySelector('.run-legend') as SVGGElement;
    const width = Number(g.querySelector('.run-legend-bg')?.getAttribute('width'));
    const texts = [...g.querySelectorAll<SVGTextElement>('text')];
    return Math.max(...texts.map((t) => t.getBBox().x + t.getBBox().width - width));
  });
}

async function playScene1(page: Page): Promise<void> {
  await openLab(page, '?backend=wasm');
  await page.locator('body').focus();
  await page.keyboard.press('1');
  await expect(page.locator(`.scene-caption[data-scene="${scene.id}"]`)).toBeVisible();
  await fastest(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 110_000,
  });
}

test('scene 1: the θ landscape, φ landscape and loss chart name every run in their SVG', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await playScene1(page);
  const s = await labState(page);
  const theta = 'figure[data-space="theta"] svg';
  const rows = await legendRows(page, theta);
  const optimizers = [...new Set(s.runs.map((r) => r.optimizer))];
  expect(optimizers).toEqual([0, 1]);
  for (const i of optimizers) {
    const row = rows.find((r) => r.optimizer === String(i));
    expect(row?.text).toBe(optimizerLabel(experiment, i));
    // The swatch is stroked in the colour of each of this optimizer's trajectories.
    for (const run of s.runs.filter((r) => r.optimizer === i)) {
      const line = await page
        .locator(`${theta} .trajectory[data-run="${run.id}"] path.line`)
        .getAttribute('stroke');
      expect(line).toBe(optimizerColor(experiment, i));
      expect(row?.stroke).toBe(line);
    }
  }
  // φ-runs exist, so the key says what solid and dashed mean; no switch run, so no dotted row.
  expect(s.runs.some((r) => r.space === 'phi')).toBe(true);
  const keys = rows.filter((r) => r.style !== null);
  expect(keys.map((k) => [k.style, k.text, k.dash])).toEqual([
    ['solid', 'θ-run', null],
    ['dashed', 'φ-run pushed into θ', '7 5'],
  ]);
  // The dash of the key is the dash of the φ-runs' trajectories.
  const phiRun = s.runs.find((r) => r.space === 'phi');
  expect(
    await page
      .locator(`${theta} .trajectory[data-run="${phiRun?.id}"] path.line`)
      .getAttribute('stroke-dasharray'),
  ).toBe('7 5');

  // The φ plot: φ-runs are drawn solid in their own coordinates; one style, so no key.
  const phiRows = await legendRows(page, 'figure[data-space="phi"] svg');
  expect(phiRows.map((r) => r.text)).toEqual([optimizerLabel(experiment, 0), optimizerLabel(experiment, 1)]);

  // The loss chart: the same names and colours, and the solid/dashed key.
  const lossRows = await legendRows(page, 'figure.loss svg');
  expect(lossRows.filter((r) => r.optimizer !== null).map((r) => [r.text, r.stroke])).toEqual(
    optimizers.map((i) => [optimizerLabel(experiment, i), optimizerColor(experiment, i)]),
  );
  expect(lossRows.filter((r) => r.style).map((r) => r.style)).toEqual(['solid', 'dashed']);

  // The legend stays inside the plot area and covers few of the trajectories' points.
  const placement = await placementOf(page, theta);
  expect(placement.inside).toBe(true);
  expect(placement.covered / placement.total).toBeLessThan(0.1);
  await page.screenshot({ path: test.info().outputPath('legend-1280.png') });

  // The exported SVG carries the legend.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download landscape-theta as SVG' }).click(),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  const exported = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return [...doc.querySelectorAll('.run-legend text')].map((n) => n.textContent);
  }, text);
  expect(exported).toEqual([
    optimizerLabel(experiment, 0),
    optimizerLabel(experiment, 1),
    'θ-run',
    'φ-run pushed into θ',
  ]);
});

test('on a phone and in the dark theme the legend stays inside the plot', async ({ page }) => {
  test.setTimeout(180_000);
  await page.addInitScript(() => window.localStorage.setItem('reparam-lab:theme', 'dark'));
  await page.setViewportSize({ width: 390, height: 844 });
  await playScene1(page);
  const theta = page.locator('figure[data-space="theta"] svg');
  await theta.scrollIntoViewIfNeeded();
  expect((await placementOf(page, 'figure[data-space="theta"] svg')).inside).toBe(true);
  expect(await textOverflow(page, 'figure[data-space="theta"] svg')).toBeLessThanOrEqual(0);
  const box = await theta.evaluate((svg) => {
    const text = svg.querySelector('.run-legend text') as SVGTextElement;
    return {
      font: Number(getComputedStyle(text).fontSize.replace('px', '')),
      fill: getComputedStyle(text).fill,
    };
  });
  expect(box.font).toBeGreaterThanOrEqual(9);
  // Dark theme: light text (the light theme's attribute is #1a1d24).
  expect(box.fill).not.toBe('rgb(26, 29, 36)');
  for (const fig of [
    'figure[data-space="theta"]',
    'figure[data-space="phi"]',
    'figure.loss',
    'figure.metrics',
  ])
    await page
      .locator(fig)
      .screenshot({ path: test.info().outputPath(`legend-390-dark-${fig.replace(/\W+/g, '-')}.png`) });
});

test('sixteen optimizers: the legend wraps into columns and fits the plot', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const many = {
    version: 1,
    problem: { id: 'gaussian-fit' },
    reparam: { id: 'exp', coords: [1] },
    optimizers: Array.from({ length: 16 }, (_, i) => ({ id: i % 2 ? 'adam' : 'gd', lr: 0.01 + 0.005 * i })),
    steps: 10,
    init: [-1, 2],
    view: { grid: 32, stepsPerFrame: 5 },
  };
  await openLab(page, `?backend=wasm#e=${LZString.compressToEncodedURIComponent(JSON.stringify(many))}`);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 110_000,
  });
  const theta = page.locator('figure[data-space="theta"] svg');
  const rows = await legendRows(page, 'figure[data-space="theta"] svg');
  expect(rows.filter((r) => r.optimizer !== null)).toHaveLength(16);
  const fit = await theta.evaluate((svg) => {
    const items = [...svg.querySelectorAll('.run-legend > g')].map((g) => g.getBoundingClientRect());
    return {
      columns: new Set(items.map((r) => Math.round(r.left))).size,
      // No two rows overlap.
      overlaps: items.some((r, i) =>
        items.some(
          (q, j) => j > i && r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom,
        ),
      ),
    };
  });
  expect(fit.columns).toBeGreaterThan(1);
  expect((await placementOf(page, 'figure[data-space="theta"] svg')).inside).toBe(true);
  expect(await textOverflow(page, 'figure[data-space="theta"] svg')).toBeLessThanOrEqual(0);
  expect(fit.overlaps).toBe(false);
  await page.screenshot({ path: test.info().outputPath('legend-16.png') });
  await page.locator('figure.loss').screenshot({ path: test.info().outputPath('legend-16-loss.png') });
});

test('a switch run adds the dotted row to the θ, φ and loss legends', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await openLab(page, `?backend=wasm${link(tiny)}`);
  await setSwitchStep(page, 20);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done', undefined, {
    timeout: 110_000,
  });
  const s = await labState(page);
  const sw = s.runs.find((r) => r.space === 'switch');
  expect(sw).toBeDefined();
  const theta = 'figure[data-space="theta"] svg';
  const dotted = (await legendRows(page, theta)).find((r) => r.style === 'dotted');
  expect(dotted?.text).toBe('switch run θ→φ');
  // The key's dash is the switch trajectory's dash.
  expect(dotted?.dash).toBe(
    await page
      .locator(`${theta} .trajectory[data-run="${sw?.id}"] path.line`)
      .getAttribute('stroke-dasharray'),
  );
  // On φ the switch run is drawn from its switch step on, dotted; the φ-runs solid.
  const phiKeys = (await legendRows(page, 'figure[data-space="phi"] svg')).filter((r) => r.style);
  expect(phiKeys.map((r) => [r.style, r.text])).toEqual([
    ['solid', 'φ-run'],
    ['dotted', 'switch run θ→φ'],
  ]);
  const lossKeys = (await legendRows(page, 'figure.loss svg')).filter((r) => r.style);
  expect(lossKeys.map((r) => r.style)).toEqual(['solid', 'dashed', 'dotted']);
  expect(
    await page.locator(`figure.loss path.loss-line[data-run="${sw?.id}"]`).getAttribute('stroke-dasharray'),
  ).toBe(lossKeys[2]?.dash);
});
