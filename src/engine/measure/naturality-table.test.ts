/**
 * The live naturality table on tiny-net (docs/theory.md §3): for gd, adam, ngd and diag-fisher
 * under a rotation, a signed permutation, a diagonal scaling and a general invertible map,
 * the measured D_K after 50 steps agrees with the table's expected mark in every cell.
 */
import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { parseExperiment, type Experiment, type ExperimentInput } from '../schema';
import { createReparam } from '../reparam';
import { EQUIVARIANT_BELOW, mapClassEntry, naturalityTable } from './naturality-table';
import { expectedEquivariant, mapClasses } from './naturalizer';

function experiment(input: Partial<ExperimentInput> = {}): Experiment {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: 'tiny-net' },
    optimizers: [
      { id: 'gd', lr: 0.05 },
      { id: 'adam', lr: 0.05 },
      { id: 'ngd', lr: 0.05 },
      { id: 'diag-fisher', lr: 0.05 },
    ],
    init: [0.4, 0.6],
    ...input,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.experiment;
}

describe('naturality table (docs/theory.md §3)', () => {
  it('on tiny-net the measured marks of gd, adam, ngd, diag-fisher agree with the expected ones', async () => {
    const table = await naturalityTable(experiment(), { steps: 50 });
    if (!table) throw new Error('not cancelled, so there must be a table');
    expect(table.cells).toHaveLength(4 * mapClasses.length);
    const lines: string[] = [];
    for (const c of table.cells) {
      const label = `optimizer ${c.optimizer} under ${c.map}: D_K = ${c.defect}`;
      lines.push(label);
      expect(c.expected, label).not.toBeNull();
      expect(c.agrees, label).toBe(true);
      if (c.measured) expect(c.defect, label).toBeLessThan(EQUIVARIANT_BELOW);
      // Not equivariant: far from round-off, not a borderline call.
      else expect(c.defect, label).toBeGreaterThan(1e-2);
    }
    const at = (i: number, map: string) => table.cells.find((c) => c.optimizer === i && c.map === map);
    expect(at(2, 'general')?.measured).toBe(true);
    expect(at(0, 'diagonal')?.measured).toBe(false);
    expect(at(1, 'rotation')?.measured).toBe(false);
    expect(at(3, 'diagonal')?.measured).toBe(true);
  });

  it('expected marks follow the damping and CG rows of the table', () => {
    const lm = { id: 'ngd', damping: { type: 'lm', value: 1e-3 } } as const;
    const tr = { id: 'ngd', damping: { type: 'trust-region', value: 1e-3 } } as const;
    expect(mapClasses).toEqual(['rotation', 'signed-permutation', 'diagonal', 'block', 'general']);
    expect(mapClasses.map((m) => expectedEquivariant(lm, m, 2))).toEqual([true, true, false, false, false]);
    expect(mapClasses.map((m) => expectedEquivariant(tr, m, 2))).toEqual([true, true, true, true, true]);
    expect(expectedEquivariant({ id: 'hessian-free', cgIters: 1 }, 'general', 2)).toBe(false);
    expect(expectedEquivariant({ id: 'hessian-free', cgIters: 2 }, 'general', 2)).toBe(true);
    expect(expectedEquivariant({ id: 'kfac' }, 'general', 2)).toBeNull();
  });

  it('expected marks of the Fisher approximations (docs/theory.md §9)', () => {
    const row = (entry: Parameters<typeof expectedEquivariant>[0], P: number, layered = false) =>
      mapClasses.map((m) => expectedEquivariant(entry, m, P, layered));
    // One block: the exact Fisher. Layers: maps block-diagonal in the layers.
    expect(row({ id: 'block-fisher' }, 2)).toEqual([true, true, true, true, true]);
    expect(row({ id: 'block-fisher' }, 337, true)).toEqual([true, false, true, true, false]);
    expect(row({ id: 'block-fisher', blocks: 'one' }, 337, true)).toEqual([true, true, true, true, true]);
    expect(row({ id: 'block-fisher', damping: { type: 'lm', value: 1e-3 } }, 337, true)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    // Low rank: orthogonal only below k = P; k = P undamped is ngd.
    expect(row({ id: 'lowrank-fisher', rank: 1 }, 2)).toEqual([true, true, false, false, false]);
    expect(row({ id: 'lowrank-fisher', rank: 2 }, 2)).toEqual([true, true, true, true, true]);
    // Truncated NGD: orthogonal only below m = P.
    expect(row({ id: 'ngd', solver: 'cg', cgIters: 1 }, 2)).toEqual([true, true, false, false, false]);
    expect(row({ id: 'ngd', solver: 'cg', cgIters: 2 }, 2)).toEqual([true, true, true, true, true]);
    expect(row({ id: 'ngd', solver: 'cg' }, 2)).toEqual([true, true, true, true, true]);
  });

  it('on tiny-net the measured marks of block-fisher, lowrank-fisher (k = 1) and truncated NGD (m = 1) agree', async () => {
    const table = await naturalityTable(
      experiment({
        optimizers: [
          { id: 'block-fisher', lr: 0.05 },
          { id: 'lowrank-fisher', lr: 0.05, rank: 1, damping: { type: 'none', value: 0 } },
          { id: 'ngd', lr: 0.05, solver: 'cg', cgIters: 1 },
        ],
      }),
      { steps: 30 },
    );
    if (!table) throw new Error('not cancelled, so there must be a table');
    for (const c of table.cells) {
      const label = `optimizer ${c.optimizer} under ${c.map}: D_K = ${c.defect}`;
      expect(c.expected, label).not.toBeNull();
      expect(c.agrees, label).toBe(true);
    }
  });

  it('builds a map of the right class for any P', () => {
    for (const P of [2, 5]) {
      const general = createReparam(mapClassEntry('general', P), P, 0).jacobian64([]);
      // Not orthogonal: AᵀA ≠ I.
      const ata00 = general.reduce((s, row) => s + (row[0] as number) ** 2, 0);
      expect(Math.abs(ata00 - 1)).toBeGreaterThan(1e-3);
      const sp = createReparam(mapClassEntry('signed-permutation', P), P, 0).jacobian64([]);
      sp.forEach((row) => expect(row.filter((v) => v !== 0).map(Math.abs)).toEqual([1]));
      const diag = createReparam(mapClassEntry('diagonal', P), P, 0).jacobian64([]);
      diag.forEach((row, i) => row.forEach((v, j) => expect(v !== 0).toBe(i === j)));
      // Without layers the block map is one dense block.
      const block = createReparam(mapClassEntry('block', P), P, 0).jacobian64([]);
      expect(block.flat().every((v) => v !== 0)).toBe(true);
    }
  });

  it('stops when cancelled and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    let calls = 0;
    const table = await naturalityTable(experiment(), {
      steps: 20,
      onProgress: () => void calls++,
      cancelled: () => calls >= 3,
    });
    expect(table).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
