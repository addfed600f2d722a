/**
 * The Firefox smoke set: what a visitor does first, on the backend the page picks by itself.
 * Each check also fails on any uncaught error, console error, failed request, CSP violation
 * or error message of the lab (harness.ts).
 */
import type { Page } from 'puppeteer-core';
import type { AutomationState } from '../../src/client/automation';
import type { Experiment, ExperimentInput } from '../../src/engine/schema';
import { scenes } from '../../src/state/scenes';
import { experimentHash } from '../../src/link/url';
import {
  clickButton,
  expect,
  playFastest,
  labState,
  openLab,
  pressShortcut,
  waitForDone,
  waitForMessage,
  waitForSteps,
  waitUntil,
  type Check,
} from './harness';

const BACKENDS = ['cpu', 'wasm', 'webgl', 'webgpu'];

type Defects = AutomationState['defects'];
const defect = (d: Defects, i: number): number => d.find((x) => x.optimizer === i)?.parameter ?? NaN;

/** Vertices of an SVG path's `d` (M/L commands, as d3's line draws them). */
const vertices = (d: string | null): number => (d ?? '').split(/[ML]/).filter(Boolean).length;

/** Every path's `d` under `selector`. */
const pathData = (page: Page, selector: string): Promise<(string | null)[]> =>
  page.$$eval(selector, (ps) => ps.map((p) => p.getAttribute('d')));

/** The θ plot's heatmap canvas: the share of painted pixels and how many distinct colours. */
function heatmapPixels(page: Page): Promise<{ painted: number; colours: number; width: number } | null> {
  return page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('figure[data-space="theta"] canvas');
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || canvas.width === 0 || canvas.height === 0) return null;
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    const colours = new Set<number>();
    for (let i = 0; i < data.length; i += 4) {
      if ((data[i + 3] ?? 0) > 0) painted++;
      colours.add(
        (((data[i] ?? 0) >> 3) << 10) | (((data[i + 1] ?? 0) >> 3) << 5) | ((data[i + 2] ?? 0) >> 3),
      );
    }
    return { painted: painted / (data.length / 4), colours: colours.size, width: canvas.width };
  });
}

/** The shared-link experiment of e2e/sharing.spec.ts: σ = e^s, GD beside NGD. */
const shared: ExperimentInput = {
  version: 1,
  problem: { id: 'gaussian-fit' },
  reparam: { id: 'exp', coords: [1] },
  optimizers: [
    { id: 'gd', lr: 0.05 },
    { id: 'ngd', lr: 0.05 },
  ],
  steps: 60,
  seed: 3,
  init: [-1, 2],
  view: { stepsPerFrame: 4 },
};

export const checks: readonly Check[] = [
  {
    name: 'trains on the automatically chosen backend and draws the landscape',
    async run({ base, newPage, screenshot, note }) {
      const page = await newPage();
      await openLab(page, base);
      await waitUntil(page, () => !!document.querySelector('[data-testid="backend"][data-backend]'), []);
      const { backend, backendChoice } = await labState(page);
      expect(backendChoice?.requested === 'auto', `requested ${backendChoice?.requested}, not auto`);
      const all = backendChoice?.measurements ?? [];
      expect(
        JSON.stringify(all.map((m) => m.backend).sort()) === JSON.stringify(BACKENDS),
        `every backend accounted for, got ${all.map((m) => m.backend).join(', ')}`,
      );
      for (const m of all) {
        if (m.status === 'measured')
          expect((m.msPerStep ?? 0) > 0, `${m.backend}: measured ${m.msPerStep} ms`);
        else expect(!!m.note, `${m.backend} ${m.status} without a reason`);
      }
      const measured = all.filter((m) => m.status === 'measured');
      expect(measured.length >= 1, 'no backend measured');
      const fastest = measured.reduce((a, b) =>
        (b.msPerStep ?? Infinity) < (a.msPerStep ?? Infinity) ? b : a,
      );
      expect(backend === fastest.backend, `chose ${backend}, fastest measured ${fastest.backend}`);
      const badge = await page.$eval('[data-testid="backend"]', (b) => ({
        backend: b.getAttribute('data-backend'),
        title: b.getAttribute('title') ?? '',
      }));
      expect(badge.backend === backend, `badge says ${badge.backend}, state ${backend}`);
      expect(badge.title.includes(`${backend} chosen`), `badge title "${badge.title}"`);
      note(
        `backend ${backend}; ` +
          all
            .map((m) =>
              m.status === 'measured' ? `${m.backend} ${m.msPerStep} ms/step` : `${m.backend}: ${m.note}`,
            )
            .join('; '),
      );

      // The first view is scene 1 (8 steps/s): at the fastest speed its 51 steps take no 6 s.
      await playFastest(page);
      await clickButton(page, 'Play');
      await waitForSteps(page, 51);
      const run = (await labState(page)).runs[0];
      expect(run?.space === 'theta' && run.status === 'ok', `first run ${run?.space} ${run?.status}`);
      const loss = run?.loss ?? [];
      const first = loss[0] ?? NaN;
      const last = loss.at(-1) ?? NaN;
      expect(last < first - 0.1, `loss ${first} → ${last} did not fall by 0.1`);

      // The θ plot: heatmap on its canvas, contour paths, the trajectory with a vertex per point.
      const heat = await heatmapPixels(page);
      expect(heat !== null, 'no heatmap canvas with a 2-D context');
      expect(heat.painted > 0.5, `heatmap paints ${(heat.painted * 100).toFixed(0)}% of its canvas`);
      expect(heat.colours > 20, `heatmap has ${heat.colours} colours`);
      const contours = await pathData(page, 'figure[data-space="theta"] .contours path');
      expect(contours.filter((d) => vertices(d) > 2).length > 3, `${contours.length} contour paths`);
      await waitUntil(
        page,
        () =>
          (
            document.querySelector('figure[data-space="theta"] .trajectory path.line')?.getAttribute('d') ??
            ''
          )
            .split(/[ML]/)
            .filter(Boolean).length >= 50,
        [],
      );
      // The first view is scene 1: every run (θ and φ) has its trajectory in the θ plot.
      const lines = await pathData(page, 'figure[data-space="theta"] .trajectory path.line');
      const runs = (await labState(page)).runs.length;
      expect(lines.length === runs, `${lines.length} trajectories for ${runs} runs`);
      const lossLines = await pathData(page, '.plot.loss path.loss-line');
      expect(
        lossLines.some((d) => vertices(d) >= 50),
        'the loss plot has no line of 50 points',
      );
      note(`heatmap ${heat.width} px wide, ${heat.colours} colours; ${contours.length} contour paths`);
      await screenshot(page, 'lab');
    },
  },
  {
    name: '?backend=webgl trains on WebGL, or says why not and which backend it uses instead',
    async run({ base, newPage, note }) {
      const page = await newPage();
      await openLab(page, base, '?backend=webgl');
      const { backend, backendChoice } = await labState(page);
      expect(backendChoice?.requested === 'webgl', `requested ${backendChoice?.requested}`);
      expect(backend !== null && BACKENDS.includes(backend), `backend ${backend}`);
      const title = await page.$eval('[data-testid="backend"]', (b) => b.getAttribute('title') ?? '');
      if (backend !== 'webgl') {
        // The badge's tooltip names the request, why WebGL was not used, and the fallback.
        expect(title.includes(`${backend} (requested: webgl)`), `badge title "${title}"`);
        expect(/webgl: \S/.test(title), `badge title gives no reason for webgl: "${title}"`);
        expect(title.includes(`webgl not available; using ${backend}`), `badge title "${title}"`);
      }
      note(`backend ${backend}: ${title.replace(/\n/g, ' · ')}`);
      await clickButton(page, 'Play');
      await waitForSteps(page, 21);
      const loss = (await labState(page)).runs[0]?.loss ?? [];
      expect((loss[20] ?? NaN) < (loss[0] ?? NaN), `loss ${loss[0]} → ${loss[20]} did not fall`);
    },
  },
  {
    name: 'a shared link restores the experiment; σ = e^s: the NGD pair coincides, the GD pair drifts',
    async run({ base, newPage, screenshot, note }) {
      const page = await newPage();
      await openLab(page, base, experimentHash(shared));
      const s0 = await labState(page);
      const e0 = s0.experiment as Experiment;
      expect(
        e0.problem.id === 'gaussian-fit' && e0.reparam.id === 'exp' && e0.seed === 3 && e0.steps === 60,
        `restored ${JSON.stringify(e0).slice(0, 200)}`,
      );
      const ids = s0.runs.map((r) => r.id).join(',');
      expect(ids === 'gd-0-theta,gd-0-phi,ngd-1-theta,ngd-1-phi', `runs ${ids}`);
      await clickButton(page, 'Play');
      await waitForDone(page);
      const s = await labState(page);
      const gd = defect(s.defects, 0);
      const ngd = defect(s.defects, 1);
      expect(gd > 0.05, `GD defect ${gd} should exceed 0.05`);
      expect(ngd < 0.02 && ngd < gd / 5, `NGD defect ${ngd} should be < 0.02 and < GD/5`);
      note(`defects D_K: gd ${gd.toPrecision(3)}, ngd ${ngd.toPrecision(3)} (backend ${s.backend})`);
      // θ plot: all four runs (φ runs dashed); φ plot: the two φ runs.
      const theta = await pathData(page, 'figure[data-space="theta"] .trajectory path.line');
      const phi = await pathData(page, 'figure[data-space="phi"] .trajectory path.line');
      expect(theta.length === 4 && phi.length === 2, `${theta.length} θ and ${phi.length} φ trajectories`);
      expect(
        [...theta, ...phi].every((d) => vertices(d) === 61),
        'each trajectory should have 61 vertices',
      );
      const dash = await page.$eval(
        'figure[data-space="theta"] .trajectory[data-run="gd-0-phi"] path.line',
        (p) => p.getAttribute('stroke-dasharray') ?? '',
      );
      expect(/\d/.test(dash), `the φ run in θ space is not dashed ("${dash}")`);
      const rows = await page.$$eval('.defect-table tr', (trs) => trs.map((t) => t.textContent ?? ''));
      expect(
        rows.some((r) => r.includes('ngd #1') && r.includes('coincide')),
        'defect table: ngd #1 coincide',
      );
      expect(
        rows.some((r) => /\bgd #0/.test(r) && r.includes('drift apart')),
        'defect table: gd #0 drift apart',
      );
      await screenshot(page, 'shared-link');
      // Copy link: Firefox allows the clipboard after a real click; else the page shows the link.
      await clickButton(page, 'Copy link');
      const shown = await waitForMessage(page, /Link copied|clipboard is not available/);
      note(`Copy link: “${shown.replace(/×$/, '').slice(0, 60)}”`);
    },
  },
  {
    name: 'a network on wasm: its θ plot is a loss slice (the fused WebAssembly kernel)',
    async run({ base, newPage, screenshot, note }) {
      const page = await newPage();
      // The 2-16-16-1 MLP: 1,024 points through engine/landscape/plane-kernel.ts. Small: in
      // Firefox 140 the engine worker's thread often runs floating point ~50× slower
      // (docs/performance.md, "Firefox 140: the engine worker's floating point").
      const mlp: ExperimentInput = {
        version: 1,
        problem: { id: 'mlp' },
        optimizers: [{ id: 'gd', lr: 0.5 }],
        steps: 10,
        seed: 1,
        view: { grid: 32 },
      };
      await openLab(page, base, `?backend=wasm${experimentHash(mlp as Experiment)}`);
      expect((await labState(page)).backend === 'wasm', 'not on wasm');
      const t0 = Date.now();
      await waitUntil(page, () => {
        const caption = document.querySelector('figure[data-space="theta"] figcaption')?.textContent ?? '';
        return (
          caption.includes('random filter-normalized directions') &&
          !caption.includes('computing landscape') &&
          document.querySelectorAll('figure[data-space="theta"] .contours path').length > 3
        );
      }, []);
      const heat = await heatmapPixels(page);
      expect(!!heat && heat.painted > 0.5 && heat.colours > 20, `heatmap ${JSON.stringify(heat)}`);
      note(`32×32 slice drawn ${Date.now() - t0} ms after ready; heatmap ${heat?.colours} colours`);
      await screenshot(page, 'mlp-slice');
    },
  },
  {
    name: 'scene 1 by its key and space to play; its address reopens it in a fresh browser',
    async run({ base, newPage, screenshot, note }) {
      const scene = scenes[0];
      expect(scene !== undefined, 'no scenes');
      const page = await newPage();
      await openLab(page, base);
      await pressShortcut(page, '1');
      await page.waitForSelector(`.scene-caption[data-scene="${scene.id}"]`, { visible: true });
      const picked = await page.$eval('select[aria-label="Scene"]', (s) => (s as HTMLSelectElement).value);
      expect(picked === scene.id, `scene menu shows "${picked}"`);
      // Its 80 steps at the scene's own 8 steps/s would take 10 s; the checks are about the end state.
      await playFastest(page);
      await pressShortcut(page, ' ');
      await waitForDone(page);
      const s = await labState(page);
      expect(
        s.runs.every((r) => r.status === 'ok'),
        'a run diverged',
      );
      // The caption's claim (naturality square): NGD's defect is under a fifth of GD's.
      const gd = defect(s.defects, 0);
      const ngd = defect(s.defects, 1);
      expect(ngd < gd / 5, `NGD defect ${ngd} not < GD ${gd} / 5`);
      note(`${scene.title}: D_K gd ${gd.toPrecision(3)}, ngd ${ngd.toPrecision(3)}`);
      await screenshot(page, 'scene-1');

      // The address bar carries the scene; opened in a new context (no saved state) it is the same scene.
      const hash = experimentHash(s.experiment as Experiment);
      await waitUntil(page, (h: string) => window.location.hash === h, [hash]);
      const address = await page.evaluate(() => window.location.href);
      const other = await newPage();
      await openLab(other, base, address.slice(base.length + 1));
      const reopened = await labState(other);
      expect(
        JSON.stringify(reopened.experiment) === JSON.stringify(s.experiment),
        `the reopened address gives another experiment: ${JSON.stringify(reopened.experiment)} vs ${JSON.stringify(s.experiment)}`,
      );
      await other.waitForSelector(`.scene-caption[data-scene="${scene.id}"]`, { visible: true });
    },
  },
];
