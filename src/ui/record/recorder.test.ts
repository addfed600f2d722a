import { describe, expect, it } from 'vitest';
import { gifPalette, indexFrame } from './recorder';

const px = (...rgb: number[][]): Uint8ClampedArray => Uint8ClampedArray.from(rgb.flatMap((c) => [...c, 255]));

describe('indexFrame', () => {
  it('maps each pixel to its nearest palette colour in full 24-bit colour', () => {
    const palette = [
      [0, 0, 0],
      [33, 145, 140],
      [34, 146, 141],
      [255, 255, 255],
    ];
    // 34,146,141 and 33,145,140 round to the same 16-bit colour; here they stay apart.
    const out = indexFrame(
      px([1, 2, 3], [33, 145, 140], [34, 147, 141], [250, 250, 250]),
      null,
      palette,
      new Map(),
    );
    expect([...out]).toEqual([0, 1, 2, 3]);
  });

  it('marks pixels unchanged since the previous frame as 255 (transparent)', () => {
    const palette = [
      [0, 0, 0],
      [255, 255, 255],
    ];
    const prev = px([0, 0, 0], [255, 255, 255], [0, 0, 0]);
    const out = indexFrame(px([0, 0, 0], [0, 0, 0], [0, 0, 0]), prev, palette, new Map());
    expect([...out]).toEqual([255, 0, 255]);
  });
});

describe('gifPalette', () => {
  it('has 255 colours: the viridis ramp from yellow-green to purple, then the frames’ own', () => {
    const frame = px([255, 255, 255], [200, 30, 30], [10, 10, 10]);
    const p = gifPalette(frame, frame);
    expect(p.length).toBeLessThanOrEqual(255);
    expect(p.length).toBeGreaterThan(160);
    expect(p[0]).toEqual([68, 1, 84]);
    expect(p[159]).toEqual([253, 231, 37]);
  });
});
