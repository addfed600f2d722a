/**
 * Numerical checks that a map is a diffeomorphism on a window of φ: det J keeps one
 * sign and stays away from 0, f is finite, and (where the map can be inverted) no two
 * grid points reach the same θ. Used for custom maps before they are accepted.
 */
import { determinant } from 'ml-matrix';
import { newton } from './newton';
import type { Reparam } from './reparam';

/** A window in φ for P = 2: [[x0, x1], [y0, y1]]. */
export type Window = readonly [readonly [number, number], readonly [number, number]];

const fmt = (v: readonly number[]): string => `(${v.map((x) => +x.toPrecision(4)).join(', ')})`;

/**
 * Check det J_f and f at `points`; a message naming the first problem, or null.
 * "~0" means |det J| ≤ 1e-10 · max |det J| over the points (or exactly 0).
 */
export function checkJacobianAt(map: Reparam, points: readonly (readonly number[])[]): string | null {
  const dets: number[] = [];
  for (const phi of points) {
    const theta = map.forward64(phi);
    if (!theta.every(Number.isFinite)) {
      const k = theta.findIndex((v) => !Number.isFinite(v));
      return `θ${k + 1} is not defined at φ = ${fmt(phi)}`;
    }
    const det = determinant(map.jacobian64(phi));
    if (!Number.isFinite(det)) return `the Jacobian is not finite at φ = ${fmt(phi)}`;
    dets.push(det);
  }
  const scale = Math.max(...dets.map(Math.abs));
  for (let k = 0; k < points.length; k++) {
    const det = dets[k] as number;
    if (Math.abs(det) <= 1e-10 * scale || det === 0) {
      return `not invertible: det J ≈ 0 at φ = ${fmt(points[k] as number[])}`;
    }
  }
  const flip = dets.findIndex((d) => Math.sign(d) !== Math.sign(dets[0] as number));
  if (flip > 0) {
    return `not invertible: det J changes sign between φ = ${fmt(points[0] as number[])} and φ = ${fmt(points[flip] as number[])}`;
  }
  return null;
}

/**
 * For P = 2: sample an n×n grid over `window` and report (message or null) when f is
 * undefined, det J changes sign or is ~0, or f is not one-to-one on the window: Newton
 * iterations for f(φ') = f(φ), started from a 3×3 spread of window points, reach a
 * φ' ≠ φ inside the window (tested on every other grid point).
 */
export function checkInvertible(map: Reparam, window: Window, n: number): string | null {
  if (map.P !== 2) return null;
  const [[x0, x1], [y0, y1]] = window;
  const at = (a: number, b: number, k: number, m: number): number =>
    m === 1 ? (a + b) / 2 : a + ((b - a) * k) / (m - 1);
  const points: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) points.push([at(x0, x1, i, n), at(y0, y1, j, n)]);
  const jac = checkJacobianAt(map, points);
  if (jac) return jac;
  const size = Math.max(x1 - x0, y1 - y0);
  const slack = 1e-9 * (1 + size);
  const inside = (p: readonly number[]): boolean =>
    (p[0] as number) >= x0 - slack &&
    (p[0] as number) <= x1 + slack &&
    (p[1] as number) >= y0 - slack &&
    (p[1] as number) <= y1 + slack;
  const starts: number[][] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) starts.push([at(x0, x1, i, 3), at(y0, y1, j, 3)]);
  const sys = { f: map.forward64, jacobian: map.jacobian64 };
  for (let k = 0; k < points.length; k += 2) {
    const phi = points[k] as number[];
    const theta = map.forward64(phi);
    for (const s of starts) {
      const other = newton(sys, theta, s, 50);
      if (!other || !inside(other)) continue;
      if (
        Math.hypot((other[0] as number) - (phi[0] as number), (other[1] as number) - (phi[1] as number)) >
        1e-6 * (1 + size)
      ) {
        return `not one-to-one on the window: φ = ${fmt(phi)} and φ = ${fmt(other)} both give θ = ${fmt(theta)}`;
      }
    }
  }
  return null;
}
