/**
 * `custom`: θ_k = e_k(p1, …, pP), one typed expression per θ coordinate. Parsed safely
 * (expr-parse.ts), compiled to tensors and float64 (expr-compile.ts), differentiated
 * symbolically for the Jacobian (expr-diff.ts), inverted by damped Newton (newton.ts),
 * and checked for invertibility on a window of φ before it is accepted (invertible.ts).
 */
import type { z } from 'zod';
import { Matrix, solve } from 'ml-matrix';
import { tf, type Tensor2D } from '../tf';
import { makeRng, subSeed } from '../random';
import { compile64, compileTensor } from './expr-compile';
import { derivative } from './expr-diff';
import { parseExpr } from './expr-parse';
import { checkInvertible, checkJacobianAt, type Window } from './invertible';
import { invertNewton } from './newton';
import { ReparamError, type Reparam } from './reparam';
import { customParams, defaultCustomExprs } from './param-schemas';

// The parameter schemas live in a tf-free module (the page validates experiments with them).
export { customParams };

/** The window checked when none is given: [−3, 3]² in φ. */
export const DEFAULT_WINDOW: Window = [
  [-3, 3],
  [-3, 3],
];

/**
 * Build a custom map from its expressions, unchecked (see `customMap` for the checks).
 * `anchors` are φ points whose images seed Newton: the one whose f(φ) is nearest θ is
 * the first start (maps such as log(p1) are undefined at the other starts, 0 and θ).
 */
export function compileCustom(
  exprs: readonly string[],
  P: number,
  anchors: readonly (readonly number[])[] = [],
): Reparam {
  if (exprs.length !== P) {
    throw new ReparamError(
      `custom.expr: expected ${P} expressions, one per θ coordinate (got ${exprs.length})`,
    );
  }
  const trees = exprs.map((src, k) => parseExpr(src, P, `θ${k + 1} = ${src.slice(0, 60)}`));
  const f64 = trees.map(compile64);
  const fT = trees.map(compileTensor);
  const jac = trees.map((t) => Array.from({ length: P }, (_, c) => compile64(derivative(t, c))));
  const forward64 = (phi: readonly number[]): number[] => f64.map((f) => f(phi));
  const jacobian64 = (phi: readonly number[]): number[][] => jac.map((row) => row.map((f) => f(phi)));
  const sys = { f: forward64, jacobian: jacobian64 };
  const zero = new Array<number>(P).fill(0);
  const [f0, J0] = [forward64(zero), jacobian64(zero)];
  /** The linearisation at 0 solved for θ: a good start when f is mildly nonlinear. */
  const linearStart = (theta: readonly number[]): number[] | null => {
    try {
      const rhs = Matrix.columnVector(theta.map((t, i) => t - (f0[i] as number)));
      return solve(new Matrix(J0), rhs).to1DArray();
    } catch {
      return null; // singular or undefined at 0: not used as a start
    }
  };
  const images = anchors.map((a) => ({ phi: [...a], theta: forward64(a) }));
  const nearestAnchor = (theta: readonly number[]): number[] | null => {
    let best: number[] | null = null;
    let dist = Infinity;
    for (const a of images) {
      const d = a.theta.reduce((s, t, i) => s + (t - (theta[i] as number)) ** 2, 0);
      if (d < dist) [best, dist] = [a.phi, d];
    }
    return best;
  };
  const inverse64 = (theta: readonly number[]): number[] => {
    const starts = [nearestAnchor(theta), [...theta], linearStart(theta), zero].filter(
      (s): s is number[] => s !== null,
    );
    const phi = invertNewton(sys, theta, starts);
    if (!phi) {
      throw new ReparamError(
        `custom: no φ found with f(φ) = (${theta.join(', ')}) (Newton did not converge)`,
      );
    }
    return phi;
  };
  return {
    id: 'custom',
    P,
    Q: P,
    affine: trees.every((t) =>
      Array.from({ length: P }, (_, c) => derivative(t, c)).every((d) => d.kind === 'num'),
    ),
    forward: (phi) =>
      tf.tidy(() => {
        const cols = tf.split(phi, P, 1);
        const B = phi.shape[0];
        return tf.concat(
          fT.map((f) => tf.broadcastTo(f(cols), [B, 1])),
          1,
        );
      }) as Tensor2D,
    forward64,
    inverse64,
    jacobian64,
    domainError: (theta) => {
      try {
        inverse64(theta);
        return null;
      } catch (err) {
        return err instanceof ReparamError ? err.message : 'custom: θ is not in the image of f';
      }
    },
  };
}

/**
 * How many seeded points the determinant check uses for P > 2: 200, fewer for large P so
 * the P×P LU decompositions stay within ~2·10⁸ flops (each costs ~P³ flops; at P = 337,
 * the MLP, 200 of them took ~9 s on a 2-core machine), never fewer than 16.
 */
export function detCheckPoints(P: number): number {
  return Math.max(16, Math.min(200, Math.floor(2e8 / P ** 3)));
}

/**
 * Build and check a custom map: for P = 2, a 25×25 grid over `window` (default
 * [−3, 3]²); otherwise det J at `detCheckPoints(P)` seeded points of [−3, 3]^P. Throws
 * `ReparamError` naming the problem.
 */
export function customMap(P: number, seed: number, p: z.output<typeof customParams>): Reparam {
  const expr = p.expr ?? defaultCustomExprs(P);
  let problem: string | null;
  let map: Reparam;
  if (P === 2) {
    const [[x0, x1], [y0, y1]] = p.window ?? DEFAULT_WINDOW;
    const grid = Array.from({ length: 121 }, (_, k) => [
      x0 + ((x1 - x0) * Math.floor(k / 11)) / 10,
      y0 + ((y1 - y0) * (k % 11)) / 10,
    ]);
    map = compileCustom(expr, P, grid);
    problem = checkInvertible(map, p.window ?? DEFAULT_WINDOW, 25);
  } else {
    const rng = makeRng(subSeed(seed, 'reparam'));
    const points = Array.from({ length: detCheckPoints(P) }, () =>
      Array.from({ length: P }, () => rng.uniform(-3, 3)),
    );
    map = compileCustom(expr, P, points);
    problem = checkJacobianAt(map, points);
  }
  if (problem) throw new ReparamError(`custom: ${problem}`);
  return map;
}
