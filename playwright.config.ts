import { defineConfig } from '@playwright/test';
import { chromiumArgs, findChromium } from './e2e/browser';

/** E2E_PORT lets two checkouts run their browser tests side by side. */
const port = Number(process.env.E2E_PORT ?? 4173);

/** Tests with wall-clock bounds carry this tag (e2e/lab.ts `TIMED`): they run alone, after the rest. */
const timed = /@timed/;

export default defineConfig({
  testDir: 'e2e',
  timeout: 90_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // Two spec files at a time; the tests that hold wall-clock bounds (a WebM's length, the
  // watchdog's window, restore times) run one at a time in the 'timed' project.
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    launchOptions: { executablePath: findChromium(), args: chromiumArgs },
    screenshot: 'only-on-failure',
    // The built page registers a service worker that precaches ~3.7 MB; only e2e/offline.spec.ts
    // needs it, so the other specs do not pay for it.
    serviceWorkers: 'block',
  },
  projects: [
    { name: 'main', grepInvert: timed },
    // `npm test` and `npm run test:e2e` run it after 'main' (package.json); a plain
    // `playwright test` runs both at once, and a single spec file on its own.
    { name: 'timed', grep: timed, workers: 1 },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
