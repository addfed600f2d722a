/**
 * Keyboard zoom and pan of a plot window: the same kind of window the mouse
 * gesture hands to `onWindow` (use-zoom.ts), computed from the window alone. Pure.
 */
import type { Window } from '../../engine/page';

/** Zoom factor of one press: the window's width and height shrink (in) or grow (out) by it. */
export const ZOOM_STEP = 1.5;
/** Pan of one press, as a fraction of the window's width or height. */
export const PAN_STEP = 0.2;

/** The window zoomed about its centre: factor > 1 zooms in (a smaller window), < 1 out. */
export function zoomWindow(win: Window, factor: number): Window {
  const [[x0, x1], [y0, y1]] = win;
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const hx = (x1 - x0) / (2 * factor);
  const hy = (y1 - y0) / (2 * factor);
  return [
    [cx - hx, cx + hx],
    [cy - hy, cy + hy],
  ];
}

/** The window moved by (dx, dy) of its own width and height: dx > 0 shows more to the right. */
export function panWindow(win: Window, dx: number, dy: number): Window {
  const [[x0, x1], [y0, y1]] = win;
  const sx = dx * (x1 - x0);
  const sy = dy * (y1 - y0);
  return [
    [x0 + sx, x1 + sx],
    [y0 + sy, y1 + sy],
  ];
}
