/** Page helpers for the browser tests: wait on the automation handle, never on sleeps. */
import LZString from 'lz-string';
import type { Page } from '@playwright/test';
import type { AutomationState } from '../src/client/automation';
import { defaultExperiment } from '../src/engine/schema';

/**
 * The tag of a test that holds a wall-clock bound (a restore time, the watchdog's window, a
 * WebM's length): such tests run one at a time, after the rest, in the 'timed' project
 * (playwright.config.ts), so the other tests' load cannot stretch them.
 */
export const TIMED = { tag: '@timed' };

/**
 * Open the page at `query` (`?a=b#e=…`, `#e=…` or ''). A link opens playing; the specs
 * open it paused (`paused=1`) unless `options.paused` is false, so they start at step 0.
 * Specs that are not about the backend choice pass `?backend=wasm`: the automatic choice
 * times a warm-up on each backend at every load (~0.5–1 s more to ready here), and may pick
 * cpu or wasm from one load to the next.
 */
export async function openLab(page: Page, query = '', options: { paused?: boolean } = {}): Promise<void> {
  const paused = options.paused ?? true;
  const q = !paused ? query : query.startsWith('?') ? `?paused=1&${query.slice(1)}` : `?paused=1${query}`;
  await page.goto(`/${q}`);
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
}

export function labState(page: Page): Promise<AutomationState> {
  return page.evaluate(() => (window.reparamLab as NonNullable<typeof window.reparamLab>).state());
}

/** Wait until every run has at least `n` points. */
export async function waitForSteps(page: Page, n: number, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (k) => {
      const s = window.reparamLab?.progress();
      return !!s && s.runs.length > 0 && s.runs.every((r) => r.points >= k);
    },
    n,
    { timeout },
  );
}

/**
 * After Reset: step 0, and every run's start point has arrived. The page learns of the new
 * session (step 0, no points yet) one event before its first telemetry, so `step === 0`
 * alone can be seen while the runs are still empty.
 */
export async function waitForReset(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const s = window.reparamLab?.progress();
      return !!s && s.step === 0 && s.runs.length > 0 && s.runs.every((r) => r.points === 1);
    },
    null,
    { timeout },
  );
}

/** Largest Euclidean distance between two runs' θ points at the same steps. */
export function maxApart(a: readonly number[][], b: readonly number[][]): number {
  let m = 0;
  for (let k = 0; k < Math.min(a.length, b.length); k++) {
    const p = a[k] ?? [];
    const q = b[k] ?? [];
    m = Math.max(m, Math.hypot(...p.map((v, j) => v - (q[j] ?? Number.NaN))));
  }
  return m;
}

/** Set "Switch θ→φ at step k" in the map panel (empty text: off) and wait for the reload. */
export async function setSwitchStep(page: Page, k: number | null): Promise<void> {
  const field = page.getByLabel('Switch θ→φ at step k');
  await field.fill(k === null ? '' : String(k));
  await field.press('Enter');
  await page.waitForFunction((want) => {
    const s = window.reparamLab?.progress();
    const at = (s?.experiment as { switchAt?: { step: number } } | null)?.switchAt?.step ?? null;
    return at === want && (want === null || !!s?.runs.some((r) => r.space === 'switch'));
  }, k);
}

/** A `#e=` link that opens experiment `e` (the page's own link format). */
export const link = (e: object): string => `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(e))}`;

/**
 * The plain experiment (gradient descent on the Gaussian fit, identity map, 200 steps) as a
 * link: specs that test controls rather than the first view open it explicitly, since a
 * first visit opens the naturality-square scene, playing.
 */
export const plainLink = (): string => link(defaultExperiment);

/** tiny-net under the cubic map, gd beside ngd, 40 steps: the specs' everyday experiment. */
export const tiny = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
  ],
  steps: 40,
};

/**
 * Choose the fastest playing speed (a view setting: the runs and their numbers are the
 * same), as someone checking a scene's result rather than watching it would. Scenes play
 * at lecture pace (4–30 steps/s); at 600 steps/s a scene takes ~1 s instead of ~15.
 */
export async function fastest(page: Page): Promise<void> {
  // A scene just opened: its experiment is loaded once its caption says "not modified".
  const caption = page.locator('.scene-caption');
  if ((await caption.count()) > 0) await caption.and(page.locator('[data-modified="false"]')).waitFor();
  await page.getByLabel('Speed').selectOption('600');
  await page.waitForFunction(
    () =>
      (window.reparamLab?.progress().experiment as { view?: { stepsPerSecond?: number } } | null)?.view
        ?.stepsPerSecond === 600,
  );
}

/** The largest gap between optimizer i's θ-run and φ-run losses, as read off the runs. */
export function lossGap(s: AutomationState, i: number): number {
  const loss = (space: string) => s.runs.find((r) => r.id.endsWith(`-${i}-${space}`))?.loss ?? [];
  const [a, b] = [loss('theta'), loss('phi')];
  return Math.max(...a.slice(0, b.length).map((v, k) => Math.abs(v - (b[k] ?? NaN))));
}
