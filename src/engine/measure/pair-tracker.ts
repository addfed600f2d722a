/**
 * Per-step naturality distances of a running session, computed incrementally: each call
 * measures only the steps both runs of a θ/φ pair gained since the last call.
 * parameter: ‖θ̃_k − θ_k‖ / max(1, ‖θ_0‖); function: RMS over the data of h(θ̃_k) − h(θ_k)
 * (docs/theory.md §1). D_K and D^fn_K are the running maxima of these series.
 */
import type { Session } from '../experiment';
import { norm } from './defect';
import { toRows } from '../trajectory';
import { functionDistances } from './function-defect';

export interface PairDistances {
  /** Index into experiment.optimizers. */
  optimizer: number;
  /** Step of the first new distance. */
  from: number;
  parameter: number[];
  function: number[];
}

export interface DefectTracker {
  /**
   * New distances of every pair since the previous call (pairs with nothing new are left
   * out). The points are taken when it is called; calls must not overlap.
   */
  update(): Promise<PairDistances[]>;
}

export function createDefectTracker(session: Session): DefectTracker {
  const pairs = session.experiment.optimizers.flatMap((_, index) => {
    const theta = session.runs.find((r) => r.optimizer === index && r.space === 'theta');
    const phi = session.runs.find((r) => r.optimizer === index && r.space === 'phi');
    return theta && phi ? [{ index, theta, phi, done: 0 }] : [];
  });
  return {
    update() {
      // Everything but the function distances' reads happens now, so a session that
      // advances while they are pending does not change what this call measures.
      const pending = pairs.flatMap((p) => {
        const upto = Math.min(p.theta.theta.length, p.phi.theta.length);
        if (upto <= p.done) return [];
        const scale = Math.max(1, norm(toRows(p.theta.theta, 0, 1)[0] ?? []));
        // The new points only, as rows (the distances take rows).
        const a = toRows(p.theta.theta, p.done, upto);
        const b = toRows(p.phi.theta, p.done, upto);
        const parameter = a.map(
          (x, i) => norm(x.map((v, j) => v - ((b[i] as number[])[j] as number))) / scale,
        );
        const from = p.done;
        p.done = upto;
        return [
          functionDistances(session.problem, a, b).then((fn): PairDistances => ({
            optimizer: p.index,
            from,
            parameter,
            function: fn,
          })),
        ];
      });
      return Promise.all(pending);
    },
  };
}
