/**
 * A plain static file server for the browser tests, as a course page or GitHub Pages would
 * serve the built lab: files from a folder under a sub-path, a content type by extension,
 * no special headers (no CSP, no COOP/COEP), a redirect to add a directory's trailing slash.
 * `swScript` replaces what `sw.js` serves, to simulate a new version or a broken worker.
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface StaticServer {
  /** The lab's address: origin plus the sub-path, percent-encoded, with a trailing slash. */
  url: string;
  /** Every request path that was answered 404 (decoded). */
  notFound: string[];
  /** Every request path served (decoded). */
  served: string[];
  /** Serve this text as sw.js, or 404 it (null), instead of the built file (undefined). */
  swScript: string | null | undefined;
  close(): Promise<void>;
}

/** Serve `root` under `prefix` (decoded, e.g. "/courses/opt lab/λ/") on 127.0.0.1:`port`. */
export async function serveStatic(root: string, prefix: string, port: number): Promise<StaticServer> {
  const base = normalize(root);
  const state: StaticServer = {
    url: `http://127.0.0.1:${port}${encodeURI(prefix)}`,
    notFound: [],
    served: [],
    swScript: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const missing = (): void => {
        state.notFound.push(path);
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      };
      if (path === prefix.slice(0, -1)) {
        res.writeHead(301, { Location: encodeURI(prefix) }).end();
        return;
      }
      if (!path.startsWith(prefix)) return missing();
      const rel = path.slice(prefix.length) || 'index.html';
      if (rel === 'sw.js' && state.swScript !== undefined) {
        if (state.swScript === null) return missing();
        state.served.push(path);
        res.writeHead(200, { 'Content-Type': types['.js'] as string }).end(state.swScript);
        return;
      }
      const file = normalize(join(base, rel.endsWith('/') ? `${rel}index.html` : rel));
      if (!file.startsWith(base + sep)) return missing();
      try {
        if (!(await stat(file)).isFile()) return missing();
        const body = await readFile(file);
        state.served.push(path);
        res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        missing();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // close() must not wait on a browser's idle keep-alive sockets.
  const close = state.close;
  state.close = () => {
    server.closeAllConnections();
    return close();
  };
  return state;
}
