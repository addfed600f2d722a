/**
 * The moving part of a landscape plot: every run's trajectory (θ-runs solid, pushed-
 * forward φ-runs dashed, each over a light halo) with its current point, the common
 * start point (draggable where the plot allows it), and a hover read-out of the
 * coordinates, the loss there and each run's nearest step. Pure drawing over scales.
 */
import * as d3 from 'd3';
import type { LandscapeView, Scales } from './landscape-base';

export interface RunsOptions {
  /** Called with the new start point (plot coordinates) when the start marker is dropped. */
  onStartDrop?: (point: [number, number]) => void;
}

const fmt = d3.format('.4~g');

export function drawRuns(
  layer: SVGGElement,
  view: LandscapeView,
  s: Scales,
  clip: string,
  options: RunsOptions,
): void {
  const { x, y } = s;
  const g = d3.select(layer);
  g.selectAll('*').remove();
  const line = d3
    .line<number[]>()
    .x((p) => x(p[0] as number))
    .y((p) => y(p[1] as number))
    .defined((p) => p !== undefined && Number.isFinite(p[0]) && Number.isFinite(p[1]));
  const runs = g.append('g').attr('class', 'trajectories').attr('clip-path', `url(#${clip})`);
  for (const t of view.trajectories) {
    if (t.points.length === 0) continue;
    const tg = runs.append('g').attr('class', 'trajectory').attr('data-run', t.id);
    const d = line(t.points);
    for (const [cls, stroke, width] of [
      ['halo', 'rgba(255,255,255,0.85)', 5],
      ['line', t.color, 2.5],
    ] as const) {
      tg.append('path')
        .attr('class', cls)
        .attr('d', d)
        .attr('fill', 'none')
        .attr('stroke', stroke)
        .attr('stroke-width', width)
        .attr('stroke-dasharray', t.dashed ? '7 5' : null)
        .attr('stroke-linecap', 'round');
    }
    const last = t.points[t.points.length - 1] as number[];
    tg.append('circle')
      .attr('class', 'head')
      .attr('cx', x(last[0] as number))
      .attr('cy', y(last[1] as number))
      .attr('r', 5)
      .attr('fill', t.diverged ? 'crimson' : t.color)
      .attr('stroke', 'white')
      .attr('stroke-width', 1.5)
      .append('title')
      .text(`${t.label}${t.diverged ? ' (diverged)' : ''}`);
  }
  hover(g, view, s);
  if (view.start) startMarker(g, view.start, s, options);
}

function startMarker(
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  start: number[],
  { x, y }: Scales,
  options: RunsOptions,
): void {
  const marker = g
    .append('circle')
    .attr('class', 'start-handle')
    .attr('cx', x(start[0] as number))
    .attr('cy', y(start[1] as number))
    .attr('r', 6)
    .attr('fill', 'white')
    .attr('stroke', '#222')
    .attr('stroke-width', 1.5);
  marker.append('title').text(options.onStartDrop ? 'start point: drag to move it' : 'start point');
  if (!options.onStartDrop) return;
  const drop = options.onStartDrop;
  marker.style('cursor', 'grab').call(
    d3
      .drag<SVGCircleElement, unknown>()
      .on('drag', (e: d3.D3DragEvent<SVGCircleElement, unknown, unknown>) => {
        marker.attr('cx', e.x).attr('cy', e.y);
      })
      .on('end', (e: d3.D3DragEvent<SVGCircleElement, unknown, unknown>) => {
        drop([x.invert(e.x), y.invert(e.y)]);
      }),
  );
}

function hover(g: d3.Selection<SVGGElement, unknown, null, undefined>, view: LandscapeView, s: Scales): void {
  const { x, y, w, h } = s;
  const tip = g
    .append('g')
    .attr('class', 'hover-tip')
    .style('display', 'none')
    .attr('pointer-events', 'none');
  const box = tip.append('rect').attr('rx', 4).attr('fill', 'rgba(20,24,33,0.85)');
  const text = tip.append('text').attr('fill', 'white').attr('font-size', 12);
  g.insert('rect', ':first-child')
    .attr('class', 'hover-area')
    .attr('x', x.range()[0] as number)
    .attr('y', y.range()[1] as number)
    .attr('width', w)
    .attr('height', h)
    .attr('fill', 'transparent')
    .on('pointerleave', () => tip.style('display', 'none'))
    .on('pointermove', (e: PointerEvent) => {
      const [px, py] = d3.pointer(e);
      const lines = readout(view, s, px, py);
      text
        .selectAll('tspan')
        .data(lines)
        .join('tspan')
        .attr('x', 8)
        .attr('dy', (_, i) => (i === 0 ? 16 : 15))
        .text((l) => l);
      const bb = (text.node() as SVGTextElement).getBBox();
      box.attr('width', bb.width + 16).attr('height', bb.height + 10);
      const left = px + bb.width + 30 > x.range()[1]! ? px - bb.width - 26 : px + 10;
      tip
        .attr('transform', `translate(${left},${Math.max(y.range()[1]!, py - bb.height - 14)})`)
        .style('display', null);
    });
}

/** What the hover shows at pixel (px, py): coordinates, the grid's loss there, nearby runs' steps. */
function readout(view: LandscapeView, { x, y }: Scales, px: number, py: number): string[] {
  const [a, b] = [x.invert(px), y.invert(py)];
  const lines = [`${view.axisNames[0]} = ${fmt(a)}, ${view.axisNames[1]} = ${fmt(b)}`];
  const grid = view.grid;
  if (grid) {
    const [[x0, x1], [y0, y1]] = grid.window;
    const i = Math.round(((a - x0) / (x1 - x0)) * (grid.n - 1));
    const j = Math.round(((b - y0) / (y1 - y0)) * (grid.n - 1));
    const v = i >= 0 && j >= 0 && i < grid.n && j < grid.n ? grid.values[j * grid.n + i] : undefined;
    if (v !== undefined) lines.push(`loss ≈ ${Number.isFinite(v) ? fmt(v) : 'undefined here'}`);
  }
  for (const t of view.trajectories) {
    let best = -1;
    let dist = 12 * 12;
    t.points.forEach((p, k) => {
      const d = (x(p[0] as number) - px) ** 2 + (y(p[1] as number) - py) ** 2;
      if (d < dist) [best, dist] = [k, d];
    });
    if (best >= 0) lines.push(`${t.label}: step ${best}`);
  }
  return lines.slice(0, 8);
}
