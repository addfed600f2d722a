import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import LZString from 'lz-string';
import { openLab } from './lab';

const experiment = {
  version: 1,
  problem: { id: 'tiny-net' },
  reparam: { id: 'cubic', a: 0.3 },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
  ],
  steps: 20,
};

async function downloadText(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

test('exports produce files that parse: SVG, PNG, CSV and JSON', async ({ page }) => {
  await openLab(
    page,
    `?backend=wasm#e=${LZString.compressToEncodedURIComponent(JSON.stringify(experiment))}`,
  );
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.reparamLab?.progress().playState === 'done');
  await page.waitForFunction(
    () => document.querySelectorAll('figure[data-space="theta"] .contours path').length > 0,
  );

  const svg = await downloadText(page, () =>
    page.getByRole('button', { name: 'Download landscape-theta as SVG' }).click(),
  );
  expect(svg.name).toBe('landscape-theta.svg');
  const parsed = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror') !== null,
      paths: doc.querySelectorAll('.trajectory path.line').length,
      image: doc.querySelector('image') !== null,
    };
  }, svg.bytes.toString('utf8'));
  expect(parsed).toEqual({ error: false, paths: 4, image: true });

  const png = await downloadText(page, () =>
    page.getByRole('button', { name: 'Download loss as PNG' }).click(),
  );
  expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.bytes.length).toBeGreaterThan(1000);

  const csv = await downloadText(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
  const lines = csv.bytes.toString('utf8').trim().split('\n');
  expect(lines[0]).toBe('run,optimizer,space,step,theta0,theta1,loss');
  expect(lines).toHaveLength(1 + 4 * 21);
  expect(
    lines.slice(1).every((l) =>
      l
        .split(',')
        .slice(3)
        .every((v) => Number.isFinite(Number(v))),
    ),
  ).toBe(true);

  const json = await downloadText(page, () => page.getByRole('button', { name: 'Export JSON' }).click());
  const result = JSON.parse(json.bytes.toString('utf8')) as {
    experiment: { problem: { id: string } };
    runs: { id: string; theta: number[][] }[];
    defects: { optimizer: number; parameter: number }[];
  };
  expect(result.experiment.problem.id).toBe('tiny-net');
  expect(result.runs.map((r) => r.id)).toEqual(['gd-0-theta', 'gd-0-phi', 'ngd-1-theta', 'ngd-1-phi']);
  expect(result.runs.every((r) => r.theta.length === 21)).toBe(true);
  expect(result.defects).toHaveLength(2);
});
