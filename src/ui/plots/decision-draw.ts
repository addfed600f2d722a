/**
 * Draws one decision-region heatmap (worker/decision.ts) on a canvas: two classes on a
 * diverging blue–white–vermilion scale of P(class 1) (white at 0.5, the boundary), more
 * classes in the palette by argmax class; the training points as dots in their class colour.
 */
import type { Window } from '../../engine/landscape/grid';
import { palette } from './colors';

/** Class colours as RGB: class 0 blue, class 1 vermilion (Okabe–Ito), then the palette. */
const classRgb: [number, number, number][] = [
  [0, 114, 178],
  [213, 94, 0],
  ...palette
    .slice(1)
    .map((hex): [number, number, number] => [
      parseInt(hex.slice(1, 3), 16),
      parseInt(hex.slice(3, 5), 16),
      parseInt(hex.slice(5, 7), 16),
    ]),
];

const rgbOf = (c: number): [number, number, number] => classRgb[c % classRgb.length] ?? [128, 128, 128];

/** The heatmap colour of one grid value: p ∈ [0, 1] (two classes) or a class index. */
export function decisionColor(value: number, classes: number): [number, number, number] {
  if (!Number.isFinite(value)) return [200, 200, 200];
  const mix = (rgb: [number, number, number], f: number): [number, number, number] => [
    Math.round(255 + (rgb[0] - 255) * f),
    Math.round(255 + (rgb[1] - 255) * f),
    Math.round(255 + (rgb[2] - 255) * f),
  ];
  if (classes > 2) return mix(rgbOf(Math.round(value)), 0.55);
  // Diverging: white at 0.5, full class colour at 0 or 1.
  const t = Math.min(1, Math.abs(2 * value - 1));
  return mix(rgbOf(value >= 0.5 ? 1 : 0), 0.85 * t);
}

export interface DecisionImage {
  window: Window;
  /** Grid points per side; values[j·n + i] is at (x_i, y_j). */
  n: number;
  values: Float32Array;
  /** Training points flattened [N, 2] and their labels. */
  points: Float32Array;
  labels: Int32Array;
  classes: number;
}

/** Paint `img` on `canvas` at size × size CSS pixels (y up, as in the landscape plots). */
export function drawDecision(canvas: HTMLCanvasElement, img: DecisionImage, size: number): void {
  const dpr = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { n, window: w } = img;
  const cells = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const [r, g, b] = decisionColor(img.values[j * n + i] ?? NaN, img.classes);
      const at = 4 * ((n - 1 - j) * n + i);
      cells.data.set([r, g, b, 255], at);
    }
  }
  const tile = document.createElement('canvas');
  tile.width = n;
  tile.height = n;
  tile.getContext('2d')?.putImageData(cells, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // Grid points are cell centres: stretch so that point 0 and point n−1 sit on the edges.
  const cell = size / (n - 1);
  ctx.drawImage(tile, -cell / 2, -cell / 2, size + cell, size + cell);
  const sx = (x: number): number => ((x - w[0][0]) / (w[0][1] - w[0][0])) * size;
  const sy = (y: number): number => size - ((y - w[1][0]) / (w[1][1] - w[1][0])) * size;
  ctx.lineWidth = 0.8;
  for (let k = 0; 2 * k + 1 < img.points.length; k++) {
    const [r, g, b] = rgbOf(img.labels[k] ?? 0);
    ctx.beginPath();
    ctx.arc(sx(img.points[2 * k] ?? 0), sy(img.points[2 * k + 1] ?? 0), 2.6, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.strokeStyle = '#fff';
    ctx.fill();
    ctx.stroke();
  }
}
