import { describe, expect, it } from 'vitest';
import { tf } from '../tf';
import type { DenseLayer } from '../problems/problem';
import { createReparam } from './index';
import { jacobianError, nestedGradError, samplePoints, tensorForwardError } from './testkit';

/** A 2-3-2-1 network layout: P = 9 + 8 + 3 = 20, Q = P + 3 + 2 + 1 = 26. */
const layers: DenseLayer[] = [
  { inputs: 2, outputs: 3, activation: 'tanh' },
  { inputs: 3, outputs: 2, activation: 'tanh' },
  { inputs: 2, outputs: 1, activation: 'linear' },
];
const [P, Q] = [20, 26];
const map = createReparam({ id: 'weight-norm' }, P, 0, layers);

const maxAbsDiff = (a: readonly number[], b: readonly number[]): number =>
  Math.max(0, ...a.map((v, i) => Math.abs(v - (b[i] as number))));

describe('weight-norm: w_j = g_j v_j / ‖v_j‖', () => {
  it('has Q = P + Σ outputs φ-coordinates and is not affine', () => {
    expect(map.P).toBe(P);
    expect(map.Q).toBe(Q);
    expect(map.affine).toBe(false);
  });

  it('forward(inverse(θ)) = θ, and the canonical preimage is v = w, b = b, g = ‖w‖', () => {
    let worst = 0;
    for (const theta of samplePoints(3, 20, P)) {
      const phi = map.inverse64(theta);
      expect(phi).toHaveLength(Q);
      worst = Math.max(worst, maxAbsDiff(map.forward64(phi), theta));
    }
    expect(worst).toBeLessThan(1e-14);
    // Layer 1 (2 inputs, 3 outputs): V = φ[0..5], b = φ[6..8], g = φ[9..11].
    const theta = samplePoints(4, 1, P)[0] as number[];
    const phi = map.inverse64(theta);
    expect(phi.slice(0, 9)).toEqual(theta.slice(0, 9));
    expect(phi[9]).toBeCloseTo(Math.hypot(theta[0] as number, theta[3] as number), 14);
    expect(phi[11]).toBeCloseTo(Math.hypot(theta[2] as number, theta[5] as number), 14);
  });

  it('inverse(forward(φ)) lies in the fibre of φ (same image), though not equal to φ', () => {
    let fibre = 0;
    let moved = 0;
    for (const phi of samplePoints(5, 20, Q)) {
      const theta = map.forward64(phi);
      const back = map.inverse64(theta);
      fibre = Math.max(fibre, maxAbsDiff(map.forward64(back), theta));
      moved = Math.max(moved, maxAbsDiff(back, phi));
    }
    expect(fibre).toBeLessThan(1e-14);
    expect(moved).toBeGreaterThan(0.1);
  });

  it('f is constant along each ray v_j ↦ c·v_j, c > 0: J_f has rank P, not Q', () => {
    const phi = samplePoints(6, 1, Q)[0] as number[];
    // Scale v of layer 2, unit 1 (layer 2's V starts at 12: entries 12 + r·2 + 1, r = 0..2).
    const scaled = phi.map((v, i) => (i >= 12 && i < 18 && (i - 12) % 2 === 1 ? 3.7 * v : v));
    expect(maxAbsDiff(map.forward64(scaled), map.forward64(phi))).toBeLessThan(1e-14);
    const J = map.jacobian64(phi);
    const t = phi.map((v, i) => (i >= 12 && i < 18 && (i - 12) % 2 === 1 ? v : 0));
    const Jt = J.map((row) => row.reduce((s, a, c) => s + a * (t[c] as number), 0));
    expect(Math.max(...Jt.map(Math.abs))).toBeLessThan(1e-14);
  });

  it('Jacobian (P×Q) = finite differences; tensor forward = float64 forward', () => {
    const points = samplePoints(7, 8, Q);
    const J = map.jacobian64(points[0] as number[]);
    expect(J).toHaveLength(P);
    expect(J[0]).toHaveLength(Q);
    expect(jacobianError(map, points)).toBeLessThan(1e-7);
    expect(tensorForwardError(map, points)).toBeLessThan(2e-6);
  });

  it('nested tf.grad through forward matches finite differences of wᵀJ', () => {
    const w = samplePoints(8, 1, P)[0] as number[];
    const v = samplePoints(9, 1, Q)[0] as number[];
    for (const phi of samplePoints(10, 3, Q, -1.5, 1.5)) {
      expect(nestedGradError(map, phi, w, v)).toBeLessThan(1e-4);
    }
  });

  it('the tensor forward leaks no tensors', () => {
    const x = tf.tensor2d(samplePoints(11, 4, Q));
    map.forward(x).dispose();
    const before = tf.memory().numTensors;
    map.forward(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});

describe('weight-norm: errors name the problem', () => {
  it('a problem without layers is refused', () => {
    expect(() => createReparam({ id: 'weight-norm' }, 2, 0)).toThrow(
      /^weight-norm: needs a network problem \(with layers\)/,
    );
    expect(() => createReparam({ id: 'weight-norm' }, 2, 0, null)).toThrow(/needs a network problem/);
  });

  it('layers that do not fill P are refused', () => {
    expect(() => createReparam({ id: 'weight-norm' }, 21, 0, layers)).toThrow(
      /^weight-norm: the layers hold 20 parameters, the problem has 21$/,
    );
  });

  it('unknown parameters are refused', () => {
    expect(() => createReparam({ id: 'weight-norm', gain: 2 }, P, 0, layers)).toThrow(
      /^weight-norm: unknown key 'gain'$/,
    );
  });

  it('a unit with zero incoming weights is outside the domain: domainError names layer and unit', () => {
    const theta = samplePoints(12, 1, P)[0] as number[];
    expect(map.domainError(theta)).toBeNull();
    // Layer 2 (3 inputs, 2 outputs) starts at 9; unit 1's column is 9 + r·2 + 1, r = 0..2.
    const dead = theta.map((v, i) => (i === 10 || i === 12 || i === 14 ? 0 : v));
    expect(map.domainError(dead)).toMatch(/^weight-norm: layer 2, unit 1 has incoming weights of norm 0 /);
    expect(() => map.inverse64(dead)).toThrow(/layer 2, unit 1/);
    try {
      map.inverse64(dead);
    } catch (err) {
      expect((err as Error).name).toBe('ReparamError');
    }
  });
});
