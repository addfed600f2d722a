/**
 * Hostile input (docs/reliability.md): the built page evaluates no strings as code. The bundle has no
 * `eval` / `new Function` of our own (each hit is traced to its source file through the
 * source map), and the page runs on every backend under the preview server's
 * Content-Security-Policy (no 'unsafe-eval'; 'wasm-unsafe-eval' for the wasm backend)
 * without a single violation, in the page or in the engine worker.
 */
import { dirname } from 'node:path';
import { expect, test } from '@playwright/test';
import { scanBundle } from './bundle-scan';
import { labState, plainLink, waitForSteps } from './lab';

/**
 * Dependency code that contains `eval` / `Function(` in the bundle, and why it never runs here.
 * A new entry means a dependency changed: check it before adding it.
 */
const knownDependencyHits: Record<string, string> = {
  'node_modules/zod/v4/core/util.js':
    "zod's `allowsEval` probe (`Function('')` in a try); skipped under z.config({ jitless: true }), " +
    'which the page (client/lab-client.ts) and the worker (worker/backend.ts) set',
  'node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js':
    "Emscripten's pthread worker, kept as a string; its `(0, eval)` runs only under Node worker_threads, " +
    'and threaded wasm is off (WASM_HAS_MULTITHREAD_SUPPORT = false)',
};

test('the built bundle has no eval or new Function of our own', () => {
  // DIST_ASSETS: scan another build (e.g. one made with --outDir).
  const assets = process.env.DIST_ASSETS ?? 'dist/assets';
  // The service worker and its workbox runtime sit beside index.html.
  const hits = [...scanBundle(assets), ...scanBundle(dirname(assets))];
  const ours = hits.filter((h) => !h.source.includes('node_modules/') && /(^|\/)src\//.test(h.source));
  expect(ours).toEqual([]);
  for (const h of hits) {
    const known = Object.keys(knownDependencyHits).find((k) => h.source.endsWith(k));
    expect(known, `unreviewed eval/Function in ${h.source}: …${h.excerpt}…`).toBeDefined();
  }
  console.log(
    [...new Set(hits.map((h) => h.source))].map((s) => `dependency hit (reviewed): ${s}`).join('\n'),
  );
});

// One load per backend checks both that a forced backend trains and reports itself, and that
// it runs under the Content-Security-Policy without a violation.
for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as const) {
  test(`forced ?backend=${backend} trains, reports the backend, and runs under the CSP with no violation`, async ({
    page,
  }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      // The worker logs what the CSP blocks there (worker/backend.ts); the page's own are below.
      if (m.text().includes('CSP violation')) violations.push(m.text());
    });
    await page.exposeFunction('reportCspViolation', (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { reportCspViolation(t: string): void }).reportCspViolation(
          `page: ${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`,
        ),
      );
    });
    const response = await page.goto(`/?paused=1&backend=${backend}${plainLink()}`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(csp).not.toMatch(/'unsafe-eval'/);
    await page.waitForFunction(() => window.reparamLab !== undefined);
    await page.evaluate(() => window.reparamLab?.ready);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
    expect((await labState(page)).backend).toBe(backend);
    await page.getByRole('button', { name: 'Play' }).click();
    await waitForSteps(page, 51);
    const loss = (await labState(page)).runs[0]?.loss ?? [];
    expect(loss[50]).toBeLessThan(loss[0] as number);
    // The landscape (a batched grid through the engine) has been computed and drawn too.
    await expect(
      page.locator('figure[data-space="theta"] canvas, figure[data-space="theta"] svg').first(),
    ).toBeVisible();
    expect(violations).toEqual([]);
  });
}
