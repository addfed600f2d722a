/**
 * Deploy anywhere: the production build, copied as is under a sub-path with a space and a
 * non-ASCII letter, on a plain static server (no headers, not vite), starts, trains, draws,
 * loads the wasm binaries and the engine worker from there, and its links keep the sub-path.
 */
import { expect, test, type Page } from '@playwright/test';
import { labState, link, plainLink, tiny, waitForSteps } from './lab';
import { serveStatic, type StaticServer } from './static-server';

/**
 * Beside the preview server's port (E2E_PORT), so two checkouts do not collide, and one
 * above offline.spec.ts's, which may run at the same time.
 */
const port = Number(process.env.E2E_STATIC_PORT ?? Number(process.env.E2E_PORT ?? 4173) + 10) + 1;
const prefix = '/courses/opt lab/λ/';
let server: StaticServer;

test.beforeAll(async () => {
  server = await serveStatic(process.env.VITE_OUT_DIR ?? 'dist', prefix, port);
});
test.afterAll(async () => server.close());
test.beforeEach(() => {
  server.notFound.length = 0;
  server.served.length = 0;
});

/** Open the lab; paused (`?paused=1`, as e2e/lab.ts openLab) unless asked to play like a real visit. */
async function open(page: Page, suffix = '', { paused = true } = {}): Promise<void> {
  const q = !paused ? suffix : suffix.startsWith('?') ? `?paused=1&${suffix.slice(1)}` : `?paused=1${suffix}`;
  await page.goto(`${server.url}${q}`);
  await page.waitForFunction(() => window.reparamLab !== undefined);
  await page.evaluate(() => window.reparamLab?.ready);
}

/** CSP violations in the page (the built page carries its policy in a <meta>; this server sends none). */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI}`,
      ),
    );
  });
  return violations;
}

test('under a sub-path on a plain static server the lab starts, trains and draws', async ({ page }, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const violations = await watchCsp(page);
  await open(page, plainLink()); // one gd run (the first view has four)
  await expect(page.getByTestId('backend')).not.toHaveText(/starting/);
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 51);
  const run = (await labState(page)).runs[0];
  expect(run?.status).toBe('ok');
  const loss = run?.loss ?? [];
  expect(loss[loss.length - 1]).toBeLessThan((loss[0] as number) - 0.1);
  const path = page.locator('figure[data-space="theta"] .trajectory path.line');
  const d = (await path.getAttribute('d')) ?? '';
  expect(d.split(/[ML]/).filter(Boolean).length).toBeGreaterThanOrEqual(50);
  await expect(page.locator('figure[data-space="theta"] .contours path').first()).toBeAttached();
  // The policy is in force from the page itself, and nothing it blocks was needed.
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(meta).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
  expect(violations).toEqual([]);
  // Everything came from under the sub-path: the page, its script, the worker, the icon.
  expect(server.notFound).toEqual([]);
  for (const p of ['index.html', 'assets/index-', 'assets/worker-', 'favicon.svg'])
    expect(
      server.served.some((s) => s.startsWith(`${prefix}${p}`) || (p === 'index.html' && s === prefix)),
    ).toBe(true);
  expect(errors).toEqual([]);
  await page.screenshot({ path: info.outputPath('subpath.png') });
});

test('the wasm backend loads its binary from the sub-path', async ({ page }) => {
  await open(page, '?backend=wasm');
  expect((await labState(page)).backend).toBe('wasm');
  await page.getByRole('button', { name: 'Play' }).click();
  await waitForSteps(page, 21);
  expect(
    server.served.some((s) => /^\/courses\/opt lab\/λ\/assets\/tfjs-backend-wasm.*\.wasm$/.test(s)),
  ).toBe(true);
  expect(server.notFound).toEqual([]);
});

test('a shared link keeps the sub-path and opens the experiment there', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await open(page, `?backend=wasm${link(tiny)}`, { paused: false });
  expect((await labState(page)).experiment).toMatchObject({ problem: { id: 'tiny-net' }, steps: 40 });
  // The address bar keeps the sub-path and the query as the page rewrites the hash.
  await page.getByLabel('Speed').selectOption('10');
  const speed = (p: Page): Promise<number | undefined> =>
    p.evaluate(
      () =>
        (window.reparamLab?.progress().experiment as { view?: { stepsPerSecond?: number } }).view
          ?.stepsPerSecond,
    );
  await expect.poll(() => speed(page)).toBe(10);
  await expect.poll(() => page.url()).toMatch(/#e=/);
  await expect.poll(() => decodeURI(page.url())).toContain(`127.0.0.1:${port}${prefix}?backend=wasm#e=`);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.startsWith(`${server.url}?backend=wasm#e=`)).toBe(true);
  const other = await context.newPage();
  await other.goto(copied);
  await other.waitForFunction(() => window.reparamLab !== undefined);
  await other.evaluate(() => window.reparamLab?.ready);
  expect((await labState(other)).experiment).toMatchObject({ problem: { id: 'tiny-net' }, steps: 40 });
  expect(await speed(other)).toBe(10);
  // A shared link opens playing.
  await waitForSteps(other, 11);
});
