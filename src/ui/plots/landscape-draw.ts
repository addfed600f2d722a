/**
 * Draw a 2-D loss landscape: a canvas heatmap of log-scaled loss, SVG contour lines,
 * axes, and every run's trajectory (θ-runs solid, pushed-forward φ-runs dashed) with
 * its start and current point. A pure function of data and size: no store, no math
 * beyond scales.
 */
import * as d3 from 'd3';
import type { LossGrid, Window } from '../../engine/landscape/grid';

export interface TrajectoryView {
  id: string;
  label: string;
  color: string;
  dashed: boolean;
  /** Points in this plot's coordinates. */
  points: number[][];
  diverged: boolean;
}

export interface LandscapeView {
  grid: LossGrid | null;
  window: Window;
  axisNames: [string, string];
  trajectories: TrajectoryView[];
}

export interface LandscapeElements {
  canvas: HTMLCanvasElement;
  svg: SVGSVGElement;
}

let clipCounter = 0;

export const MARGIN = { top: 12, right: 12, bottom: 40, left: 52 };

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
  ctx.drawImage(off, MARGIN.left - cw / 2, MARGIN.top - ch / 2, w + cw, h + ch);
}

export function drawLandscape(
  el: LandscapeElements,
  view: LandscapeView,
  width: number,
  height: number,
): void {
  const w = Math.max(10, width - MARGIN.left - MARGIN.right);
  const h = Math.max(10, height - MARGIN.top - MARGIN.bottom);
  const dpr = globalThis.devicePixelRatio || 1;
  el.canvas.width = Math.round(width * dpr);
  el.canvas.height = Math.round(height * dpr);
  el.canvas.style.width = `${width}px`;
  el.canvas.style.height = `${height}px`;
  el.canvas.getContext('2d')?.setTransform(dpr, 0, 0, dpr, 0, 0);
  const [[x0, x1], [y0, y1]] = view.window;
  const x = d3
    .scaleLinear()
    .domain([x0, x1])
    .range([MARGIN.left, MARGIN.left + w]);
  const y = d3
    .scaleLinear()
    .domain([y0, y1])
    .range([MARGIN.top + h, MARGIN.top]);
  const svg = d3
    .select(el.svg)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.selectAll('*').remove();
  const clip = `landscape-clip-${++clipCounter}`;
  svg
    .append('clipPath')
    .attr('id', clip)
    .append('rect')
    .attr('x', MARGIN.left)
    .attr('y', MARGIN.top)
    .attr('width', w)
    .attr('height', h);

  if (view.grid) {
    const grid = view.grid;
    const levels = toLevels(grid.values);
    drawHeatmap(el.canvas, grid, levels, w, h);
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
    .attr('transform', `translate(0,${MARGIN.top + h})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${MARGIN.left},0)`).call(d3.axisLeft(y).ticks(6));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', MARGIN.left + w / 2)
    .attr('y', height - 6)
    .attr('text-anchor', 'middle')
    .text(view.axisNames[0]);
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14,${MARGIN.top + h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(view.axisNames[1]);

  const line = d3
    .line<number[]>()
    .x((p) => x(p[0] as number))
    .y((p) => y(p[1] as number))
    .defined((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  const runs = svg.append('g').attr('class', 'trajectories').attr('clip-path', `url(#${clip})`);
  for (const t of view.trajectories) {
    if (t.points.length === 0) continue;
    const g = runs.append('g').attr('class', 'trajectory').attr('data-run', t.id);
    const d = line(t.points);
    // A light halo under each trajectory keeps it readable on any part of the heatmap.
    g.append('path')
      .attr('class', 'halo')
      .attr('d', d)
      .attr('fill', 'none')
      .attr('stroke', 'rgba(255,255,255,0.85)')
      .attr('stroke-width', 5)
      .attr('stroke-dasharray', t.dashed ? '7 5' : null)
      .attr('stroke-linecap', 'round');
    g.append('path')
      .attr('class', 'line')
      .attr('d', d)
      .attr('fill', 'none')
      .attr('stroke', t.color)
      .attr('stroke-width', 2.5)
      .attr('stroke-dasharray', t.dashed ? '7 5' : null)
      .attr('stroke-linecap', 'round');
    const first = t.points[0] as number[];
    const last = t.points[t.points.length - 1] as number[];
    g.append('circle')
      .attr('cx', x(first[0] as number))
      .attr('cy', y(first[1] as number))
      .attr('r', 4)
      .attr('fill', 'white')
      .attr('stroke', '#222');
    g.append('circle')
      .attr('class', 'head')
      .attr('cx', x(last[0] as number))
      .attr('cy', y(last[1] as number))
      .attr('r', 5)
      .attr('fill', t.diverged ? 'crimson' : t.color)
      .attr('stroke', 'white')
      .attr('stroke-width', 1.5)
      .append('title')
      .text(t.label);
  }
}
