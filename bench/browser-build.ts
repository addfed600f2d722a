/**
 * The browser benchmark's page: build it when the sources are newer than the build
 * (VITE_OUT_DIR, default dist), measure its JavaScript (raw and gzip, per chunk), and serve
 * it with `vite preview` on a port of its own (BENCH_PORT, else E2E_PORT, else a free one).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { freePort, portFree, waitForHttp } from './serve';

const root = new URL('..', import.meta.url).pathname;
export const outDir = process.env.VITE_OUT_DIR ?? 'dist';

/** Newest modification time (ms) of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    t = Math.max(t, name.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build unless the build is newer than src/, index.html and vite.config.ts; says whether it built. */
export function ensureBuild(): boolean {
  const built = join(root, outDir, 'index.html');
  const sources = Math.max(
    newest(join(root, 'src')),
    statSync(join(root, 'index.html')).mtimeMs,
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(built) && statSync(built).mtimeMs > sources) return false;
  const r = spawnSync('npx', ['vite', 'build'], {
    cwd: root,
    env: { ...process.env, VITE_OUT_DIR: outDir },
    stdio: 'pipe',
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stderr || r.stdout}`);
  return true;
}

/** One built JavaScript chunk. */
export interface ChunkSize {
  file: string;
  kind: 'main' | 'worker' | 'other';
  /** Bytes as served. */
  raw: number;
  /** Bytes after gzip (zlib, default level), as a server with compression would send them. */
  gzip: number;
}

/** Every .js chunk of the build: main = the page entry (index-*.js), worker = the engine worker. */
export function bundleSizes(): ChunkSize[] {
  const dir = join(root, outDir, 'assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const code = readFileSync(join(dir, file));
      const kind = file.startsWith('index-') ? 'main' : file.startsWith('worker-') ? 'worker' : 'other';
      return { file, kind, raw: code.length, gzip: gzipSync(code).length } as const;
    })
    .sort((a, b) => a.kind.localeCompare(b.kind) || b.raw - a.raw);
}

/** A running `vite preview` of the build. */
export interface Preview {
  url: string;
  /** How long the server took to answer (ms). */
  startMs: number;
  stop(): void;
}

/** The wait for `vite preview` to answer: BENCH_PREVIEW_TIMEOUT_MS, else 120 s (a loaded machine is slow). */
export const previewTimeoutMs = (): number => Number(process.env.BENCH_PREVIEW_TIMEOUT_MS ?? 120_000);

/**
 * Serve the build on BENCH_PORT (else E2E_PORT) if one is given (and free), else on a free
 * port the OS picks; resolves once the server answers, rejects (with the server's last output) if
 * it exits or does not answer within previewTimeoutMs(). A picked port that another
 * process takes in between (the server exits) is replaced by a new one, up to 3 times.
 */
export async function startPreview(): Promise<Preview> {
  const fixed = process.env.BENCH_PORT ?? process.env.E2E_PORT;
  const attempts = fixed ? 1 : 3;
  let failure = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = fixed ? Number(fixed) : await freePort();
    // Something else answering on a fixed port would pass for the preview: refuse it first.
    if (fixed && !(await portFree(port)))
      throw new Error(`vite preview cannot start: port ${port} (BENCH_PORT or E2E_PORT) is in use`);
    const r = await tryPreview(port, previewTimeoutMs());
    if ('url' in r) return r;
    failure = r.failure;
    // Only a server that exited (e.g. the port was taken) is worth a new port; a timeout is not.
    if (!r.exited) break;
  }
  throw new Error(failure);
}

async function tryPreview(
  port: number,
  timeoutMs: number,
): Promise<Preview | { failure: string; exited: boolean }> {
  const url = `http://127.0.0.1:${port}`;
  // node + vite's own bin (not npx): one process less to start on a loaded machine.
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(root, 'node_modules/vite/bin/vite.js'),
      'preview',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--strictPort',
    ],
    {
      cwd: root,
      env: { ...process.env, VITE_OUT_DIR: outDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError = '';
  child.on('error', (err) => (spawnError = String(err)));
  // Its own process group, so stop() ends vite and anything under it, and nothing else.
  const stop = (): void => {
    if (child.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  const exited = (): string | null =>
    spawnError ||
    (child.exitCode !== null || child.signalCode !== null
      ? `vite preview exited (${child.exitCode ?? child.signalCode}) on port ${port}`
      : null);
  const r = await waitForHttp(url, { timeoutMs, gone: exited });
  if (r.ok) return { url, startMs: r.ms, stop };
  stop();
  const tail = output.trim().split('\n').slice(-5).join('\n');
  return {
    failure: `vite preview did not answer on ${url}: ${r.reason}${tail ? `\n${tail}` : ''}`,
    exited: exited() !== null,
  };
}
