import { describe, expect, it } from 'vitest';
import { checkClassification, checkRegression, MAX_POINTS } from './data';
import { parseCsvData } from './csv';
import { parseExperiment } from '../schema';

const errorOf = <T>(r: { ok: true; data: T } | { ok: false; error: string }): string =>
  r.ok ? '(accepted)' : r.error;

describe('inline data', () => {
  it('accepts good regression and classification data', () => {
    const r = checkRegression({ x: [0, 1, 2], y: [1, 0.5, -1] });
    expect(r).toEqual({ ok: true, data: { x: [0, 1, 2], y: [1, 0.5, -1] } });
    const c = checkClassification(
      {
        points: [
          [0, 1],
          [2, 3],
          [4, 5],
        ],
        labels: [0, 1, 1],
      },
      2,
      2,
    );
    expect(c).toEqual({
      ok: true,
      data: {
        points: [
          [0, 1],
          [2, 3],
          [4, 5],
        ],
        labels: [0, 1, 1],
      },
    });
  });

  it('names the row of a non-number, a bad point, a bad label, a length mismatch', () => {
    expect(errorOf(checkRegression({ x: [0, 1, 'abc'], y: [1, 2, 3] }))).toBe(
      "row 3: 'abc' is not a number (x)",
    );
    expect(errorOf(checkRegression({ x: [0, 1, 2], y: [1, 2] }))).toBe('row 3: x has 3 values but y has 2');
    expect(errorOf(checkClassification({ points: [[0, 1], [2]], labels: [0, 1] }, 2, 2))).toBe(
      'row 2: expected a point of 2 numbers, got [2]',
    );
    expect(
      errorOf(
        checkClassification(
          {
            points: [
              [0, 1],
              [2, null],
            ],
            labels: [0, 1],
          },
          2,
          2,
        ),
      ),
    ).toBe('row 2: a missing value is not a number (x2)');
    expect(
      errorOf(
        checkClassification(
          {
            points: [
              [0, 1],
              [2, 3],
              [1, 1],
            ],
            labels: [0, 1, 2],
          },
          2,
          2,
        ),
      ),
    ).toBe('row 3: label 2 is not an integer 0..1');
    expect(
      errorOf(
        checkClassification(
          {
            points: [
              [0, 1],
              [2, 3],
            ],
            labels: [0, 0.5],
          },
          2,
          3,
        ),
      ),
    ).toBe('row 2: label 0.5 is not an integer 0..2');
  });

  it('rejects too few and too many points', () => {
    expect(errorOf(checkRegression({ x: [1], y: [2] }))).toBe('needs at least 2 points (got 1)');
    const many = Array.from({ length: MAX_POINTS + 1 }, (_, i) => i);
    expect(errorOf(checkRegression({ x: many, y: many }))).toBe(
      'row 10001: more than 10000 points (got 10001)',
    );
  });

  it('an experiment with bad inline data fails with the row in the message', () => {
    const bad = parseExperiment({
      version: 1,
      problem: {
        id: 'mlp',
        data: {
          points: [
            [0, 0],
            [1, 'x'],
          ],
          labels: [0, 1],
        },
      },
      optimizers: [{ id: 'gd' }],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain("problem.data: row 2: 'x' is not a number (x2)");
    const logistic = parseExperiment({
      version: 1,
      problem: {
        id: 'logistic-2d',
        data: {
          points: [
            [0, 0],
            [1, 1],
          ],
          labels: [0, 3],
        },
      },
      optimizers: [{ id: 'gd' }],
    });
    expect(logistic.ok).toBe(false);
    if (!logistic.ok) expect(logistic.error).toContain('row 2: label 3 is not an integer 0..1');
  });
});

describe('parseCsvData', () => {
  it('reads a header, skips blank lines, detects the delimiter', () => {
    const r = parseCsvData('x1;x2;label\n0.5;1;0\n\n-1;2e-1;1\n', 'classification');
    expect(r).toEqual({
      ok: true,
      data: {
        kind: 'classification',
        data: {
          points: [
            [0.5, 1],
            [-1, 0.2],
          ],
          labels: [0, 1],
        },
      },
    });
    const s = parseCsvData('1.5\n2.5\n3\n', 'sample');
    expect(s).toEqual({ ok: true, data: { kind: 'sample', data: [1.5, 2.5, 3] } });
    const g = parseCsvData('x,y\n0,1\n1,2\n', 'regression');
    expect(g).toEqual({ ok: true, data: { kind: 'regression', data: { x: [0, 1], y: [1, 2] } } });
  });

  it('names the file line of the bad cell (header is line 1, blank lines count)', () => {
    const text = ['x,y', '0,1', '', '1,2', '2,abc', '3,4'].join('\n');
    expect(errorOf(parseCsvData(text, 'regression'))).toBe("row 5: 'abc' is not a number (y)");
    expect(errorOf(parseCsvData('x1,x2,label\n0,0,0\n1,1\n', 'classification'))).toBe(
      'row 3: expected 3 values (x1, x2, label), got 2',
    );
    expect(errorOf(parseCsvData('0,0,0\n1,1,1.5\n', 'classification'))).toBe(
      "row 2: label '1.5' is not an integer 0..9",
    );
    expect(errorOf(parseCsvData('0,0,0\n1,1,2\n', 'classification', 2))).toBe(
      "row 2: label '2' is not an integer 0..1",
    );
    expect(errorOf(parseCsvData('x,y\n1,\n2,3\n', 'regression'))).toBe(
      'row 2: an empty cell is not a number (y)',
    );
  });

  it('rejects too few and too many rows', () => {
    expect(errorOf(parseCsvData('x,y\n1,2\n', 'regression'))).toBe('needs at least 2 points (got 1)');
    const rows = Array.from({ length: MAX_POINTS + 5 }, (_, i) => `${i},${i}`);
    expect(errorOf(parseCsvData(['x,y', ...rows].join('\n'), 'regression'))).toBe(
      'row 10002: more than 10000 points (got 10005)',
    );
  });

  it('parsed CSV is accepted as inline data of the matching problem', () => {
    const r = parseCsvData('x1,x2,label\n0,0,0\n1,1,1\n0,1,1\n', 'classification');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const exp = parseExperiment({
      version: 1,
      problem: { id: 'mlp', data: r.data.data },
      optimizers: [{ id: 'gd' }],
    });
    expect(exp.ok).toBe(true);
  });
});
