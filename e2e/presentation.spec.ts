/**
 * Presentation mode on a projector's screen (1280×720 and 1920×1080), every scene: nothing
 * cut off or scrolled, type and lines at projector sizes, the scene's own secondary plot
 * and the key that cycles the others; entering and leaving keep the runs going; the
 * high-contrast palette is remembered; full screen says so when the browser refuses it.
 */
import { expect, test, type Page } from '@playwright/test';
import { scenes } from '../src/state/scenes';
import { presentScenes, secondaries } from '../src/ui/present-scenes';
import { labState, link, openLab, tiny, waitForSteps } from './lab';

// Independent tests: the two workers share this file's tests (playwright.config.ts).
test.describe.configure({ mode: 'parallel' });

const stage = (page: Page) => page.locator('.present-stage');

/** Open scene `i` from the bar's menu, play a few steps (the defect needs some), pause. */
async function openScene(page: Page, i: number): Promise<void> {
  const scene = scenes[i] as (typeof scenes)[number];
  const e = scene.experiment as { problem: { id: string }; optimizers: { id: string }[]; steps: number };
  const key = `${e.problem.id}|${e.optimizers.map((o) => o.id).join()}|${e.steps}`;
  await page.locator('.present-bar select').selectOption(scene.id);
  await expect(page.locator(`.present-caption[data-scene="${scene.id}"]`)).toBeVisible();
  await page.waitForFunction((want) => {
    const s = window.reparamLab?.progress();
    const x = s?.experiment as typeof e | null | undefined;
    const now = x ? `${x.problem.id}|${x.optimizers.map((o) => o.id).join()}|${x.steps}` : '';
    return now === want && (s?.runs.length ?? 0) > 0 && s?.playState !== 'idle';
  }, key);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  if ((await labState(page)).playState === 'paused')
    await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForSteps(page, 4);
  if ((await labState(page)).playState === 'playing')
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState !== 'playing');
  // The landscape's axes are drawn (after its size settled).
  await expect(page.locator('.present-stage .landscape .tick text').first()).toBeVisible();
}

interface Layout {
  scroll: { width: number; height: number };
  /** Visible things outside the viewport, outside their plot, or (SVG text) outside their SVG. */
  cut: string[];
  ticks: number[];
  axisTitles: number[];
  trajectories: { width: number; head: number }[];
  chartLines: number[];
  caption: { height: number; line: number };
  step: number;
  /** Per run legend: how far (px) its widest label reaches past the legend's box (≤ 0: it fits). */
  legendOverflow: number[];
}

/** Measure the page once every plot has been redrawn at its box's size (computed sizes and boxes). */
async function layout(page: Page): Promise<Layout> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.present-stage .plot-box')].every((box) => {
      const svg = box.querySelector(':scope > svg');
      const w = Number(svg?.getAttribute('width') ?? box.clientWidth);
      return box.clientWidth === 0 || Math.abs(w - box.clientWidth) <= 1;
    }),
  );
  return page.evaluate(() => {
    const vw = window.innerWidth;
    const vh = window.innerHeight;
    const de = document.documentElement;
    const px = (v: string): number => Number.parseFloat(v);
    const visible = (el: Element): DOMRect | null => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return null;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none') return null;
      return r;
    };
    const inside = (r: DOMRect, o: { left: number; top: number; right: number; bottom: number }): boolean =>
      r.left >= o.left - 1 && r.top >= o.top - 1 && r.right <= o.right + 1 && r.bottom <= o.bottom + 1;
    const name = (el: Element): string =>
      `${el.tagName.toLowerCase()}.${String(el.getAttribute('class') ?? '')} “${(el.textContent ?? '').trim().slice(0, 40)}”`;
    const cut: string[] = [];
    const view = { left: 0, top: 0, right: vw, bottom: vh };
    const selector =
      '.app.present :is(header, section, figure, figcaption, canvas, svg, text, button, select, input, output, p, h2, h3, th, td, label, progress, span)';
    for (const el of document.querySelectorAll(selector)) {
      if (el.closest('.hover-tip, .visually-hidden, title')) continue;
      const r = visible(el);
      if (!r) continue;
      if (!inside(r, view)) cut.push(`outside the window: ${name(el)}`);
      const plot = el.closest('.plot');
      if (plot && plot !== el && !inside(r, plot.getBoundingClientRect()))
        cut.push(`outside its plot: ${name(el)}`);
      const svg = el.tagName === 'text' ? el.closest('svg') : null;
      if (svg && !inside(r, svg.getBoundingClientRect())) cut.push(`outside its SVG: ${name(el)}`);
      // A button squeezed narrower than its label ("Play aga…").
      if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1)
        cut.push(`label clipped: ${name(el)}`);
    }
    const sizes = (sel: string): number[] =>
      [...document.querySelectorAll(sel)]
        .filter((e) => visible(e))
        .map((e) => px(getComputedStyle(e).fontSize));
    const trajectories = [...document.querySelectorAll('.present-stage .trajectory')]
      .filter((g) => (g.querySelector('.line')?.getAttribute('d') ?? '').length > 0)
      .map((g) => ({
        width: px(getComputedStyle(g.querySelector('.line') as Element).strokeWidth),
        head: px(getComputedStyle(g.querySelector('.head') as Element).getPropertyValue('r')),
      }));
    const chartLines = [
      ...document.querySelectorAll('.present-secondary .series path, .present-secondary .report-error-line'),
    ]
      .filter((e) => visible(e))
      .map((e) => px(getComputedStyle(e).strokeWidth));
    const p = document.querySelector('.present-caption p') as HTMLElement;
    return {
      scroll: { width: de.scrollWidth - vw, height: de.scrollHeight - vh },
      cut,
      ticks: sizes('.present-stage .tick text'),
      axisTitles: sizes('.present-stage .axis-label'),
      trajectories,
      chartLines,
      caption: { height: p.getBoundingClientRect().height, line: px(getComputedStyle(p).lineHeight) },
      step: px(getComputedStyle(document.querySelector('.present-step') as Element).fontSize),
      legendOverflow: [...document.querySelectorAll<SVGGElement>('.present-stage .run-legend')].map((g) => {
        const width = Number(g.querySelector('.run-legend-bg')?.getAttribute('width'));
        const texts = [...g.querySelectorAll<SVGTextElement>('text')];
        return Math.max(...texts.map((t) => t.getBBox().x + t.getBBox().width - width));
      }),
    };
  });
}

function expectProjectorGrade(l: Layout, where: string): void {
  expect(l.scroll, `${where}: no scrolling`).toEqual({ width: 0, height: 0 });
  expect(l.cut, `${where}: nothing cut off`).toEqual([]);
  expect(l.ticks.length, where).toBeGreaterThan(0);
  expect(Math.min(...l.ticks), `${where}: tick labels`).toBeGreaterThanOrEqual(18);
  expect(Math.min(...l.axisTitles), `${where}: axis titles`).toBeGreaterThanOrEqual(20);
  for (const t of l.trajectories) {
    expect(t.width, `${where}: trajectory width`).toBeGreaterThanOrEqual(3);
    expect(t.head, `${where}: end marker radius`).toBeGreaterThanOrEqual(6);
  }
  for (const w of l.chartLines) expect(w, `${where}: chart line width`).toBeGreaterThanOrEqual(3);
  expect(l.caption.height, `${where}: caption on one or two lines`).toBeLessThanOrEqual(
    2 * l.caption.line + 2,
  );
  expect(l.step, `${where}: step counter`).toBeGreaterThanOrEqual(24);
  expect(l.legendOverflow.length, `${where}: legends drawn`).toBeGreaterThan(0);
  for (const o of l.legendOverflow)
    expect(o, `${where}: legend labels inside their box`).toBeLessThanOrEqual(0);
}

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
] as const) {
  test(`${width}×${height}: every scene fits, at projector sizes, with its own plot and the cycle key`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width, height });
    await openLab(page, '?present=1&backend=wasm');
    await expect(page.locator('.app.present')).toBeVisible();
    for (const [i, scene] of scenes.entries()) {
      const where = `scene ${i + 1} (${scene.id}) at ${width}×${height}`;
      await openScene(page, i);
      const own = presentScenes[scene.id]?.plot;
      expect(own, `${where}: presentation choices written`).toBeDefined();
      await expect(stage(page), where).toHaveAttribute('data-secondary', own as string);
      expectProjectorGrade(await layout(page), where);
      await page.screenshot({ path: `test-results/screenshots/present-${width}-scene${i + 1}.png` });
      // c cycles through the other plots and back to the scene's own; each one fits too.
      const seen = [own as string];
      for (let k = 0; k < secondaries.length; k++) {
        await page.keyboard.press('c');
        await expect(stage(page)).not.toHaveAttribute('data-secondary', seen.at(-1) as string);
        const now = (await stage(page).getAttribute('data-secondary')) as string;
        if (now === own) break;
        expect(seen, `${where}: each plot once`).not.toContain(now);
        seen.push(now);
        await expect(page.locator(`.present-secondary[data-secondary="${now}"] .plot`)).toBeVisible();
        const l = await layout(page);
        expect(l.scroll, `${where}, ${now}`).toEqual({ width: 0, height: 0 });
        expect(l.cut, `${where}, ${now}`).toEqual([]);
      }
      await expect(stage(page)).toHaveAttribute('data-secondary', own as string);
      expect(seen.length, `${where}: plots to cycle through`).toBeGreaterThanOrEqual(2);
      expect(seen).toContain('loss');
    }
  });
}

test('entering and leaving presentation mode keeps the runs going', async ({ page }) => {
  await openLab(page, `?backend=wasm${link({ ...tiny, steps: 4000, view: { stepsPerSecond: 60 } })}`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForSteps(page, 5);
  const ids = (await labState(page)).runs.map((r) => r.id);
  let last = (await labState(page)).step;
  for (const mode of ['present', 'normal', 'present', 'normal']) {
    await page.keyboard.press('p');
    await expect(page.locator('.app.present')).toHaveCount(mode === 'present' ? 1 : 0);
    // The runs went on across the switch, and go on after it.
    await page.waitForFunction((k) => (window.reparamLab?.progress().step ?? 0) > k + 5, last);
    const s = await labState(page);
    expect(s.playState, mode).toBe('playing');
    expect(
      s.runs.map((r) => r.id),
      mode,
    ).toEqual(ids);
    expect(s.step).toBeGreaterThan(last);
    last = s.step;
  }
});

test('high contrast: a toggle on h and in the bar, remembered, recolours runs and heatmap', async ({
  page,
}) => {
  await openLab(page, `?present=1&backend=wasm${link(tiny)}`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitForSteps(page, 4);
  const look = () =>
    page.evaluate(() => {
      const line = document.querySelector('.present-stage .trajectory .line') as Element;
      return {
        attr: document.documentElement.dataset.contrast ?? null,
        drawn: line.getAttribute('stroke'),
        stroke: getComputedStyle(line).stroke,
        heatmap: getComputedStyle(document.querySelector('.present-stage .landscape canvas') as Element)
          .filter,
      };
    });
  const normal = await look();
  expect(normal.attr).toBeNull();
  expect(normal.heatmap).toBe('none');
  await page.keyboard.press('h');
  const high = await look();
  await page.screenshot({ path: 'test-results/screenshots/present-1280-high-contrast.png' });
  expect(high.attr).toBe('high');
  expect(high.heatmap).toContain('grayscale');
  expect(high.drawn).toBe(normal.drawn); // the same run, the palette's other colour
  expect(high.stroke).not.toBe(normal.stroke);
  // Darker: relative luminance of the stroke at most that of the normal one, and below 0.1.
  const lum = (rgb: string): number => {
    const [r, g, b] = (rgb.match(/\d+/g) ?? []).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  expect(lum(high.stroke)).toBeLessThan(Math.min(0.1, lum(normal.stroke)));
  await expect(page.getByRole('button', { name: 'High contrast (h)' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await page.reload();
  await page.waitForFunction(() => window.reparamLab !== undefined);
  expect(await page.evaluate(() => document.documentElement.dataset.contrast)).toBe('high');
  await page.getByRole('button', { name: 'High contrast (h)' }).click();
  expect(await page.evaluate(() => document.documentElement.dataset.contrast ?? null)).toBeNull();
  await page.reload();
  await page.waitForFunction(() => window.reparamLab !== undefined);
  expect(await page.evaluate(() => document.documentElement.dataset.contrast ?? null)).toBeNull();
});

test('f asks for full screen; a refusal says what to do instead', async ({ page }) => {
  await openLab(page, `?present=1&backend=wasm${link(tiny)}`);
  await page.evaluate(() => {
    document.documentElement.requestFullscreen = () =>
      Promise.reject(new TypeError('Permissions check failed'));
  });
  await page.keyboard.press('f');
  await expect(page.locator('.message.info')).toContainText('refused full screen');
  await expect(page.locator('.message.info')).toContainText('F11');
});
