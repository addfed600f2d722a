import { describe, expect, it } from 'vitest';
import { parseCsvData } from '../../engine/problems/csv';
import { csvFormatOf, inlinePoints } from './csv-kind';

describe('the CSV layout each problem reads', () => {
  it('picks the layout by problem, and for mlp by task', () => {
    expect(csvFormatOf({ id: 'gaussian-fit' })?.kind).toBe('sample');
    expect(csvFormatOf({ id: 'tiny-net' })?.kind).toBe('regression');
    expect(csvFormatOf({ id: 'logistic-2d' })).toMatchObject({ kind: 'classification', classes: 2 });
    expect(csvFormatOf({ id: 'mlp', dataset: 'spiral' })).toMatchObject({
      kind: 'classification',
      classes: 10,
    });
    expect(csvFormatOf({ id: 'mlp', dataset: 'sine' })?.kind).toBe('regression');
    // Inline data decides, whatever `dataset` says.
    expect(csvFormatOf({ id: 'mlp', dataset: 'spiral', data: { x: [0, 1], y: [1, 2] } })?.kind).toBe(
      'regression',
    );
    expect(csvFormatOf({ id: 'rosenbrock' })).toBeNull();
    expect(csvFormatOf({ id: 'matrix-completion' })).toBeNull();
  });

  it('counts the points of each inline shape, as parsed from CSV', () => {
    const sample = parseCsvData('value\n1\n2\n3\n', 'sample');
    const reg = parseCsvData('x,y\n0,1\n1,2\n', 'regression');
    const cls = parseCsvData('1,2,0\n3,4,1\n5,6,1\n7,8,0\n', 'classification');
    if (!sample.ok || !reg.ok || !cls.ok) throw new Error('fixtures should parse');
    expect(inlinePoints(sample.data.data)).toBe(3);
    expect(inlinePoints(reg.data.data)).toBe(2);
    expect(inlinePoints(cls.data.data)).toBe(4);
    expect(inlinePoints(undefined)).toBeNull();
  });
});
