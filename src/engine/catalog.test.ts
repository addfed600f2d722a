/**
 * The page's view of the engine (no tensor code in the page's bundle). The
 * catalogs — problems, maps, optimizers, the Experiment schema — import no tfjs, ml-matrix
 * or jsep, directly or through other modules (type-only imports excepted); and each
 * registry the worker uses lists exactly the catalog's entries with the same data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { problemCatalog, problemIds } from './problems/catalog';
import { problems } from './problems';
import { implementedReparams, reparamParams } from './reparam/catalog';
import { createReparam } from './reparam';
import { optimizerCatalog } from './optimizers/catalog';
import { optimizers } from './optimizers';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module reached from `file` through value imports (relative ones followed; packages listed). */
function valueImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  // `import … from '…'` and `export … from '…'`, except `import type` / `export type`.
  for (const m of code.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)';/gms)) {
    const spec = m[1] as string;
    if (!spec.startsWith('.')) seen.add(spec);
    else {
      const base = resolve(dirname(file), spec);
      valueImports(existsSync(`${base}.ts`) ? `${base}.ts` : join(base, 'index.ts'), seen);
    }
  }
  for (const m of code.matchAll(/^import\s+'([^']+)';/gm)) seen.add(m[1] as string);
  return seen;
}

/** tfjs and the engine's tensor entry, the float64 algebra, the expression parser. */
const heavyModule = /@tensorflow|ml-matrix|jsep|[/\\]engine[/\\](tf|ops)\.ts$|[/\\]linalg[/\\]/;

describe('engine catalogs for the page', () => {
  for (const entry of [
    'page.ts',
    'schema.ts',
    'problems/catalog.ts',
    'reparam/catalog.ts',
    'optimizers/catalog.ts',
  ]) {
    it(`${entry} reaches no tensor or dense-algebra code`, () => {
      const reached = [...valueImports(join(here, entry))];
      const heavy = reached.filter((m) => heavyModule.test(m));
      expect(heavy).toEqual([]);
    });
  }

  it('index.ts (the worker’s and the command line’s entry) leaves out the Node set-up: no full @tensorflow/tfjs in the worker bundle', () => {
    const reached = [...valueImports(join(here, 'index.ts'))];
    expect(reached.some((m) => m.endsWith('setup-node.ts'))).toBe(false);
    expect(reached).not.toContain('@tensorflow/tfjs');
    expect(reached.some((m) => m.startsWith('@tensorflow/tfjs-core'))).toBe(true);
  });

  it('the import scan finds tensor code where there is some (the registries)', () => {
    for (const entry of ['problems/index.ts', 'reparam/index.ts', 'optimizers/gd.ts']) {
      expect([...valueImports(join(here, entry))].some((m) => heavyModule.test(m))).toBe(true);
    }
  });

  it('the problem registry has the catalog ids, labels and schemas', () => {
    expect(Object.keys(problems)).toEqual(problemIds);
    for (const id of problemIds) {
      expect(problems[id].label).toBe(problemCatalog[id].label);
      expect(problems[id].params).toBe(problemCatalog[id].params);
    }
  });

  it('every catalogued map builds through the registry', () => {
    const ids = implementedReparams();
    expect(ids).toEqual(Object.keys(reparamParams));
    const params: Record<string, Record<string, unknown>> = {
      linear: {
        matrix: [
          [2, 0],
          [0, 1],
        ],
      },
      custom: { expr: ['p1', 'p2'] },
    };
    for (const id of ids) {
      if (id === 'relu-rescale' || id === 'layer-scale' || id === 'weight-norm') continue; // need layers
      const map = createReparam({ id, ...(params[id] ?? {}) }, 2, 0, null);
      expect(map.id).toBe(id);
    }
  });

  it('the optimizer registry has the catalog ids, labels, hyper-parameters and defaults', () => {
    expect(Object.keys(optimizers).sort()).toEqual(Object.keys(optimizerCatalog).sort());
    for (const info of Object.values(optimizerCatalog)) {
      const def = optimizers[info.id];
      expect({ id: def?.id, label: def?.label, uses: def?.uses, defaults: def?.defaults }).toEqual(info);
    }
  });
});
