/**
 * The browser benchmark's page: build it when the sources are newer than the build
 * (VITE_OUT_DIR, default dist), measure its JavaScript (raw and gzip, per chunk), and serve
 * it with `vite preview` on a port of its own (BENCH_PORT, else E2E_PORT, else 4190).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

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
  stop(): void;
}

/** Serve the build; resolves once the server answers (or rejects after 30 s). */
export async function startPreview(): Promise<Preview> {
  const port = Number(process.env.BENCH_PORT ?? process.env.E2E_PORT ?? 4190);
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: root, env: { ...process.env, VITE_OUT_DIR: outDir }, stdio: 'ignore', detached: true },
  );
  // Its own process group, so stop() ends npx and the vite under it, and nothing else.
  const stop = (): void => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  const until = Date.now() + 30_000;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`vite preview exited (${child.exitCode}); is port ${port} free?`);
    try {
      if ((await fetch(url)).ok) return { url, stop };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  stop();
  throw new Error(`vite preview did not answer on ${url}`);
}
