/**
 * The Firefox smoke set (`npm run test:firefox`): serves the built lab (vite preview, the
 * same CSP as production) on a free port, drives Debian's firefox-esr headless over WebDriver
 * BiDi with puppeteer-core (which never downloads a browser), and runs e2e/firefox/smoke.ts.
 *
 *   FIREFOX_PATH=…        the Firefox to use (default /usr/bin/firefox-esr, then /usr/bin/firefox)
 *   FIREFOX_E2E_PORT=…    serve on this port instead of a free one
 *   SKIP_FIREFOX=1        skip the set (exit 0) when no Firefox can be installed
 *
 * The last line is "firefox: N passed, M failed"; the exit code is non-zero on any failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { preview, type PreviewServer } from 'vite';
import { runChecks } from './harness';
import { checks } from './smoke';

const CHECK_TIMEOUT_MS = 90_000;
const SCREENSHOTS = 'test-results/screenshots';

const INSTALL_HINT =
  'Install it (Debian/Ubuntu: `sudo apt-get install firefox-esr`), set FIREFOX_PATH to a Firefox ' +
  'executable, or set SKIP_FIREFOX=1 to skip these tests.';

/** $FIREFOX_PATH, else Debian's firefox-esr, else /usr/bin/firefox; or why there is none. */
function findFirefox(): { path: string } | { missing: string } {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv)
    return existsSync(fromEnv) ? { path: fromEnv } : { missing: `FIREFOX_PATH=${fromEnv} does not exist.` };
  const path = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
  return path
    ? { path }
    : {
        missing:
          'No Firefox found for the Firefox smoke tests (looked for /usr/bin/firefox-esr and /usr/bin/firefox).',
      };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function main(): Promise<number> {
  if (process.env.SKIP_FIREFOX === '1') {
    console.log('firefox: skipped (SKIP_FIREFOX=1)');
    return 0;
  }
  const found = findFirefox();
  if ('missing' in found) {
    console.error(`${found.missing}\n${INSTALL_HINT}`);
    console.log(`firefox: 0 passed, ${checks.length} failed`);
    return 1;
  }
  const firefox = found.path;
  const outDir = process.env.VITE_OUT_DIR ?? 'dist';
  if (!existsSync(join(outDir, 'index.html'))) {
    console.error(`No build in ${outDir}/: run \`npx vite build\` first (npm run test:firefox does).`);
    console.log(`firefox: 0 passed, ${checks.length} failed`);
    return 1;
  }
  let version = '?';
  try {
    version = execFileSync(firefox, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    // The launch below reports a Firefox that cannot start.
  }
  mkdirSync(SCREENSHOTS, { recursive: true });

  const port = Number(process.env.FIREFOX_E2E_PORT ?? (await freePort()));
  const base = `http://127.0.0.1:${port}`;
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await preview({
      logLevel: 'warn',
      // No index.html fallback: a missing file (a wasm binary, a worker chunk) is a 404 the checks see.
      appType: 'mpa',
      preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    });
    console.log(`Firefox smoke tests: ${version} (${firefox}), headless, WebDriver BiDi; lab at ${base}`);
    browser = await puppeteer.launch({
      browser: 'firefox',
      protocol: 'webDriverBiDi',
      executablePath: firefox,
      headless: true,
      timeout: 60_000,
    });
    const { passed, failed } = await runChecks(browser, base, checks, {
      screenshotDir: SCREENSHOTS,
      timeoutMs: CHECK_TIMEOUT_MS,
    });
    console.log(`\nfirefox: ${passed} passed, ${failed} failed`);
    return failed === 0 && passed > 0 ? 0 : 1;
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    console.log(`\nfirefox: 0 passed, ${checks.length} failed`);
    return 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
  }
}

process.exitCode = await main();
