/**
 * The static part of a 2-D loss-landscape plot: a canvas heatmap of log-scaled loss,
 * SVG contour lines and axes. Redrawn only when the grid, window or size changes; the
 * trajectories are drawn over it every frame by `landscape-runs.ts`. Pure drawing.
 */
import * as d3 from 'd3';
import { sizedSvg } from './svg-size';
import { scaledMargin, typeScale, type Margin } from './plot-type';
import type { LossGrid, Trajectory, Window } from '../../engine/page';

export interface TrajectoryView {
  id: string;
  /** The optimizer's index (the legend has one row per optimizer). */
  optimizer: number;
  /** The run's label (`runLabel`). */
  label: string;
  /** The optimizer's label (`optimizerLabel`), as the legend names it. */
  optimizerLabel: string;
  color: string;
  dashed: boolean;
  /** Switch runs (θ → φ at step k): dotted, with a marker at point `mark.at`. */
  dotted?: boolean;
  mark?: { at: number; label: string };
  /** Points in this plot's coordinates (the store's own, or a prefix view at the cursor). */
  points: Trajectory;
  diverged: boolean;
}

export interface LandscapeView extends BaseView {
  trajectories: TrajectoryView[];
  /** The common start point (θ₀ or φ₀) in plot coordinates. */
  start: number[] | null;
}

export interface LandscapeElements {
  canvas: HTMLCanvasElement;
  svg: SVGSVGElement;
}

let clipCounter = 0;

export const MARGIN: Margin = { top: 12, right: 12, bottom: 40, left: 52 };

/** The margins of a landscape drawn at type scale `k` (plot-type.ts; the SVG's data-type-scale). */
export const landscapeMargin = (k: number): Margin => scaledMargin(MARGIN, k);

/** Map the grid to colour values: log of (loss − min), robust to negative losses; NaN stays NaN. */
function toLevels(values: Float32Array): Float64Array {
  let min = Infinity;
  for (const v of values) if (Number.isFinite(v) && v < min) min = v;
  const out = new Float64Array(values.length);
  values.forEach((v, i) => {
    out[i] = Number.isFinite(v) ? Math.log10(v - min + 1e-3) : NaN;
  });
  return out;
}

function drawHeatmap(
  canvas: HTMLCanvasElement,
  grid: LossGrid,
  levels: Float64Array,
  w: number,
  h: number,
  m: Margin,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const finite = Array.from(levels).filter(Number.isFinite);
  const [lo, hi] = d3.extent(finite) as [number, number];
  const color = d3.scaleSequential(d3.interpolateViridis).domain([hi ?? 1, lo ?? 0]);
  const img = new ImageData(grid.n, grid.n);
  for (let j = 0; j < grid.n; j++) {
    for (let i = 0; i < grid.n; i++) {
      const v = levels[j * grid.n + i] as number;
      const row = grid.n - 1 - j; // canvas rows go down, y goes up
      const o = 4 * (row * grid.n + i);
      const c = Number.isFinite(v) ? d3.rgb(color(v)) : d3.rgb(235, 235, 235);
      img.data[o] = c.r;
      img.data[o + 1] = c.g;
      img.data[o + 2] = c.b;
      img.data[o + 3] = 255;
    }
  }
  const off = new OffscreenCanvas(grid.n, grid.n);
  off.getContext('2d')?.putImageData(img, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  // Cell centres sit on the grid points: stretch by half a cell beyond the window.
  const cw = w / (grid.n - 1);
  const ch = h / (grid.n - 1);
  ctx.drawImage(off, m.left - cw / 2, m.top - ch / 2, w + cw, h + ch);
}

/** Pixel scales of a plot of `window` in a box of width × height. */
export function plotScales(window: Window, width: number, height: number, m: Margin = MARGIN): Scales {
  const w = Math.max(10, width - m.left - m.right);
  const h = Math.max(10, height - m.top - m.bottom);
  const [[x0, x1], [y0, y1]] = window;
  return {
    x: d3
      .scaleLinear()
      .domain([x0, x1])
      .range([m.left, m.left + w]),
    y: d3
      .scaleLinear()
      .domain([y0, y1])
      .range([m.top + h, m.top]),
    w,
    h,
  };
}

export interface Scales {
  x: d3.ScaleLinear<number, number>;
  y: d3.ScaleLinear<number, number>;
  w: number;
  h: number;
}

export interface BaseView {
  grid: LossGrid | null;
  window: Window;
  axisNames: [string, string];
}

/** Draw heatmap, contours and axes into `el.canvas` and the `<g>` layer `base`. */
export function drawBase(
  el: LandscapeElements,
  base: SVGGElement,
  view: BaseView,
  width: number,
  height: number,
): Scales {
  const k = typeScale(el.svg, width, height);
  const m = landscapeMargin(k);
  el.svg.dataset.typeScale = String(k);
  const scales = plotScales(view.window, width, height, m);
  const { x, y, w, h } = scales;
  const dpr = globalThis.devicePixelRatio || 1;
  el.canvas.width = Math.round(width * dpr);
  el.canvas.height = Math.round(height * dpr);
  el.canvas.style.width = `${width}px`;
  el.canvas.style.height = `${height}px`;
  el.canvas.getContext('2d')?.setTransform(dpr, 0, 0, dpr, 0, 0);
  const [[x0, x1], [y0, y1]] = view.window;
  sizedSvg(el.svg, width, height);
  const svg = d3.select(base);
  svg.selectAll('*').remove();
  const clip = `landscape-clip-${++clipCounter}`;
  base.dataset.clip = clip;
  svg
    .append('clipPath')
    .attr('id', clip)
    .append('rect')
    .attr('x', m.left)
    .attr('y', m.top)
    .attr('width', w)
    .attr('height', h);

  if (view.grid) {
    const grid = view.grid;
    const levels = toLevels(grid.values);
    drawHeatmap(el.canvas, grid, levels, w, h, m);
    const finite = Array.from(levels).filter(Number.isFinite);
    const top = d3.max(finite) ?? 1;
    const filled = Array.from(levels, (v) => (Number.isFinite(v) ? v : top));
    const contours = d3.contours().size([grid.n, grid.n]).thresholds(14)(filled);
    const toPx = d3.geoTransform({
      point(cx: number, cy: number) {
        this.stream.point(
          x(x0 + ((x1 - x0) * (cx - 0.5)) / (grid.n - 1)),
          y(y0 + ((y1 - y0) * (cy - 0.5)) / (grid.n - 1)),
        );
      },
    });
    svg
      .append('g')
      .attr('class', 'contours')
      .attr('clip-path', `url(#${clip})`)
      .selectAll('path')
      .data(contours)
      .join('path')
      .attr('d', d3.geoPath(toPx))
      .attr('fill', 'none')
      .attr('stroke', 'rgba(255,255,255,0.45)')
      .attr('stroke-width', 0.8);
  } else {
    el.canvas.getContext('2d')?.clearRect(0, 0, width, height);
  }

  svg
    .append('g')
    .attr('transform', `translate(0,${m.top + h})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(d3.axisLeft(y).ticks(6));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', m.left + w / 2)
    .attr('y', height - 6 * k)
    .attr('text-anchor', 'middle')
    .text(view.axisNames[0]);
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(${Math.round(14 * k)},${m.top + h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(view.axisNames[1]);

  if (view.grid) legend(svg, x.range()[1] as number, y.range()[1] as number);
  return scales;
}

/** Where the heatmap's colour key sits (top-right of the plot area), for the run legend to avoid. */
export function colorKeyRect(scales: Scales): { left: number; top: number; right: number; bottom: number } {
  const right = scales.x.range()[1] as number;
  const top = scales.y.range()[1] as number;
  return { left: right - 122, top: top + 4, right: right - 4, bottom: top + 32 };
}

/** A small colour key in the top-right corner: the heatmap is log-scaled loss. */
function legend(svg: d3.Selection<SVGGElement, unknown, null, undefined>, right: number, top: number): void {
  const id = `legend-grad-${clipCounter}`;
  const grad = svg.append('defs').append('linearGradient').attr('id', id);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    grad
      .append('stop')
      .attr('offset', t)
      .attr('stop-color', d3.interpolateViridis(1 - t));
  }
  const g = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${right - 118},${top + 8})`);
  g.append('rect').attr('width', 110).attr('height', 8).attr('fill', `url(#${id})`).attr('stroke', 'white');
  g.append('text').attr('class', 'legend-text').attr('y', 20).text('low');
  g.append('text')
    .attr('class', 'legend-text')
    .attr('x', 110)
    .attr('y', 20)
    .attr('text-anchor', 'end')
    .text('high');
  g.append('text')
    .attr('class', 'legend-text')
    .attr('x', 55)
    .attr('y', 20)
    .attr('text-anchor', 'middle')
    .text('loss (log)');
}
