/**
 * Restore time after a worker fault, in the browser (docs/reliability.md): paired runs play
 * on wasm, the worker is crashed through the `reparamLab.debug.crashWorker` hook, and the
 * page's own recovery record gives the milliseconds from the fault to the restored runs.
 * The target (≤ 2 s) is checked here, not in the browser tests, which only bound a hang.
 */
import type { Browser } from '@playwright/test';
import LZString from 'lz-string';
import { freshPage } from './browser-page';

/** Paired runs through σ = e^s, long enough to be interrupted mid-way (as e2e/reliability.spec.ts). */
const paired = `#e=${LZString.compressToEncodedURIComponent(
  JSON.stringify({
    version: 1,
    problem: { id: 'gaussian-fit' },
    reparam: { id: 'exp', coords: [1] },
    optimizers: [
      { id: 'gd', lr: 0.02 },
      { id: 'adam', lr: 0.02 },
    ],
    steps: 3000,
    seed: 5,
    init: [-1, 2],
  }),
)}`;

export interface RestoreTime {
  /** The step restored to and the milliseconds the page recorded for the restore. */
  step: number;
  ms: number;
  /** The checkpoint step the new worker continued from, or null (replayed from step 0). */
  checkpoint: number | null;
}

/** Crash the worker of a fresh page once it has played `atStep` steps; the page's recovery record. */
export async function restoreTime(browser: Browser, base: string, atStep = 200): Promise<RestoreTime> {
  const { page, close } = await freshPage(browser);
  try {
    await page.goto(`${base}/?backend=wasm${paired}`);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    await page.waitForFunction((n) => (window.reparamLab?.state().step ?? 0) >= n, atStep, {
      timeout: 60_000,
    });
    await page.evaluate(() => window.reparamLab?.debug?.crashWorker());
    const handle = await page.waitForFunction(() => window.reparamLab?.debug?.recoveries()[0] ?? null, null, {
      timeout: 60_000,
    });
    const r = (await handle.jsonValue()) as { step: number; ms: number; checkpoint: number | null };
    return { step: r.step, ms: r.ms, checkpoint: r.checkpoint };
  } finally {
    await close();
  }
}
