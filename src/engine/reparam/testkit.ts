/**
 * Measurements shared by the map tests: each returns the worst error it finds, so a
 * test asserts a bound on an honest number (and can print it).
 */
import { makeRng } from '../random';
import { tf, type Tensor, type Tensor2D } from '../tf';
import type { Reparam } from './reparam';

/** n seeded points of R^P, each coordinate uniform in [lo, hi]. */
export function samplePoints(seed: number, n: number, P: number, lo = -2, hi = 2): number[][] {
  const rng = makeRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: P }, () => rng.uniform(lo, hi)));
}

const maxAbs = (v: readonly number[]): number => Math.max(0, ...v.map(Math.abs));

/** max over points of |f⁻¹(f(φ)) − φ|∞ / (1 + |φ|∞). */
export function roundTripError(map: Reparam, points: readonly (readonly number[])[]): number {
  let worst = 0;
  for (const phi of points) {
    const back = map.inverse64(map.forward64(phi));
    const err = maxAbs(back.map((v, i) => v - (phi[i] as number))) / (1 + maxAbs(phi));
    worst = Math.max(worst, err);
  }
  return worst;
}

/** Central finite differences of forward64 at φ (step h), as a P×Q Jacobian (θ rows, φ columns). */
export function finiteDifferenceJacobian(map: Reparam, phi: readonly number[], h = 1e-6): number[][] {
  const cols = phi.map((_, c) => {
    const up = map.forward64(phi.map((v, i) => (i === c ? v + h : v)));
    const dn = map.forward64(phi.map((v, i) => (i === c ? v - h : v)));
    return up.map((u, r) => (u - (dn[r] as number)) / (2 * h));
  });
  return Array.from({ length: map.P }, (_, r) => cols.map((col) => col[r] as number));
}

/** max over points of |J − J_fd|∞ / (1 + |J|∞). */
export function jacobianError(map: Reparam, points: readonly (readonly number[])[]): number {
  let worst = 0;
  for (const phi of points) {
    const J = map.jacobian64(phi).flat();
    const F = finiteDifferenceJacobian(map, phi).flat();
    worst = Math.max(worst, maxAbs(J.map((v, k) => v - (F[k] as number))) / (1 + maxAbs(J)));
  }
  return worst;
}

/** max |forward(rows) − forward64|∞ / (1 + |θ|∞) over points, all rows in one batch. */
export function tensorForwardError(map: Reparam, points: readonly (readonly number[])[]): number {
  const rows = tf.tidy(() => map.forward(tf.tensor2d(points.map((p) => [...p]))).arraySync() as number[][]);
  let worst = 0;
  points.forEach((phi, k) => {
    const theta = map.forward64(phi);
    const row = rows[k] as number[];
    worst = Math.max(worst, maxAbs(theta.map((v, i) => v - (row[i] as number))) / (1 + maxAbs(theta)));
  });
  return worst;
}

/**
 * Second derivative through the tensor forward by nested tf.grad: H(φ)v for
 * s(φ) = wᵀf(φ), compared with central differences of the float64 first derivative
 * wᵀJ(φ). Returns the relative error |Hv − Hv_fd|∞ / (1 + |Hv_fd|∞).
 */
export function nestedGradError(
  map: Reparam,
  phi: readonly number[],
  w: readonly number[],
  v: readonly number[],
  h = 1e-5,
): number {
  const P = phi.length;
  const hv = tf.tidy(() => {
    const s = (x: Tensor): Tensor => tf.sum(tf.mul(map.forward(x as Tensor2D), tf.tensor2d([[...w]])));
    const g = tf.grad(s);
    const gv = (x: Tensor): Tensor => tf.sum(tf.mul(g(x), tf.tensor2d([[...v]])));
    return Array.from(
      tf
        .grad(gv)(tf.tensor2d([[...phi]], [1, P]))
        .dataSync(),
    );
  });
  const grad64 = (x: readonly number[]): number[] => {
    const J = map.jacobian64(x);
    return x.map((_, c) => J.reduce((s, row, r) => s + (w[r] as number) * (row[c] as number), 0));
  };
  const up = grad64(phi.map((x, i) => x + h * (v[i] as number)));
  const dn = grad64(phi.map((x, i) => x - h * (v[i] as number)));
  const fd = up.map((u, i) => (u - (dn[i] as number)) / (2 * h));
  return maxAbs(fd.map((x, i) => x - (hv[i] as number))) / (1 + maxAbs(fd));
}
