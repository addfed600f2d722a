/** Page helpers for the browser tests: wait on the automation handle, never on sleeps. */
import type { Page } from '@playwright/test';
import type { AutomationState } from '../src/client/automation';

export async function openLab(page: Page, query = ''): Promise<void> {
  await page.goto(`/${query}`);
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
      const s = window.reparamLab?.state();
      return !!s && s.runs.length > 0 && s.runs.every((r) => r.theta.length >= k);
    },
    n,
    { timeout },
  );
}
