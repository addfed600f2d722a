/**
 * The φ plot's overlay: the image of a regular θ grid (thin white polylines, clipped to
 * the plot) and, on request, a shading of log|det J_f| that replaces the loss heatmap,
 * with its own legend. The numbers come from the worker (worker/phi-geometry.ts); this
 * file only maps them to pixels and colours.
 */
import * as d3 from 'd3';
import type { PhiGeometry } from '../../protocol/messages';
import type { Scales } from './landscape-base';

export interface PhiGeometryLayers {
  canvas: HTMLCanvasElement;
  /** The base layer drawn by `drawBase` (its loss legend is hidden while shading). */
  base: SVGGElement;
  /** The `<g class="theta-grid">` this draws into. */
  layer: SVGGElement;
}

/** Draw the θ grid lines, and with `shade` the log|det J| heatmap and its legend. */
export function drawPhiGeometry(
  el: PhiGeometryLayers,
  geometry: PhiGeometry | null,
  scales: Scales,
  clip: string,
  shade: boolean,
): void {
  const g = d3.select(el.layer);
  g.selectAll('*').remove();
  const shading = shade && geometry !== null;
  d3.select(el.base)
    .select('.legend')
    .attr('display', shading ? 'none' : null);
  if (!geometry) return;
  if (shading) shadeDet(el.canvas, geometry, scales, g);
  const line = d3
    .line<number[]>()
    .x((p) => scales.x(p[0] as number))
    .y((p) => scales.y(p[1] as number));
  g.append('g')
    .attr('class', 'grid-lines')
    .attr('clip-path', clip ? `url(#${clip})` : null)
    .selectAll('path')
    .data(geometry.lines)
    .join('path')
    .attr('d', (l) => line(l))
    .attr('fill', 'none')
    .attr('stroke', 'rgba(255,255,255,0.55)')
    .attr('stroke-width', 0.9);
}

/** ln|det J| per grid point; NaN where det J is missing or zero. */
function logAbs(detJ: Float32Array): Float64Array {
  return Float64Array.from(detJ, (d) => (Number.isFinite(d) && d !== 0 ? Math.log(Math.abs(d)) : NaN));
}

function shadeDet(
  canvas: HTMLCanvasElement,
  geometry: PhiGeometry,
  scales: Scales,
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { n, window } = geometry;
  const levels = logAbs(geometry.detJ);
  const [lo = 0, hi = 0] = d3.extent(Array.from(levels).filter(Number.isFinite));
  // A constant |det J| (affine maps) still gets a readable one-colour key.
  const domain: [number, number] = hi - lo > 1e-9 ? [lo, hi] : [lo - 1, hi + 1];
  const color = d3.scaleSequential(d3.interpolateCividis).domain(domain);
  const img = new ImageData(n, n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const v = levels[j * n + i] as number;
      const o = 4 * ((n - 1 - j) * n + i); // canvas rows go down, y goes up
      const c = Number.isFinite(v) ? d3.rgb(color(v)) : d3.rgb(235, 235, 235);
      img.data.set([c.r, c.g, c.b, 255], o);
    }
  }
  const off = new OffscreenCanvas(n, n);
  off.getContext('2d')?.putImageData(img, 0, 0);
  const [[x0, x1], [y0, y1]] = window;
  // Cell centres sit on the grid points: half a cell beyond the window on each side.
  const cw = (scales.x(x1) - scales.x(x0)) / (n - 1);
  const ch = (scales.y(y0) - scales.y(y1)) / (n - 1);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.imageSmoothingEnabled = true;
  ctx.save();
  ctx.beginPath();
  ctx.rect(scales.x.range()[0] as number, scales.y.range()[1] as number, scales.w, scales.h);
  ctx.clip();
  ctx.drawImage(
    off,
    scales.x(x0) - cw / 2,
    scales.y(y1) - ch / 2,
    scales.x(x1) - scales.x(x0) + cw,
    scales.y(y0) - scales.y(y1) + ch,
  );
  ctx.restore();
  detLegend(g, scales, domain);
}

/** Unique gradient ids: two φ plots (e.g. an export) may share a document. */
let gradients = 0;

/** The shading's key in the top-right corner, where the loss legend sits otherwise. */
function detLegend(
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  scales: Scales,
  [lo, hi]: [number, number],
): void {
  const id = `detj-grad-${++gradients}`;
  const grad = g.append('defs').append('linearGradient').attr('id', id);
  for (const t of [0, 0.25, 0.5, 0.75, 1])
    grad.append('stop').attr('offset', t).attr('stop-color', d3.interpolateCividis(t));
  const right = scales.x.range()[1] as number;
  const top = scales.y.range()[1] as number;
  const legend = g
    .append('g')
    .attr('class', 'legend detj-legend')
    .attr('transform', `translate(${right - 148},${top + 8})`);
  legend
    .append('rect')
    .attr('width', 140)
    .attr('height', 8)
    .attr('fill', `url(#${id})`)
    .attr('stroke', 'white');
  const fmt = d3.format('.2~f');
  const text = (x: number, anchor: string, s: string): void => {
    legend
      .append('text')
      .attr('class', 'legend-text')
      .attr('x', x)
      .attr('y', 20)
      .attr('text-anchor', anchor)
      .text(s);
  };
  text(0, 'start', fmt(lo));
  text(140, 'end', fmt(hi));
  text(70, 'middle', 'log|det J|');
}
