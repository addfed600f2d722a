/**
 * Find `eval` and `Function(` (hence `new Function`) in the built bundle and trace each
 * hit to the file it came from through the bundle's source map, so the test can tell
 * our code from a dependency's. Minified code has no comments, so a hit is code or a
 * string literal; the source map says which original file holds it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Hit {
  /** The bundle file (dist/assets/…). */
  bundle: string;
  /** The original source the hit maps to (as written in the map: a path relative to the bundle, e.g. into node_modules/zod/). */
  source: string;
  /** A few characters around the hit, for the report. */
  excerpt: string;
}

/** eval as an identifier (a call or `(0, eval)`), or Function called as a constructor/function. */
const pattern = /(?<![\w$.])eval(?![\w$:])|(?<![\w$.])Function\s*\(/g;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decode a source map's `mappings`: per generated line, [column, source index] segments. */
function decodeMappings(mappings: string): [number, number][][] {
  const lines: [number, number][][] = [];
  let source = 0;
  for (const line of mappings.split(';')) {
    const segments: [number, number][] = [];
    let column = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0] ?? 0;
      if (values.length >= 4) {
        source += values[1] ?? 0;
        segments.push([column, source]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** Every eval / Function( in dist/assets/*.js with the source file it maps to. */
export function scanBundle(dir: string): Hit[] {
  const hits: Hit[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(dir, name), 'utf8');
    const map = JSON.parse(readFileSync(join(dir, `${name}.map`), 'utf8')) as {
      sources: string[];
      mappings: string;
    };
    const lines = decodeMappings(map.mappings);
    code.split('\n').forEach((text, lineNo) => {
      for (const m of text.matchAll(pattern)) {
        const col = m.index;
        // The last segment starting at or before the hit covers it.
        const segs = lines[lineNo] ?? [];
        let src = -1;
        for (const [c, s] of segs) {
          if (c > col) break;
          src = s;
        }
        hits.push({
          bundle: name,
          source: map.sources[src] ?? '(unmapped)',
          excerpt: text.slice(Math.max(0, col - 40), col + 40),
        });
      }
    });
  }
  return hits;
}
