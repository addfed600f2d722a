/**
 * Draws one decision-region heatmap (worker/decision.ts) on a canvas: two classes on a
 * diverging blue–white–vermilion scale of P(class 1) (white at 0.5, the boundary), more
 * classes in the palette by argmax class; the training points as dots in their class colour.
 */
import type { Window } from '../../engine/page';

/**
 * Class colours as RGB, all from the Okabe–Ito palette and all distinct: class 0 blue,
 * class 1 vermilion (the two ends of the diverging scale), then bluish green, reddish
 * purple, orange, sky blue, yellow, black — orange late, as its tint is near vermilion's.
 * Ten classes (MAX_CLASSES) reuse 0 and 1.
 */
const classHex = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];
const classRgb: [number, number, number][] = classHex.map((hex) => [
  parseInt(hex.slice(1, 3), 16),
  parseInt(hex.slice(3, 5), 16),
  parseInt(hex.slice(5, 7), 16),
]);

const rgbOf = (c: number): [number, number, number] => classRgb[c % classRgb.length] ?? [128, 128, 128];

/** A class's colour as CSS (the training points' colour; legends). */
export const classColor = (c: number): string => classHex[c % classHex.length] ?? '#808080';

/** How far the more-than-two-class regions are tinted towards their class colour (0 … 1). */
export const ARGMAX_TINT = 0.55;

/** The heatmap colour of one grid value: p ∈ [0, 1] (two classes) or a class index. */
export function decisionColor(value: number, classes: number): [number, number, number] {
  if (!Number.isFinite(value)) return [200, 200, 200];
  const mix = (rgb: [number, number, number], f: number): [number, number, number] => [
    Math.round(255 + (rgb[0] - 255) * f),
    Math.round(255 + (rgb[1] - 255) * f),
    Math.round(255 + (rgb[2] - 255) * f),
  ];
  if (classes > 2) return mix(rgbOf(Math.round(value)), ARGMAX_TINT);
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

/** Two-class colours of p quantized to 1/LEVELS (RGB triples): one table instead of a colour per cell. */
const LEVELS = 1024;
let twoClassTable: Uint8ClampedArray | null = null;

function twoClassColors(): Uint8ClampedArray {
  if (twoClassTable) return twoClassTable;
  const t = new Uint8ClampedArray(3 * (LEVELS + 1));
  for (let k = 0; k <= LEVELS; k++) t.set(decisionColor(k / LEVELS, 2), 3 * k);
  return (twoClassTable = t);
}

/** One reused tile (n×n cells) and its pixels: the heatmaps all share a grid size. */
let tile: { canvas: OffscreenCanvas; image: ImageData } | null = null;

function tileOf(n: number): { canvas: OffscreenCanvas; image: ImageData } {
  if (tile?.image.width !== n) tile = { canvas: new OffscreenCanvas(n, n), image: new ImageData(n, n) };
  return tile;
}

/** The training points drawn once per (points, labels, window, size) and reused by every run's heatmap. */
const dotLayers = new WeakMap<Float32Array, { key: string; labels: Int32Array; canvas: OffscreenCanvas }>();

function dotLayer(img: DecisionImage, size: number, dpr: number): OffscreenCanvas {
  const key = `${String(img.window)}|${size}|${dpr}`;
  const cached = dotLayers.get(img.points);
  if (cached && cached.key === key && cached.labels === img.labels) return cached.canvas;
  const side = Math.round(size * dpr);
  const canvas = new OffscreenCanvas(side, side);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = img.window;
    const sx = (x: number): number => ((x - w[0][0]) / (w[0][1] - w[0][0])) * size;
    const sy = (y: number): number => size - ((y - w[1][0]) / (w[1][1] - w[1][0])) * size;
    ctx.lineWidth = 0.8;
    ctx.strokeStyle = '#fff';
    for (let k = 0; 2 * k + 1 < img.points.length; k++) {
      const [r, g, b] = rgbOf(img.labels[k] ?? 0);
      ctx.beginPath();
      ctx.arc(sx(img.points[2 * k] ?? 0), sy(img.points[2 * k + 1] ?? 0), 2.6, 0, 2 * Math.PI);
      ctx.fillStyle = `rgb(${r},${g},${b})`;
      ctx.fill();
      ctx.stroke();
    }
  }
  dotLayers.set(img.points, { key, labels: img.labels, canvas });
  return canvas;
}

/**
 * Paint `img` on `canvas` at size × size CSS pixels (y up, as in the landscape plots).
 * Called for every run each time the worker sends new regions, so it reuses its buffers,
 * looks colours up in a table and copies the (unchanging) training points from a cache.
 */
export function drawDecision(canvas: HTMLCanvasElement, img: DecisionImage, size: number): void {
  const dpr = globalThis.devicePixelRatio || 1;
  const side = Math.round(size * dpr);
  // Assigning a canvas's size clears and reallocates it: only when it differs.
  if (canvas.width !== side) canvas.width = side;
  if (canvas.height !== side) canvas.height = side;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { n } = img;
  const { canvas: cells, image } = tileOf(n);
  const data = image.data;
  const table = img.classes > 2 ? null : twoClassColors();
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = img.values[j * n + i] ?? NaN;
      const at = 4 * ((n - 1 - j) * n + i);
      if (table && Number.isFinite(v)) {
        const k = 3 * Math.round(Math.min(1, Math.max(0, v)) * LEVELS);
        data[at] = table[k] as number;
        data[at + 1] = table[k + 1] as number;
        data[at + 2] = table[k + 2] as number;
      } else {
        const [r, g, b] = decisionColor(v, img.classes);
        data[at] = r;
        data[at + 1] = g;
        data[at + 2] = b;
      }
      data[at + 3] = 255;
    }
  }
  cells.getContext('2d')?.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // Grid points are cell centres: stretch so that point 0 and point n−1 sit on the edges.
  const cell = size / (n - 1);
  ctx.drawImage(cells, -cell / 2, -cell / 2, size + cell, size + cell);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(dotLayer(img, size, dpr), 0, 0);
}
