/**
 * The curves beside the naturality table (docs/theory.md §9.2, §9.3): invariance bought
 * piece by piece. For the current problem and start, D_K of `lowrank-fisher` as a function
 * of its rank k and of truncated NGD (`ngd`, solver "cg") as a function of its CG
 * iterations m, each under one linear map (the table's general column) and one nonlinear
 * map (cubic θ = φ + 0.3φ³). Undamped, so that k = P and m = P are ngd itself.
 */
import type { Experiment, OptimizerEntry } from '../schema';
import type { ReparamEntry } from '../reparam';
import { createProblem } from '../experiment';
import { runPairedDefects, type RunHooks } from './session-defects';
import { randomConditioned } from '../reparam/random-mixing';
import { makeRng } from '../random';
import { defectCurveSteps } from './analysis-constants';

export type CurveKind = 'rank' | 'cgIters';

export interface DefectCurve {
  kind: CurveKind;
  /** 'linear' or 'nonlinear'. */
  map: 'linear' | 'nonlinear';
  /** The x values (k or m) and D_K at each (NaN: a run of the pair diverged). */
  values: number[];
  defects: number[];
}

export interface DefectCurves {
  P: number;
  steps: number;
  curves: DefectCurve[];
}

/** 1, 2, 4, … below P, and P: at most `max` values. */
export function curveValues(P: number, max = 6): number[] {
  const out: number[] = [];
  for (let v = 1; v < P && out.length < max - 1; v *= 2) out.push(v);
  out.push(P);
  return out;
}

/** The x values' optimizer entries for one curve. */
function entries(kind: CurveKind, values: readonly number[], lr: number): OptimizerEntry[] {
  const damping = { type: 'none' as const, value: 0 };
  return values.map((v) =>
    kind === 'rank'
      ? { id: 'lowrank-fisher', lr, rank: v, damping }
      : { id: 'ngd', lr, solver: 'cg', cgIters: v, damping },
  );
}

/** Measure both curves under both maps; null when cancelled. */
export async function fisherDefectCurves(
  experiment: Experiment,
  options: { steps?: number; lr?: number; cancelled?: RunHooks['cancelled'] } = {},
): Promise<DefectCurves | null> {
  const steps = options.steps ?? defectCurveSteps;
  const problem = createProblem(experiment);
  const P = problem.P;
  problem.dispose();
  const values = curveValues(P);
  const lr = options.lr ?? experiment.optimizers.find((o) => o.id === 'ngd')?.lr ?? 0.05;
  const maps: [DefectCurve['map'], ReparamEntry][] = [
    // The naturality table's general column (naturality-table.ts `mapClassEntry`).
    ['linear', { id: 'linear', matrix: randomConditioned(P, 4, makeRng(1)) }],
    ['nonlinear', { id: 'cubic', a: 0.3 }],
  ];
  const curves: DefectCurve[] = [];
  for (const kind of ['rank', 'cgIters'] as const) {
    for (const [map, reparam] of maps) {
      const variant: Experiment = {
        ...experiment,
        steps,
        reparam,
        optimizers: entries(kind, values, lr),
        switchAt: undefined,
      };
      const pairs = await runPairedDefects(variant, { cancelled: options.cancelled });
      if (!pairs) return null;
      curves.push({
        kind,
        map,
        values,
        defects: pairs.map((p) => (p.diverged.theta || p.diverged.phi ? Number.NaN : p.defect)),
      });
    }
  }
  return { P, steps, curves };
}
