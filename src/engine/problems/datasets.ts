/**
 * Seeded toy data sets for the network problems, on the scale of the unit
 * square so that tanh networks with Glorot weights start in their linear range.
 * `noise` is the standard deviation of Gaussian noise added to each coordinate
 * (classification) or to the target (sine regression).
 */
import type { Rng } from '../random';
import type { ClassificationData, RegressionData } from './data';

export type ClassificationSet = 'spiral' | 'circles' | 'xor' | 'gaussians';

/** Two interleaved spiral arms, 1.75 turns each, radius up to 1 (random only through the noise). */
function spiral(n: number): ClassificationData {
  const half = Math.ceil(n / 2);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const r = (Math.floor(i / 2) + 0.5) / half;
    const t = 1.75 * 2 * Math.PI * r + Math.PI * label;
    points.push([r * Math.sin(t), r * Math.cos(t)]);
    labels.push(label);
  }
  return { points, labels };
}

/** A disc of radius 0.5 (label 0) inside a ring 0.7–1 (label 1). */
function circles(n: number, rng: Rng): ClassificationData {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const r = label === 0 ? rng.uniform(0, 0.5) : rng.uniform(0.7, 1);
    const t = rng.uniform(0, 2 * Math.PI);
    points.push([r * Math.cos(t), r * Math.sin(t)]);
    labels.push(label);
  }
  return { points, labels };
}

/** Uniform on [−1, 1]² kept 0.05 away from the axes; label 1 where x1·x2 > 0. */
function xor(n: number, rng: Rng): ClassificationData {
  const points: number[][] = [];
  const labels: number[] = [];
  const coord = (): number => {
    const u = rng.uniform(-0.95, 0.95);
    return u + Math.sign(u) * 0.05;
  };
  for (let i = 0; i < n; i++) {
    const p = [coord(), coord()];
    points.push(p);
    labels.push((p[0] ?? 0) * (p[1] ?? 0) > 0 ? 1 : 0);
  }
  return { points, labels };
}

/** `classes` blobs of spread 0.25 centred on a circle of radius 0.6. */
function gaussians(n: number, classes: number, rng: Rng): ClassificationData {
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    const t = (2 * Math.PI * label) / classes;
    points.push([0.6 * Math.cos(t) + rng.normal(0, 0.25), 0.6 * Math.sin(t) + rng.normal(0, 0.25)]);
    labels.push(label);
  }
  return { points, labels };
}

/** n labelled points of a 2-D classification set, with coordinate noise. */
export function classificationSet(
  kind: ClassificationSet,
  n: number,
  noise: number,
  classes: number,
  rng: Rng,
): ClassificationData {
  const base =
    kind === 'spiral'
      ? spiral(n)
      : kind === 'circles'
        ? circles(n, rng)
        : kind === 'xor'
          ? xor(n, rng)
          : gaussians(n, classes, rng);
  const points = base.points.map((p) => p.map((v) => v + noise * rng.normal()));
  return { points, labels: base.labels };
}

/** y = sin(x) + noise on x uniform in [−π, π]. */
export function sineSet(n: number, noise: number, rng: Rng): RegressionData {
  const x = Array.from({ length: n }, () => rng.uniform(-Math.PI, Math.PI));
  return { x, y: x.map((v) => Math.sin(v) + noise * rng.normal()) };
}

/**
 * A seeded split of indices 0..n−1 into train and test: round(n·testFraction) test
 * points, at least 2 training points kept.
 */
export function splitIndices(n: number, testFraction: number, rng: Rng): { train: number[]; test: number[] } {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  const nTest = Math.min(Math.round(n * testFraction), Math.max(0, n - 2));
  return {
    train: order.slice(nTest).sort((a, b) => a - b),
    test: order.slice(0, nTest).sort((a, b) => a - b),
  };
}

/** One-hot rows for integer labels 0..classes − 1. */
export function oneHot(labels: readonly number[], classes: number): number[][] {
  return labels.map((l) => Array.from({ length: classes }, (_, c) => (c === l ? 1 : 0)));
}
