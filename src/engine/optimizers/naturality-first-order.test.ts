/**
 * docs/theory.md §3, the first-order rows of the naturalizer table, cell by cell: each optimizer
 * is run K = 50 steps in θ and in φ (θ = Aφ + b) from the same point, and the defect
 * D_K of the pushed-forward φ-run is at float32 round-off where the table says "exactly
 * equivariant" and of order 0.1 where it says not. Learning rates are chosen per problem
 * so that no run converges (or diverges) within K steps: near a minimiser every method
 * ends in the same place and the defect would say nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { makeObjective, type Objective } from '../objective';
import { parameterDefect } from '../measure/defect';
import { affineMap, diagonalMatrix, rotationMatrix } from '../reparam/linear';
import type { Reparam } from '../reparam/reparam';
import { gaussianFit, gaussianFitParams } from '../problems/gaussian-fit';
import { rosenbrock, rosenbrockParams } from '../problems/rosenbrock';
import { tinyNet, tinyNetParams } from '../problems/tiny-net';
import type { Problem } from '../problems/problem';
import { baseHyper, type OptimizerDef } from './optimizer';
import { gd } from './gd';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { adam } from './adam';
import { rmsprop } from './rmsprop';

const K = 50;
const offset = [0.2, -0.1];
type MapClass = 'rotation' | 'signed permutation' | 'diagonal scaling' | 'general invertible';
const maps: Record<MapClass, Reparam> = {
  rotation: affineMap('rotation', rotationMatrix(2, 0.6), offset),
  // Swap and flip both signs: a reflection, not a rotation.
  'signed permutation': affineMap(
    'signed-permutation',
    [
      [0, -1],
      [-1, 0],
    ],
    offset,
  ),
  'diagonal scaling': affineMap('diagonal', diagonalMatrix([3, 0.5]), offset),
  'general invertible': affineMap(
    'general',
    [
      [2, 1],
      [0.5, 1],
    ],
    offset,
  ),
};

/** Which map classes each optimizer is exactly equivariant for (docs/theory.md §3). */
const rows: { id: string; def: OptimizerDef; equivariant: MapClass[] }[] = [
  { id: 'gd', def: gd, equivariant: ['rotation', 'signed permutation'] },
  { id: 'momentum', def: momentum, equivariant: ['rotation', 'signed permutation'] },
  { id: 'nesterov', def: nesterov, equivariant: ['rotation', 'signed permutation'] },
  { id: 'adam', def: adam, equivariant: ['signed permutation'] },
  { id: 'rmsprop', def: rmsprop, equivariant: ['signed permutation'] },
];

/** Per problem, learning rates that keep every run moving and finite over K steps. */
const problems: { name: string; make: () => Problem; lr: Partial<Record<string, number>> }[] = [
  { name: 'tiny-net', make: () => tinyNet(tinyNetParams.parse({}), 1), lr: {} },
  {
    name: 'rosenbrock',
    make: () => rosenbrock(rosenbrockParams.parse({})),
    // Stiff: GD-like steps must be small, and the φ-run under diag(3, 0.5) sees 9η.
    lr: { gd: 4e-4, momentum: 7e-5, nesterov: 5e-5, adam: 0.03, rmsprop: 0.015 },
  },
  { name: 'gaussian-fit', make: () => gaussianFit(gaussianFitParams.parse({}), 1), lr: { gd: 0.03 } },
];

/** K steps of a fresh optimizer from `start`; every iterate as float64 numbers. */
async function trajectory(
  def: OptimizerDef,
  obj: Objective,
  lr: number | undefined,
  start: number[],
): Promise<number[][]> {
  const hyper = { ...baseHyper, ...def.defaults, ...(lr === undefined ? {} : { lr }) };
  const opt = def.create(obj, hyper, 1);
  let p = tf.tensor2d([start]) as Tensor2D;
  const out = [start];
  for (let k = 0; k < K; k++) {
    const next = await opt.step(p);
    p.dispose();
    p = next;
    out.push(Array.from(await p.data()));
  }
  p.dispose();
  opt.dispose();
  return out;
}

describe.each(problems)('naturalizer table, first-order rows, on $name', ({ make, lr }) => {
  const problem = make();
  // tiny-net starts at (0.4, 0.6), the problem's init, as in docs/theory.md §3–§4.
  const theta0 = [...problem.init];
  afterAll(() => problem.dispose());

  describe.each(rows)('$id', ({ def, equivariant }) => {
    let cached: number[][] | null = null;
    const thetaRun = async (): Promise<number[][]> =>
      (cached ??= await trajectory(def, makeObjective(problem, null), lr[def.id], theta0));

    it('the θ-run moves and stays finite (it has not converged nor diverged)', async () => {
      const end = (await thetaRun())[K] as number[];
      expect(end.every(Number.isFinite)).toBe(true);
      expect(Math.hypot(...end.map((v, i) => v - (theta0[i] as number)))).toBeGreaterThan(0.1);
    });

    const cells = (Object.keys(maps) as MapClass[]).map((mapClass) => ({
      mapClass,
      verdict: equivariant.includes(mapClass) ? 'exactly equivariant' : 'not equivariant',
    }));
    it.each(cells)('under $mapClass: $verdict', async ({ mapClass }) => {
      const map = maps[mapClass];
      const phiRun = await trajectory(def, makeObjective(problem, map), lr[def.id], map.inverse64(theta0));
      const defect = parameterDefect(
        await thetaRun(),
        phiRun.map((phi) => map.forward64(phi)),
      );
      if (equivariant.includes(mapClass)) expect(defect).toBeLessThan(1e-5);
      else expect(defect).toBeGreaterThan(0.08);
    });
  });
});
