/**
 * Entry points of the browser part for bench/run.ts: run it (printing its tables) when a
 * Chromium exists, and `--browser` alone, which merges its result into the last report.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { browserBench, browserPlan, chromiumPresent, type BrowserReport } from './browser';
import { printBrowser } from './browser-print';

export type BrowserPart = BrowserReport | { skipped: string };

/** Run the browser benchmark unless there is no Chromium or `--no-browser`; never throws. */
export async function browserPart(quick: boolean, log: (s?: string) => void): Promise<BrowserPart> {
  if (process.argv.includes('--no-browser')) {
    log('\nbrowser: SKIPPED (--no-browser)');
    return { skipped: '--no-browser' };
  }
  if (!chromiumPresent()) {
    log('\nbrowser: SKIPPED: no Chromium found (set CHROMIUM_PATH)');
    return { skipped: 'no Chromium found' };
  }
  try {
    const report = await browserBench(browserPlan(quick), log);
    printBrowser(report, log);
    return report;
  } catch (err) {
    const reason = `failed: ${err instanceof Error ? err.message : String(err)}`;
    log(`\nbrowser: SKIPPED (no browser figures in this report): ${reason}`);
    return { skipped: reason };
  }
}

/** `npm run bench -- --browser`: only the browser part; merged into bench/out/report.json. */
export async function browserOnly(quick: boolean, log: (s?: string) => void): Promise<void> {
  const browser = await browserPart(quick, log);
  const file = new URL('./out/report.json', import.meta.url);
  const previous: unknown = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const merged = { ...(typeof previous === 'object' && previous ? previous : {}), browser };
  mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  if ('skipped' in browser) log(`note: browser part skipped: ${browser.skipped}`);
  log('wrote bench/out/report.json (browser part merged into the last report)');
}
