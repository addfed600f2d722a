import { describe, expect, it } from 'vitest';
import { conditionNumber, symmetricEigenvalues } from './condition';
import { rotationMatrix } from '../reparam/linear';

/** Q diag(d) Qᵀ for a rotation Q in the (0, 1) plane of R^P. */
function withSpectrum(d: number[], angle: number): number[][] {
  const Q = rotationMatrix(d.length, angle);
  return Q.map((qi) =>
    Q.map((qj) => d.reduce((s, dk, k) => s + (qi[k] as number) * dk * (qj[k] as number), 0)),
  );
}

describe('condition number of a symmetric PSD matrix', () => {
  it('matches the 3×3 Hilbert matrix: κ₂ = 524.0567775860644', () => {
    const H = [0, 1, 2].map((i) => [0, 1, 2].map((j) => 1 / (i + j + 1)));
    expect(conditionNumber(H)).toBeCloseTo(524.0567775860644, 6);
  });

  it('recovers a known spectrum through a rotation: κ = λmax/λmin', () => {
    const A = withSpectrum([4, 0.5, 2], 0.7);
    expect(symmetricEigenvalues(A).map((v) => Number(v.toFixed(12)))).toEqual([0.5, 2, 4]);
    expect(conditionNumber(A)).toBeCloseTo(8, 10);
  });

  it('is 1 for a multiple of the identity and exact for a diagonal matrix', () => {
    expect(
      conditionNumber([
        [3, 0],
        [0, 3],
      ]),
    ).toBeCloseTo(1, 14);
    expect(
      conditionNumber([
        [1e-3, 0],
        [0, 10],
      ]),
    ).toBeCloseTo(1e4, 6);
  });

  it('is Infinity for a singular matrix (rank one, or zero)', () => {
    const v = [1, -2, 0.5];
    expect(conditionNumber(v.map((a) => v.map((b) => a * b)))).toBe(Infinity);
    expect(
      conditionNumber([
        [0, 0],
        [0, 0],
      ]),
    ).toBe(Infinity);
  });

  it('uses the symmetric part of a slightly asymmetric input (float32 round-off)', () => {
    expect(
      conditionNumber([
        [2, 1 + 1e-7],
        [1 - 1e-7, 2],
      ]),
    ).toBeCloseTo(3, 10);
  });

  it('rejects a non-square or non-finite matrix', () => {
    expect(() => conditionNumber([[1, 2]])).toThrow(/square/);
    expect(() =>
      conditionNumber([
        [1, NaN],
        [NaN, 1],
      ]),
    ).toThrow(/finite/);
    expect(() => conditionNumber([])).toThrow(/square/);
  });
});
