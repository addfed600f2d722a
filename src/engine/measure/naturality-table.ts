/**
 * The live naturality table (docs/theory.md §3): for the current problem, start point and
 * optimizers (hyper-parameters as set), run each optimizer K steps in θ and in φ under
 * one map of each linear class and measure D_K. A cell is measured "equivariant" when
 * D_K < 1e-4 (float32 round-off, §3), and shows next to it the mark the theory expects.
 * K defaults to 50 steps, as in the engine's naturalizer tests: long enough that every
 * non-equivariant pair has drifted apart, short enough to run live for P ≤ ~50.
 */
import type { Experiment } from '../schema';
import { createProblem } from '../experiment';
import type { ReparamEntry } from '../reparam';
import { randomConditioned } from '../reparam/random-mixing';
import { makeRng } from '../random';
import { layerParamBlocks } from '../problems/blocks';
import { fisherDefectCurves, type DefectCurves } from './fisher-curves';
import { runPairedDefects, type PairDefect, type RunHooks } from './session-defects';
import { expectedEquivariant, mapClasses, type MapClass } from './naturalizer';

import { EQUIVARIANT_BELOW, defaultTableSteps } from './analysis-constants';

export { EQUIVARIANT_BELOW, defaultTableSteps };

export interface TableCell {
  /** Index into experiment.optimizers. */
  optimizer: number;
  map: MapClass;
  /** D_K (NaN when the map could not be used here; then `error` says why). */
  defect: number;
  diverged: { theta: boolean; phi: boolean };
  /** D_K < EQUIVARIANT_BELOW; false when only one run of the pair diverged; null when both did or on error. */
  measured: boolean | null;
  /** docs/theory.md §3's mark, or null where the table makes no claim. */
  expected: boolean | null;
  /** measured === expected, or null when either is null. */
  agrees: boolean | null;
  error?: string;
}

export interface NaturalityTable {
  steps: number;
  threshold: number;
  maps: MapClass[];
  /** Row-major: for each optimizer, one cell per map class in `maps` order. */
  cells: TableCell[];
  /** Defect vs k and vs m (fisher-curves.ts), for P ≤ CURVES_MAX_P; absent otherwise. */
  curves?: DefectCurves;
}

/** Above this many parameters the table leaves out its defect curves (eigen-solves per step). */
export const CURVES_MAX_P = 64;

export interface TableOptions {
  /** K, steps per run (default 50). */
  steps?: number;
  onProgress?: (p: { done: number; total: number }) => void | Promise<void>;
  cancelled?: RunHooks['cancelled'];
  /** Measure the defect curves too (default true; only for P ≤ CURVES_MAX_P). */
  curves?: boolean;
}

/**
 * The map used for a class with P parameters. rotation: 0.7 rad in the (0, 1) plane;
 * signed permutation: reversed order with signs −1, −1, +1, … (a reflection for P = 2, so
 * not also a rotation); diagonal: factors 10, 0.1, 10, …; general: a fixed (seed 1) random
 * matrix U diag(s) Vᵀ with κ(A) = 4 (mild, so first-order runs stay finite) — the same column for every experiment;
 * block: `block-mixing` with κ = 4 per block (the problem's blocks, docs/theory.md §9.1).
 */
export function mapClassEntry(cls: MapClass, P: number): ReparamEntry {
  switch (cls) {
    case 'rotation':
      return { id: 'rotation', angle: 0.7 };
    case 'signed-permutation':
      return { id: 'signed-permutation', signs: Array.from({ length: P }, (_, i) => (i % 3 === 2 ? 1 : -1)) };
    case 'diagonal':
      return { id: 'scale' };
    case 'general':
      return { id: 'linear', matrix: randomConditioned(P, 4, makeRng(1)) };
    case 'block':
      return { id: 'block-mixing', cond: 4 };
  }
}

/** P of the experiment's problem and whether it has several parameter blocks (built once and released). */
function problemSize(experiment: Experiment): { P: number; layered: boolean } {
  const problem = createProblem(experiment);
  const P = problem.P;
  const layered = (layerParamBlocks(problem.layers, P)?.length ?? 1) > 1;
  problem.dispose();
  return { P, layered };
}

function cell(
  optimizer: number,
  map: MapClass,
  expected: boolean | null,
  pair: PairDefect | null,
  error?: string,
): TableCell {
  if (!pair) {
    const diverged = { theta: false, phi: false };
    return { optimizer, map, defect: Number.NaN, diverged, measured: null, expected, agrees: null, error };
  }
  const { theta, phi } = pair.diverged;
  const measured = theta && phi ? null : theta !== phi ? false : pair.defect < EQUIVARIANT_BELOW;
  const agrees = measured === null || expected === null ? null : measured === expected;
  return { optimizer, map, defect: pair.defect, diverged: pair.diverged, measured, expected, agrees };
}

/** Compute the table; null when cancelled. */
export async function naturalityTable(
  experiment: Experiment,
  options: TableOptions = {},
  maps: readonly MapClass[] = mapClasses,
): Promise<NaturalityTable | null> {
  const steps = options.steps ?? defaultTableSteps;
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error('naturality table: steps must be an integer ≥ 1');
  const { P: dim, layered } = problemSize(experiment);
  const total = maps.length * steps;
  const columns: (PairDefect[] | string)[] = [];
  for (const [m, cls] of maps.entries()) {
    let pairs: PairDefect[] | null;
    try {
      const variant: Experiment = { ...experiment, steps, reparam: mapClassEntry(cls, dim) };
      pairs = await runPairedDefects(variant, {
        cancelled: options.cancelled,
        onSteps: (k) => options.onProgress?.({ done: m * steps + k, total }),
      });
    } catch (err) {
      columns.push(err instanceof Error ? err.message : String(err));
      await options.onProgress?.({ done: (m + 1) * steps, total });
      continue;
    }
    if (!pairs) return null;
    columns.push(pairs);
  }
  const cells = experiment.optimizers.flatMap((entry, i) =>
    maps.map((cls, m) => {
      const col = columns[m];
      const expected = expectedEquivariant(entry, cls, dim, layered);
      if (typeof col === 'string' || !col) return cell(i, cls, expected, null, col ?? 'not run');
      return cell(i, cls, expected, col[i] ?? null);
    }),
  );
  let curves: DefectCurves | undefined;
  if ((options.curves ?? true) && dim <= CURVES_MAX_P) {
    const measured = await fisherDefectCurves(experiment, { cancelled: options.cancelled });
    if (!measured) return null;
    curves = measured;
  }
  return { steps, threshold: EQUIVARIANT_BELOW, maps: [...maps], cells, ...(curves ? { curves } : {}) };
}
