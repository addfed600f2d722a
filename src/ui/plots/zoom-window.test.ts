import { describe, expect, it } from 'vitest';
import type { Window } from '../../engine/landscape/grid';
import { panWindow, zoomWindow } from './zoom-window';

const win: Window = [
  [-1, 3],
  [2, 4],
];

describe('keyboard zoom and pan of a plot window', () => {
  it('zooming keeps the centre and divides the extent by the factor; out undoes in', () => {
    const inner = zoomWindow(win, 2);
    expect(inner).toEqual([
      [0, 2],
      [2.5, 3.5],
    ]);
    const back = zoomWindow(inner, 0.5);
    back.flat().forEach((v, i) => expect(v).toBeCloseTo(win.flat()[i] as number, 12));
  });

  it('panning moves by a fraction of the extent and keeps the size', () => {
    expect(panWindow(win, 0.25, 0)).toEqual([
      [0, 4],
      [2, 4],
    ]);
    expect(panWindow(win, 0, -0.5)).toEqual([
      [-1, 3],
      [1, 3],
    ]);
  });
});
