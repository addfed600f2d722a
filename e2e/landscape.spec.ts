import { expect, test } from '@playwright/test';
import LZString from 'lz-string';
import { labState, openLab } from './lab';

/** The default 2-16-16-1 tanh MLP on the spiral (P = 337): its θ plot is a 2-D slice. */
const experiment = {
  version: 1,
  problem: { id: 'mlp' },
  optimizers: [
    { id: 'gd', lr: 0.5 },
    { id: 'adam', lr: 0.02 },
  ],
  steps: 30,
  seed: 1,
  // A fine grid (16,384 rows in chunks of 256) so that its progress can be seen in the caption.
  view: { stepsPerFrame: 2, grid: 128 },
};
const hash = `#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`;

test('an MLP’s θ plot is a loss slice with projected trajectories and their projection error', async ({
  page,
}, info) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openLab(page, `?backend=wasm${hash}`);
  const theta = page.locator('figure[data-space="theta"]');
  const caption = theta.locator('figcaption');
  await expect(caption).toContainText('random filter-normalized directions');
  await expect(caption).toContainText(/computing landscape \d+%/);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  const s = await labState(page);
  expect(s.step).toBe(30);
  expect(s.runs.map((r) => r.theta.length)).toEqual([31, 31]);
  expect(s.runs.every((r) => (r.loss.at(-1) ?? Infinity) < (r.loss[0] ?? 0))).toBe(true);

  // Stopped with points: the slice is refitted to the runs' principal directions, every
  // point reprojected (random directions in 337 dimensions leave ≈ 100% of each path off the plane).
  await expect(caption).toContainText(
    /The plane of the runs’ two main directions holds \d+% of their movement/,
  );
  await expect(theta.getByLabel('Slice directions')).toHaveValue('pca');
  // The heatmap's contours are drawn once the chunked grid is done (its progress gone).
  await expect(theta.locator('.contours path').first()).toBeAttached();
  await expect(caption).not.toContainText('computing landscape');
  expect(await theta.locator('.contours path').count()).toBeGreaterThan(3);
  // Each run's trajectory, one vertex per step, in slice coordinates.
  const lines = theta.locator('.trajectory path.line');
  await expect(lines).toHaveCount(2);
  for (const d of await lines.evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))) {
    expect(d.split(/[ML]/).filter(Boolean).length).toBe(31);
  }
  await expect(theta.getByText(/a \(along d₁\)/)).toBeAttached();
  // How far off the plane the paths are is stated, as a percentage.
  await expect(caption).toContainText(
    /off the plane the paths are on average (< )?\d+% as far as they moved/,
  );
  const shown = /on average (?:< )?(\d+)% as far/.exec((await caption.textContent()) ?? '');
  expect(Number(shown?.[1])).toBeLessThan(100);
  // The paths are visible: each spans more than 20 px on the plot.
  const spans = await lines.evaluateAll((ps) =>
    ps.map((p) => {
      const b = (p as SVGGraphicsElement).getBBox();
      return Math.max(b.width, b.height);
    }),
  );
  for (const px of spans) expect(px).toBeGreaterThan(20);
  await page.screenshot({ path: info.outputPath('mlp-landscape.png') });
  await page.screenshot({ path: 'test-results/screenshots/mlp-landscape.png' });

  // The choice is a view setting (kept in the link): back to random directions.
  await theta.getByLabel('Slice directions').selectOption('random');
  await expect(caption).toContainText('random filter-normalized directions');
  const after = (await labState(page)).experiment as { view: { directions?: string } };
  expect(after.view.directions).toBe('random');
  await expect(lines).toHaveCount(2);
  expect(errors).toEqual([]);
});
