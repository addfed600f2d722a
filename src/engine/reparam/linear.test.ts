import { describe, expect, it } from 'vitest';
import { tf, type Tensor2D } from '../tf';
import { affineMap, rotationMatrix } from './linear';
import { cubicMap } from './cubic';

describe('affine and cubic maps', () => {
  it('affine: inverse(forward(φ)) = φ and the tensor forward matches float64', () => {
    const map = affineMap(
      'linear',
      [
        [2, 1],
        [0.5, -3],
      ],
      [0.1, -0.2],
    );
    const phi = [0.7, -1.3];
    const back = map.inverse64(map.forward64(phi));
    back.forEach((v, i) => expect(v).toBeCloseTo(phi[i] as number, 12));
    const t = tf.tidy(() => Array.from(map.forward(tf.tensor2d([phi]) as Tensor2D).dataSync()));
    map.forward64(phi).forEach((v, i) => expect(t[i]).toBeCloseTo(v, 5));
  });

  it('rejects a singular matrix', () => {
    expect(() =>
      affineMap('linear', [
        [1, 2],
        [2, 4],
      ]),
    ).toThrow(/not invertible/);
  });

  it('rotation matrices are orthogonal', () => {
    const R = rotationMatrix(3, 0.4, 0, 2);
    const RtR = R.map((_, i) =>
      R.map((_, j) => R.reduce((s, row) => s + (row[i] as number) * (row[j] as number), 0)),
    );
    RtR.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)));
  });

  it('cubic: inverse, and Jacobian against finite differences', () => {
    const map = cubicMap(2, 0.3);
    for (const phi of [
      [0.4, -2.1],
      [3, 0],
      [-0.01, 1.7],
    ]) {
      const back = map.inverse64(map.forward64(phi));
      back.forEach((v, i) => expect(v).toBeCloseTo(phi[i] as number, 10));
      const J = map.jacobian64(phi);
      const h = 1e-6;
      for (let c = 0; c < 2; c++) {
        const up = map.forward64(phi.map((v, i) => (i === c ? v + h : v)));
        const dn = map.forward64(phi.map((v, i) => (i === c ? v - h : v)));
        for (let r = 0; r < 2; r++)
          expect(J[r]?.[c]).toBeCloseTo(((up[r] as number) - (dn[r] as number)) / (2 * h), 5);
      }
    }
  });
});
