/**
 * Offline after the first visit, updates, and no service worker. The build is served under
 * a sub-path by a plain static server (e2e/static-server.ts); the service worker generated
 * by vite-plugin-pwa precaches the page, the engine worker and the wasm binaries.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { labState, link, tiny, waitForSteps } from './lab';
import { serveStatic, type StaticServer } from './static-server';

const port = Number(process.env.E2E_STATIC_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 10);
const dist = process.env.VITE_OUT_DIR ?? 'dist';
const prefix = '/courses/opt lab/λ/';
let server: StaticServer;

// The other specs block service workers (playwright.config.ts); these are about them.
test.use({ serviceWorkers: 'allow' });

test.beforeEach(async () => {
  server = await serveStatic(dist, prefix, port);
});
test.afterEach(async () => server.close());

/** Open the lab; paused (`?paused=1`, as e2e/lab.ts openLab) unless asked to play like a real visit. */
async function open(page: Page, suffix = '', { paused = true } = {}): Promise<void> {
  const q = !paused ? suffix : suffix.startsWith('?') ? `?paused=1&${suffix.slice(1)}` : `?paused=1${suffix}`;
  await page.goto(`${server.url}${q}`);
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
}

/** Wait for the service worker to be installed (everything precached) and active. */
async function swActive(page: Page): Promise<string> {
  return page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL ?? '');
}

/** What the service worker's caches hold: URLs and bytes. */
function cached(page: Page): Promise<{ urls: string[]; bytes: number }> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    let bytes = 0;
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        // Files without a hash in their name are kept under ?__WB_REVISION__=….
        urls.push(decodeURI(request.url.replace(/\?__WB_REVISION__=\w+$/, '')));
        bytes += (await (await cache.match(request))?.arrayBuffer())?.byteLength ?? 0;
      }
    }
    return { urls, bytes };
  });
}

test('after one visit the lab opens, trains and opens a shared link offline', async ({ page, context }) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, '?backend=wasm');
  expect(decodeURI(await swActive(page))).toBe(`http://127.0.0.1:${port}${prefix}sw.js`);
  const { urls, bytes } = await cached(page);
  const at = `http://127.0.0.1:${port}${prefix}`;
  expect(urls).toContain(`${at}index.html`);
  for (const re of [
    /assets\/index-.*\.js/,
    /assets\/worker-.*\.js/,
    /tfjs-backend-wasm-[^t].*\.wasm/,
    /simd-.*\.wasm/,
  ])
    expect(
      urls.some((u) => u.startsWith(at) && re.test(u)),
      String(re),
    ).toBe(true);
  console.log(`precached: ${urls.length} files, ${(bytes / 1e6).toFixed(2)} MB`);
  // Installable: Chromium finds nothing missing (manifest, icons, service worker, scope).
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: { errorId: string }[];
  };
  // Playwright's contexts are incognito, where no app installs; nothing else may be missing.
  expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
  expect(decodeURI(manifest.url)).toBe(`${at}manifest.webmanifest`);
  expect(manifest.errors).toEqual([]);
  await cdp.detach();

  // No server and no network: everything comes from the service worker.
  await server.close();
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  // The network is gone: a request the service worker has not cached fails. (Not
  // navigator.onLine: Debian's Chromium 150 keeps it true under Playwright's offline emulation.)
  const uncached = await page.evaluate(async (url) => {
    try {
      await fetch(url, { cache: 'no-store' });
      return 'answered';
    } catch (err) {
      return err instanceof TypeError ? 'failed' : String(err);
    }
  }, `${at}not-precached-${Date.now()}.txt`);
  expect(uncached).toBe('failed');
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe('activated');
  expect((await labState(page)).backend).toBe('wasm');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 21);

  // A shared link, never visited, opens offline too: the experiment travels in the link.
  await page.goto('about:blank'); // a link that differs only in its #e= would not load the page again
  await page.goto(`${server.url}?backend=wasm${link(tiny)}`);
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  expect((await labState(page)).experiment).toMatchObject({ problem: { id: 'tiny-net' }, steps: 40 });
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 11);
  await expect(page.locator('.message.error')).toHaveCount(0);
  expect(errors).toEqual([]);
  await context.setOffline(false);
});

test('a new version waits without interrupting the session; "reload" takes it', async ({ page }, info) => {
  // Chromium sometimes starts the update check of sw.js only ~57 s after update() (seen here with
  // the request reaching the server that late), hence the budget.
  test.setTimeout(180_000);
  const long = { ...tiny, steps: 100000 }; // still training while the new version arrives
  await open(page, link(long));
  await swActive(page);
  await page.reload(); // the first visit is not controlled; from the second on it is
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 3);
  await page.evaluate(() => ((window as { session?: string }).session = 'open'));
  const t0 = Date.now();
  const mark = (what: string): void => console.log(`${what}: ${Date.now() - t0} ms`);

  // A new build is deployed: a different sw.js, which answers which version it is.
  server.swScript =
    readFileSync(join(dist, 'sw.js'), 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '') +
    "\nself.addEventListener('message', (e) => { if (e.data === 'version?') e.source.postMessage('next'); });\n";
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  const notice = page.getByRole('status').filter({ hasText: 'A new version is ready' });
  await expect(notice).toBeVisible();
  mark('notice');
  expect(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration())?.waiting)).toBe(
    true,
  );
  // The open session goes on: no reload, the runs keep training under the old version.
  const before = (await labState(page)).step;
  await page.waitForFunction((s) => (window.reparamLab?.progress().step ?? 0) > s, before);
  expect(await page.evaluate(() => (window as { session?: string }).session)).toBe('open');
  mark('steps go on');
  await page.screenshot({ path: info.outputPath('update-notice.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: info.outputPath('update-notice-phone.png') });
  await page.setViewportSize({ width: 1280, height: 720 });

  const reloaded = page.waitForEvent('load');
  await notice.getByRole('button', { name: 'reload' }).click();
  await reloaded;
  mark('reloaded');
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
  expect(await page.evaluate(() => (window as { session?: string }).session)).toBeUndefined();
  const version = await page.evaluate(
    () =>
      new Promise<unknown>((resolve) => {
        navigator.serviceWorker.addEventListener('message', (e) => resolve(e.data), { once: true });
        navigator.serviceWorker.controller?.postMessage('version?');
      }),
  );
  expect(version).toBe('next');
  await expect(notice).toHaveCount(0);
  // The experiment came back from the link.
  expect((await labState(page)).experiment).toMatchObject({ problem: { id: 'tiny-net' } });
});

test('a failed registration leaves the lab running online and says nothing alarming', async ({ page }) => {
  const infos: string[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'info') infos.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  server.swScript = null; // sw.js answers 404, as on a host that lost it
  await open(page);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 21);
  await expect.poll(() => infos.some((t) => t.includes('offline use is not available here'))).toBe(true);
  await expect(page.locator('.message')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test.describe('without service workers', () => {
  test.use({ serviceWorkers: 'block' });

  test('the lab runs online and registers nothing', async ({ page }) => {
    const errors: string[] = [];
    const infos: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'info') infos.push(m.text());
    });
    await open(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSteps(page, 11);
    await expect(page.locator('.message')).toHaveCount(0);
    await expect.poll(() => infos.some((t) => t.includes('offline use is not available here'))).toBe(true);
    console.log(infos.find((t) => t.includes('offline use')));
    expect(errors).toEqual([]);
  });

  test('offline with no saved copy of the engine: the page says so once, and starts when back online', async ({
    page,
    context,
  }, info) => {
    // The page loaded, then the network went away before the engine worker could be fetched.
    const worker = /assets\/worker-.*\.js$/;
    await context.route(worker, async (route) => {
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    });
    await page.goto(server.url);
    const message = page.locator('.message.error').filter({ hasText: 'offline and has no saved copy' });
    await expect(message).toBeVisible();
    await expect(message).toContainText('The lab starts when the network is back.');
    await page.screenshot({ path: info.outputPath('offline-engine.png') });
    // One plain message, not a restart loop.
    await expect(page.locator('.message')).toHaveCount(1);
    await context.unroute(worker);
    await context.setOffline(false);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSteps(page, 11);
  });
});
