import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { plainLink } from './lab';

/** `npm start` runs the Vite dev server: the lab must start and train there too, not only in the build. */
const port = Number(process.env.E2E_DEV_PORT ?? 5199);
let server: ChildProcess | null = null;

test.beforeAll(async () => {
  server = spawn('npx', ['vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
    stdio: 'pipe',
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the dev server did not start');
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
});

test('the dev server (npm start) serves a lab that trains', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(`http://127.0.0.1:${port}/?paused=1&backend=wasm${plainLink()}`);
  // The first visit may reload once while Vite optimizes dependencies: wait on the handle.
  await page.waitForFunction(() => window.reparamLab?.progress().backend === 'wasm', undefined, {
    timeout: 90_000,
  });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => (window.reparamLab?.progress().step ?? 0) >= 20, undefined, {
    timeout: 30_000,
  });
  await expect(page.locator('.message.error')).toHaveCount(0);
  // No service worker in development: it would serve stale modules (client/offline.ts).
  expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  expect(await page.locator('link[rel="manifest"]').count()).toBe(0);
});
