/** Console tables of the browser benchmark (bench/browser.ts), with the targets of docs/performance.md. */
import { browserTargets, type BrowserReport } from './browser';
import { fmt, passFail, table } from './table';
import { median } from './stats';

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

export function printBrowser(r: BrowserReport, log: (s?: string) => void): void {
  log(`\nBrowser: headless Chromium ${r.version}; page from vite preview of ${r.outDir}/`);
  log(`    WebGPU adapter: ${r.gpu.webgpu}; WebGL2: ${r.gpu.webgl} (${r.gpu.renderer || 'no renderer'})`);
  log(
    `    load average ${r.load.before.toFixed(1)} → ${r.load.after.toFixed(1)} on ${r.load.cores} cores` +
      (r.load.before > r.load.cores ? ' (busy machine: timings pessimistic and noisy)' : ''),
  );

  log('\n(e) gd on the 2-16-16-1 tanh MLP, N = 256, in the page worker (reparamLab.debug.bench)');
  const runs = [...new Set(r.throughput.flatMap((t) => t.rows.map((x) => x.runs)))].sort((a, b) => a - b);
  log(
    table(
      [
        'backend',
        'kind',
        ...runs.map((R) => `${R} run${R > 1 ? 's' : ''}`),
        ...runs.slice(1).map((R) => `${R}/1`),
      ],
      r.throughput.map((t) => {
        const at = (R: number): number => t.rows.find((x) => x.runs === R)?.runStepsPerSec ?? Number.NaN;
        return [
          t.backend,
          t.kind,
          ...runs.map((R) => (t.rows.length ? fmt(at(R)) : '-')),
          ...runs.slice(1).map((R) => (t.rows.length ? `${fmt(at(R) / at(1))}×` : '-')),
        ];
      }),
    ),
  );
  log('    run-steps/s, median over rounds; software = SwiftShader, not a real GPU');
  for (const t of r.throughput) if (t.note) log(`    ${t.backend}: ${t.note}`);
  const digits = r.throughput.find((t) => t.backend === 'wasm')?.digits;
  if (digits?.sliceMs.length) {
    const slice = median(digits.sliceMs) / 1000;
    log(
      `    digits (64-32-10, N = 1,500) on wasm in the page: 64 × 64 slice grid ${fmt(slice)} s ` +
        `(median of ${digits.sliceMs.length}), target ≤ 1 s — ${passFail(slice <= 1)}; ` +
        `one gd step ${fmt(median(digits.stepMs))} ms (median of ${digits.stepMs.length})`,
    );
  }
  log(`    automatic choice: ${r.autoChoice.reason ?? r.autoChoice.backend ?? '?'}`);

  const f = r.frames;
  log(`\n(f) the page while 16 gd runs of the MLP train (${f.windows.length} windows)`);
  log(
    table(
      ['measure', 'median', 'per window', 'target', 'result'],
      [
        [
          'frames/s',
          fmt(f.fps),
          f.windows.map((w) => fmt(w.fps)).join(' '),
          `≥ ${browserTargets.fps}`,
          passFail(f.fps >= browserTargets.fps),
        ],
        [
          'long tasks > 50 ms',
          fmt(f.longTasks),
          f.windows.map((w) => String(w.longTasks.length)).join(' '),
          'none',
          passFail(f.windows.every((w) => w.longTasks.length === 0)),
        ],
        ['steps/s', fmt(median(f.windows.map((w) => w.steps / w.seconds))), '', '', ''],
      ],
    ),
  );
  if (f.maxLongTaskMs > 0) log(`    longest long task ${fmt(f.maxLongTaskMs)} ms`);

  log("\n(f') scenes playing at their own speed on wasm: normal at 1280×720, presentation at 1920×1080");
  log(
    table(
      ['scene', 'mode', 'frames/s', 'longest frame ms', 'p95 ms', 'frames > 50 ms', 'steps', 'result'],
      r.scenes.runs.map((s) => [
        s.scene,
        s.mode,
        fmt(s.fps),
        fmt(s.maxFrameMs),
        fmt(s.p95FrameMs),
        String(s.slowFrames),
        String(s.steps),
        passFail(s.fps >= browserTargets.fps && s.maxFrameMs <= browserTargets.frameMs),
      ]),
    ),
  );

  const s = r.startup;
  log('\n(g) start-up: navigation → first trajectory drawn (performance mark), fresh context per load');
  log(
    table(
      ['backend', 'median ms', 'loads', 'target', 'result'],
      [
        [
          '?backend=wasm',
          fmt(s.medianMs),
          s.wasm.map((l) => fmt(l.firstTrajectoryMs)).join(' '),
          `≤ ${browserTargets.startupMs}`,
          passFail(s.pass),
        ],
        ['automatic', fmt(s.autoMedianMs), s.auto.map((l) => fmt(l.firstTrajectoryMs)).join(' '), '', ''],
      ],
    ),
  );

  const rs = r.restore;
  log("\n(g2) restore after a worker crash at step 200 (paired runs on wasm): the page's recovery record");
  log(
    table(
      ['median ms', 'loads (ms, from checkpoint)', 'target', 'result'],
      [
        [
          fmt(rs.medianMs),
          rs.loads.map((l) => `${fmt(l.ms)} (${l.checkpoint ?? 'replay'})`).join(' '),
          `≤ ${browserTargets.restoreMs}`,
          passFail(rs.pass),
        ],
      ],
    ),
  );

  log('\n(h) built JavaScript (gzip: zlib default level)');
  log(
    table(
      ['chunk', 'file', 'raw', 'gzip'],
      r.bundle.map((c) => [c.kind, c.file, kb(c.raw), kb(c.gzip)]),
    ),
  );
}
