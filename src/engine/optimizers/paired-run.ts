/**
 * Drive one optimizer directly in θ and in φ for any map θ = f(φ) — including maps the
 * reparam registry does not build (the linear maps of the naturalizer table) — and return
 * both trajectories, the φ-run pushed forward by f in float64 (docs/theory.md §1). Used by the
 * naturality tests and the order-of-naturality measurement.
 */
import { tf, type Tensor2D } from '../tf';
import { makeObjective, type Objective } from '../objective';
import type { Problem } from '../problems/problem';
import type { Reparam } from '../reparam/reparam';
import type { Hyper, OptimizerDef } from './optimizer';

export interface PairedTrajectories {
  /** θ_k, k = 0..K. */
  theta: number[][];
  /** f(φ_k), k = 0..K. */
  pushed: number[][];
  /** φ_k, k = 0..K. */
  phi: number[][];
}

/** One run of `def` on `objective` for `steps` steps from `start`: p_k, k = 0..K (float32 values). */
export async function trajectory(
  def: OptimizerDef,
  hyper: Hyper,
  objective: Objective,
  start: readonly number[],
  steps: number,
): Promise<number[][]> {
  const opt = def.create(objective, hyper, 1);
  let p: Tensor2D = tf.tensor2d([[...start]]);
  const out = [[...start]];
  try {
    for (let k = 0; k < steps; k++) {
      const next = await opt.step(p);
      p.dispose();
      p = next;
      out.push(Array.from(await p.data()));
    }
  } finally {
    p.dispose();
    opt.dispose();
  }
  return out;
}

/** Run `def` with `hyper` for `steps` steps from θ₀ in θ and from φ₀ = f⁻¹(θ₀) in φ. */
export async function pairedRun(
  def: OptimizerDef,
  hyper: Hyper,
  problem: Problem,
  map: Reparam,
  theta0: readonly number[],
  steps: number,
): Promise<PairedTrajectories> {
  const theta = await trajectory(def, hyper, makeObjective(problem, null), theta0, steps);
  const phi = await trajectory(def, hyper, makeObjective(problem, map), map.inverse64(theta0), steps);
  return { theta, phi, pushed: phi.map((q) => map.forward64(q)) };
}
