/**
 * Phones and tablets (390×844, 768×1024, touch) and the desktop sizes (1280×720, 1920×1080):
 * no sideways scrolling, plots within the screen's width, the panels behind the "Controls"
 * button on narrow screens, touch targets of at least 40 px, and touch for play / pause,
 * dragging the start point and zooming the θ plot (pinch and the zoom buttons).
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { labState, link, openLab, tiny, waitForSteps } from './lab';

type Exp = { init?: number[]; view: { window?: [[number, number], [number, number]] } };
const exp = async (page: Page): Promise<Exp> => (await labState(page)).experiment as Exp;

/** The page's width beyond the viewport, and every plot's horizontal extent. */
function layout(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    plots: [...document.querySelectorAll('figure.plot, figure.plot svg, figure.plot canvas')].map((el) => {
      const r = el.getBoundingClientRect();
      return { name: `${el.tagName} ${el.getAttribute('class') ?? ''}`, left: r.left, right: r.right };
    }),
  }));
}

async function expectFitsWidth(page: Page): Promise<void> {
  const m = await layout(page);
  expect(m.scrollWidth).toBeLessThanOrEqual(m.innerWidth);
  expect(m.plots.length).toBeGreaterThan(4);
  for (const p of m.plots) {
    expect(p.left, p.name).toBeGreaterThanOrEqual(0);
    expect(p.right, p.name).toBeLessThanOrEqual(m.innerWidth);
  }
}

/** Visible controls smaller than 40 × 40 px (a checkbox counts by its label, the target). */
function smallTargets(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    const sel = 'button, select, input, [role="button"]';
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const own = el.getBoundingClientRect();
      if (own.width === 0 || own.height === 0) continue; // not shown
      if (el.classList.contains('start-handle')) continue; // its target is the .start-hit circle
      const target =
        (el as HTMLInputElement).type === 'checkbox' ? (el.closest('label') ?? el) : (el as Element);
      const r = target.getBoundingClientRect();
      if (r.width < 40 || r.height < 40) {
        small.push(
          `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent ?? ''}: ${r.width}×${r.height}`,
        );
      }
    }
    for (const el of document.querySelectorAll('.start-hit')) {
      const r = el.getBoundingClientRect();
      if (r.width < 40 || r.height < 40) small.push(`start hit circle: ${r.width}×${r.height}`);
    }
    return small;
  });
}

/** One finger (id 0) or two touching, moving in `steps`, and lifting, through CDP. */
async function touchGesture(
  page: Page,
  from: { x: number; y: number }[],
  to: { x: number; y: number }[],
  steps = 8,
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const at = (t: number) =>
    from.map((p, i) => ({
      x: p.x + ((to[i]?.x ?? p.x) - p.x) * t,
      y: p.y + ((to[i]?.y ?? p.y) - p.y) * t,
      id: i,
    }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
  for (let k = 1; k <= steps; k++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(k / steps) });
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

for (const [width, height] of [
  [390, 844],
  [768, 1024],
] as const) {
  test.describe(`${width}×${height} touch screen`, () => {
    test.use({ viewport: { width, height }, hasTouch: true, isMobile: true });

    test('fits the width; the panels fold behind "Controls"; touch targets ≥ 40 px', async ({ page }) => {
      await openLab(page, `?backend=wasm${link(tiny)}`);
      await expect(page.locator('figure[data-space="theta"] .start-handle')).toBeVisible();
      await expectFitsWidth(page);
      const toggle = page.getByRole('button', { name: 'Controls' });
      const map = page.getByLabel('Map', { exact: true });
      await expect(toggle).toBeVisible();
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(toggle).toHaveAttribute('aria-controls', 'lab-controls');
      await expect(map).toBeHidden();
      // The run controls stay on top, outside the fold.
      await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
      await page.screenshot({ path: `test-results/screenshots/phone-${width}-folded.png` });
      expect(await smallTargets(page)).toEqual([]);
      await toggle.tap();
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
      await expect(map).toBeVisible();
      await expect(page.getByLabel('Problem', { exact: true })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Add optimizer' })).toBeVisible();
      await expectFitsWidth(page);
      expect(await smallTargets(page)).toEqual([]);
      await page.screenshot({ path: `test-results/screenshots/phone-${width}-open.png`, fullPage: true });
      // What was set in a panel survives folding it (the panels stay mounted).
      await map.selectOption('sinh');
      await page.waitForFunction(
        () => (window.reparamLab?.progress().experiment as { reparam: { id: string } }).reparam.id === 'sinh',
      );
      // Keyboard: Enter on the focused button folds and unfolds (Space is play/pause everywhere
      // but in text fields, selects and checkboxes: e2e/lecture.spec.ts).
      await toggle.focus();
      await page.keyboard.press('Enter');
      await expect(toggle).toHaveAttribute('aria-expanded', 'false');
      await expect(map).toBeHidden();
      await page.keyboard.press('Enter');
      await expect(toggle).toHaveAttribute('aria-expanded', 'true');
      await expect(map).toHaveValue('sinh');
      // Accessible at this size too: no serious or critical axe-core violations, unfolded.
      const result = await new AxeBuilder({ page }).analyze();
      const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
      // Presentation mode keeps the width too (one column; only the run controls beside the plots).
      await page.getByRole('button', { name: 'Presentation' }).tap();
      await expect(page.locator('.app.present')).toBeVisible();
      await expectFitsWidth(page);
    });

    test('touch: tap play and pause, drag the start point, zoom by buttons and by pinch', async ({
      page,
    }) => {
      await openLab(page, `?backend=wasm${link({ ...tiny, steps: 3000 })}`);
      // Play / pause by tapping.
      await page.getByRole('button', { name: 'Play' }).tap();
      await waitForSteps(page, 5);
      await page.getByRole('button', { name: 'Pause' }).tap();
      await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
      expect((await labState(page)).playState).toBe('paused');

      // Drag the start point with a finger: right and up by (40, −30) px.
      const handle = page.locator('figure[data-space="theta"] .start-handle');
      await handle.scrollIntoViewIfNeeded();
      const box = await handle.boundingBox();
      if (!box) throw new Error('no start handle');
      const c = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      // Off-centre by 8 px, as a finger lands: the hit circle catches it, the point does not jump.
      await touchGesture(page, [{ x: c.x + 8, y: c.y + 8 }], [{ x: c.x + 48, y: c.y - 22 }]);
      await page.waitForFunction(() => {
        const s = window.reparamLab?.progress();
        const init = (s?.experiment as { init?: number[] }).init;
        return !!init && s?.runs[0]?.start[0] === init[0];
      });
      const init = (await exp(page)).init ?? [];
      expect(init[0]).toBeGreaterThan(0.45); // moved right of 0.4
      expect(init[1]).toBeGreaterThan(0.65); // and up from 0.6

      // The zoom buttons are reachable and work by tapping: zoom in 1.5× about the centre.
      const zoomIn = page.getByRole('group', { name: 'Zoom and pan the view' }).getByRole('button', {
        name: 'Zoom in',
      });
      await zoomIn.scrollIntoViewIfNeeded();
      await zoomIn.tap();
      await page.waitForFunction(
        () => (window.reparamLab?.progress().experiment as Exp).view.window !== undefined,
      );
      const w1 = (await exp(page)).view.window as [[number, number], [number, number]];
      expect(w1[0][1] - w1[0][0]).toBeCloseTo(4.5 / 1.5, 6);

      // Pinch out on the θ plot (fingers 60 px → 180 px apart): the window narrows about 3×.
      const plot = page.locator('figure[data-space="theta"] .plot-box');
      await plot.scrollIntoViewIfNeeded();
      const pb = await plot.boundingBox();
      if (!pb) throw new Error('no θ plot');
      // Off the start marker: the upper half of the plot, centred horizontally.
      const m = { x: pb.x + pb.width / 2, y: pb.y + pb.height * 0.3 };
      await touchGesture(
        page,
        [
          { x: m.x - 30, y: m.y },
          { x: m.x + 30, y: m.y },
        ],
        [
          { x: m.x - 90, y: m.y },
          { x: m.x + 90, y: m.y },
        ],
      );
      await page.waitForFunction((wide) => {
        const w = (window.reparamLab?.progress().experiment as Exp).view.window;
        return !!w && w[0][1] - w[0][0] < wide - 0.1;
      }, w1[0][1] - w1[0][0]);
      const w2 = (await exp(page)).view.window as [[number, number], [number, number]];
      expect((w1[0][1] - w1[0][0]) / (w2[0][1] - w2[0][0])).toBeCloseTo(3, 0);
      // A pinch changes the view only: the start point stays.
      expect((await exp(page)).init).toEqual(init);
      await expectFitsWidth(page);
      await page.screenshot({ path: `test-results/screenshots/phone-${width}-zoomed.png` });
    });
  });
}

for (const [width, height] of [
  [1280, 720],
  [1920, 1080],
] as const) {
  test(`${width}×${height}: panels beside the plots, no fold, landscapes use the width`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    await openLab(page, `?backend=wasm${link(tiny)}`);
    await expect(page.locator('figure[data-space="theta"] .start-handle')).toBeVisible();
    await expectFitsWidth(page);
    await expect(page.getByRole('button', { name: 'Controls' })).toBeHidden();
    await expect(page.getByLabel('Map', { exact: true })).toBeVisible();
    const theta = await page.locator('figure[data-space="theta"] .plot-box').boundingBox();
    const aside = await page.locator('aside').boundingBox();
    if (!theta || !aside) throw new Error('no θ plot or panels');
    // The panels are a column on the left; the plots beside them.
    expect(theta.x).toBeGreaterThan(aside.x + aside.width);
    // θ and φ side by side (same row), each plot at least 400 px (1280) or 470 px (1920) wide
    // (the panel column is 350 px so that no select label is clipped: e2e/lecture.spec.ts).
    const figTop = (space: string) =>
      page.locator(`figure[data-space="${space}"]`).evaluate((f) => f.getBoundingClientRect().top);
    expect(await figTop('phi')).toBeCloseTo(await figTop('theta'), 0);
    expect(theta.width).toBeGreaterThanOrEqual(width >= 1920 ? 470 : 400);
    await page.screenshot({ path: `test-results/screenshots/desktop-${width}.png` });
    // The wheel zooms the θ plot: the window narrows about the pointer, and nothing throws.
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.mouse.move(theta.x + theta.width / 2, theta.y + theta.height * 0.3);
    await page.mouse.wheel(0, -200);
    await page.waitForFunction(() => {
      const w = (window.reparamLab?.progress().experiment as Exp).view.window;
      return !!w && w[0][1] - w[0][0] < 4.5 - 0.1;
    });
    expect(errors).toEqual([]);
  });
}
