/**
 * A small runner for the Firefox smoke set: each check gets a fresh browser context (own
 * storage) and a page that records uncaught errors, console errors, failed requests and
 * Content-Security-Policy violations; a check fails on any of them as well as on its own
 * assertions. The output ends with one line "firefox: N passed, M failed".
 */
import type { Browser, ElementHandle, HTTPResponse, JSHandle, Page } from 'puppeteer-core';
import type { AutomationState } from '../../src/client/automation';

export interface Check {
  name: string;
  run(ctx: CheckContext): Promise<void>;
}

export interface CheckContext {
  /** The lab's address, e.g. http://127.0.0.1:4302 (no trailing slash). */
  base: string;
  /** A new page in a new context (own storage), watched for errors, at 1280×720. */
  newPage(): Promise<Page>;
  /** Where screenshots go. */
  screenshot(page: Page, name: string): Promise<void>;
  /** A line of information printed under the check's name. */
  note(text: string): void;
}

export class CheckFailure extends Error {}

export function expect(ok: boolean, message: string): asserts ok {
  if (!ok) throw new CheckFailure(message);
}

/** Problems seen on a page other than a check's own assertions. */
interface Watch {
  problems: string[];
}

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

/**
 * The page's viewport. puppeteer's `setViewport` sends the viewport and a screen-orientation
 * override together; Debian's firefox-esr 140.12 does not know the second command
 * ("unknown command emulation.setScreenOrientationOverride") although it applies the
 * first. That one refusal is tolerated when the viewport did take effect.
 */
async function setViewport(page: Page, width: number, height: number): Promise<void> {
  try {
    await page.setViewport({ width, height });
  } catch (err) {
    if (!String(err).includes('setScreenOrientationOverride')) throw err;
    // The viewport command may still be in flight when the other one's refusal arrives.
    let size: number[] = [];
    for (let i = 0; i < 20; i++) {
      size = await page.evaluate(() => [window.innerWidth, window.innerHeight]);
      if (size[0] === width && size[1] === height) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (size[0] !== width || size[1] !== height)
      throw new Error(`firefox: the viewport is ${size.join('×')}, not ${width}×${height}`, { cause: err });
  }
}

async function watchedPage(browser: Browser, watches: Watch[]): Promise<Page> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await setViewport(page, 1280, 720);
  page.setDefaultTimeout(60_000);
  const watch: Watch = { problems: [] };
  watches.push(watch);
  page.on('pageerror', (e: unknown) =>
    watch.problems.push(`uncaught error: ${e instanceof Error ? e.message : String(e)}`),
  );
  page.on('console', (m) => {
    if (m.type() === 'error') watch.problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) =>
    watch.problems.push(`request failed: ${r.url()} (${r.failure()?.errorText ?? '?'})`),
  );
  page.on('response', (r: HTTPResponse) => {
    if (r.status() >= 400) watch.problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.evaluateOnNewDocument(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations?.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'}`),
    );
  });
  return page;
}

/** CSP violations the page saw (its own listener; Firefox reports them only as warnings). */
async function cspViolations(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  return page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
}

/** Error-level messages the lab itself shows (its own catch-alls: the worker failed, a load failed). */
async function labErrors(page: Page): Promise<string[]> {
  if (page.isClosed()) return [];
  return page
    .evaluate(() => [...document.querySelectorAll('.message.error')].map((m) => m.textContent ?? ''))
    .catch(() => []);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailure(`${what} timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface Summary {
  passed: number;
  failed: number;
}

/** Run the checks one after another; print a line per check and the summary line. */
export async function runChecks(
  browser: Browser,
  base: string,
  checks: readonly Check[],
  options: { screenshotDir: string; timeoutMs: number },
): Promise<Summary> {
  let passed = 0;
  let failed = 0;
  for (const check of checks) {
    const started = Date.now();
    const watches: Watch[] = [];
    const pages: Page[] = [];
    const notes: string[] = [];
    let error: string | null = null;
    const ctx: CheckContext = {
      base,
      newPage: async () => {
        const page = await watchedPage(browser, watches);
        pages.push(page);
        return page;
      },
      screenshot: async (page, name) => {
        await page.screenshot({ path: `${options.screenshotDir}/firefox-${name}.png` });
      },
      note: (text) => notes.push(text),
    };
    try {
      await withTimeout(check.run(ctx), options.timeoutMs, check.name);
    } catch (e) {
      error =
        e instanceof Error ? (e instanceof CheckFailure ? e.message : (e.stack ?? e.message)) : String(e);
    }
    const problems = watches.flatMap((w) => w.problems);
    for (const page of pages) {
      problems.push(...(await cspViolations(page)).map((v) => `CSP violation: ${v}`));
      problems.push(...(await labErrors(page)).map((m) => `error shown by the lab: ${m}`));
    }
    for (const page of pages)
      await page
        .browserContext()
        .close()
        .catch(() => undefined);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (error === null && problems.length === 0) {
      passed++;
      console.log(`  ✓ ${check.name} (${secs} s)`);
    } else {
      failed++;
      console.log(`  ✗ ${check.name} (${secs} s)`);
      if (error !== null) console.log(`      ${error.replace(/\n/g, '\n      ')}`);
      for (const p of problems) console.log(`      ${p}`);
    }
    for (const n of notes) console.log(`      · ${n}`);
  }
  return { passed, failed };
}

// ---- page helpers, the Firefox counterparts of e2e/lab.ts ----

/** Call `probe` every 100 ms until it gives a value (not null), and return it; `what` names it on a timeout. */
async function poll<T>(probe: () => Promise<T | null>, what: string, timeout: number): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > until) throw new CheckFailure(`waited ${timeout / 1000} s for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Poll `fn` in the page (every 100 ms) until it returns a truthy value, and return that value.
 * Not puppeteer's `waitForFunction`: over WebDriver BiDi it builds its poller with `new
 * Function` in the page, which the lab's CSP blocks in firefox-esr 140.12 ("script-src blocked
 * eval"); `page.evaluate` calls the function directly and is not subject to the CSP.
 */
export async function waitUntil<A extends unknown[], T>(
  page: Page,
  fn: (...args: A) => T,
  args: A,
  timeout = 60_000,
): Promise<NonNullable<Awaited<T>>> {
  return poll(
    async () => {
      const value = (await page.evaluate(fn as (...a: unknown[]) => T, ...args)) as Awaited<T>;
      return value ? (value as NonNullable<Awaited<T>>) : null;
    },
    fn.toString().slice(0, 120),
    timeout,
  );
}

/**
 * Open the lab at `query` and wait until it is ready. Links and the first view play once loaded;
 * checks open paused (`paused=1`) unless `options.paused` is false, so they start at step 0.
 */
export async function openLab(
  page: Page,
  base: string,
  query = '',
  options: { paused?: boolean } = {},
): Promise<void> {
  const paused = options.paused ?? true;
  const q = !paused ? query : query.startsWith('?') ? `?paused=1&${query.slice(1)}` : `?paused=1${query}`;
  await page.goto(`${base}/${q}`);
  await waitUntil(page, () => window.reparamLab !== undefined, []);
  await page.evaluate(() => window.reparamLab?.ready);
}

/** The fastest play speed, 600 steps/s (a view setting: a scene stays the scene), once the page has it. */
export async function playFastest(page: Page): Promise<void> {
  // A scene just opened: its experiment is loaded once its caption says "not modified" (an
  // edit before that would go to the previous experiment).
  await waitUntil(page, () => {
    const caption = document.querySelector('.scene-caption');
    return !caption || caption.getAttribute('data-modified') === 'false';
  }, []);
  await page.select('select[title^="Steps per second"]', '600');
  await waitUntil(
    page,
    () =>
      (window.reparamLab?.progress().experiment as { view?: { stepsPerSecond?: number } } | null)?.view
        ?.stepsPerSecond === 600,
    [],
  );
}

export function labState(page: Page): Promise<AutomationState> {
  return page.evaluate(() => (window.reparamLab as NonNullable<typeof window.reparamLab>).state());
}

/** Wait until every run has at least `n` points. */
export async function waitForSteps(page: Page, n: number, timeout = 60_000): Promise<void> {
  await waitUntil(
    page,
    (k: number) => {
      const s = window.reparamLab?.progress();
      return !!s && s.runs.length > 0 && s.runs.every((r) => r.points >= k);
    },
    [n],
    timeout,
  );
}

export async function waitForDone(page: Page, timeout = 60_000): Promise<void> {
  await waitUntil(page, () => window.reparamLab?.progress().playState === 'done', [], timeout);
}

/** Click the visible, enabled button whose accessible name (aria-label or text) is `name`, as a person would. */
export async function clickButton(page: Page, name: string): Promise<void> {
  const el = await poll(
    async () => {
      const handle: JSHandle = await page.evaluateHandle(
        (want: string) =>
          [...document.querySelectorAll('button')].find(
            (b) =>
              (b.getAttribute('aria-label') ?? b.textContent?.trim()) === want &&
              !b.disabled &&
              b.getClientRects().length > 0,
          ) ?? null,
        name,
      );
      const button = handle.asElement() as ElementHandle<Element> | null;
      if (!button) await handle.dispose();
      return button;
    },
    `a button "${name}"`,
    60_000,
  );
  await el.click();
  await el.dispose();
}

/** Press a key with nothing focused (as after clicking the page), so the lab's shortcuts see it. */
export async function pressShortcut(
  page: Page,
  key: Parameters<Page['keyboard']['press']>[0],
): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press(key);
}

/** Wait until a status or alert message containing `text` shows; return its text. */
export async function waitForMessage(page: Page, text: RegExp): Promise<string> {
  return waitUntil(
    page,
    (source: string) => {
      const re = new RegExp(source);
      return (
        [...document.querySelectorAll('[role="status"], [role="alert"]')]
          .map((m) => m.textContent ?? '')
          .find((t) => re.test(t)) ?? null
      );
    },
    [text.source],
  );
}
