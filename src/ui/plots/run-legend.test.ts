import { describe, expect, it } from 'vitest';
import { layoutLegend, legendFont, legendItems, shorten } from './run-legend';

const labels = (n: number): string[] => Array.from({ length: n }, (_, i) => `${i % 2 ? 'adam' : 'gd'} #${i}`);

describe('run legend layout', () => {
  it('keeps two optimizers and a two-style key in one column, labels whole', () => {
    const all = [...labels(2), 'θ-run', 'φ-run pushed into θ'];
    const l = layoutLegend(all, 390, 350);
    expect(l.columns).toBe(1);
    expect(l.rows).toBe(4);
    expect(l.labels).toEqual(all);
    expect(l.height).toBeLessThan(0.5 * 350);
  });

  it('wraps sixteen optimizers into columns within half the height and 90% of the width', () => {
    const all = [...labels(16), 'θ-run', 'φ-run pushed into θ'];
    for (const [w, h] of [
      [390, 350],
      [306, 280],
    ] as const) {
      const l = layoutLegend(all, w, h);
      expect(l.columns).toBeGreaterThan(1);
      expect(l.columns * l.rows).toBeGreaterThanOrEqual(all.length);
      expect(l.height).toBeLessThanOrEqual(0.5 * h);
      expect(l.width).toBeLessThanOrEqual(0.9 * w + 1);
    }
  });

  it('shortens labels with an ellipsis only when the plot is too narrow for them', () => {
    const long = ['gd (trust region) midpoint #0 with a very long name', 'ngd #1'];
    const l = layoutLegend(long, 200, 200);
    expect(l.labels[0]).toMatch(/…$/);
    expect(l.labels[1]).toBe('ngd #1');
    expect(l.width).toBeLessThanOrEqual(0.9 * 200 + 1);
  });

  it('keeps the optimizer index when shortening a label', () => {
    expect(shorten('adam #11', 6)).toBe('a… #11');
    expect(shorten('diag-fisher (λI) #3', 10)).toBe('diag-f… #3');
    expect(shorten('θ-run', 10)).toBe('θ-run');
    expect(shorten('φ-run pushed into θ', 8)).toBe('φ-run p…');
  });

  it('scales the font with the plot, between 9 and 13 px, smaller for long lists', () => {
    expect(legendFont(200, 4)).toBe(9);
    expect(legendFont(600, 4)).toBe(13);
    expect(legendFont(600, 18)).toBeLessThan(legendFont(600, 4));
  });

  it('lists each optimizer once, in index order', () => {
    const items = legendItems(
      [{ optimizer: 1 }, { optimizer: 0 }, { optimizer: 1 }, { optimizer: 0 }],
      (i) => `o${i}`,
      (i) => `c${i}`,
    );
    expect(items).toEqual([
      { optimizer: 0, label: 'o0', color: 'c0' },
      { optimizer: 1, label: 'o1', color: 'c1' },
    ]);
  });
});
