/**
 * Draw the "defect vs learning rate" sweep (docs/theory.md §4): D_K against η on log-log axes,
 * one colour per optimizer, measured points joined by a solid line and the least-squares
 * fit dashed, with the fitted slope in the legend. Pure drawing.
 */
import * as d3 from 'd3';
import { sizedSvg } from './svg-size';
import { scaledMargin, typeScale } from './plot-type';

export interface SweepCurve {
  optimizer: number;
  label: string;
  color: string;
  etas: number[];
  /** D_K per η (NaN: a run diverged; not drawn). */
  defects: number[];
  /** Fitted log-log slope and intercept (NaN: no fit). */
  slope: number;
  intercept: number;
}

const MARGIN = { top: 12, right: 14, bottom: 38, left: 60 };

const ok = (v: number): boolean => Number.isFinite(v) && v > 0;
/** Two decimals; a slope that rounds to zero shows as 0.00, not −0.00. */
export const fmtSlope = (v: number): string =>
  Number.isFinite(v) ? (Math.abs(v) < 0.005 ? 0 : v).toFixed(2) : 'n/a';

/**
 * Draw the curves; with no measured point yet (before the first sweep, or while it runs)
 * the axes carry no ticks — a log axis over a made-up range would crowd its η labels and
 * mean nothing — and `empty` is written in the middle instead.
 */
export function drawSweep(
  svgEl: SVGSVGElement,
  curves: SweepCurve[],
  width: number,
  height: number,
  empty = 'No sweep yet: press “Run sweep”.',
): void {
  const k = typeScale(svgEl, width, height);
  const M = scaledMargin(MARGIN, k);
  const w = Math.max(10, width - M.left - M.right);
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = sizedSvg(svgEl, width, height);
  svg.selectAll('*').remove();
  const etas = curves.flatMap((c) => c.etas).filter(ok);
  const ds = curves.flatMap((c) => c.defects).filter(ok);
  const [e0, e1] = etas.length ? (d3.extent(etas) as [number, number]) : [0.005, 0.05];
  const [d0, d1] = ds.length ? (d3.extent(ds) as [number, number]) : [1e-6, 1];
  const x = d3
    .scaleLog()
    .domain([e0 / 1.25, e1 * 1.25])
    .range([M.left, M.left + w]);
  const y = d3
    .scaleLog()
    .domain([d0 / 2.5, d1 * 2.5])
    .range([M.top + h, M.top])
    .clamp(true);
  // The measured η's are the ticks: 4 by default, a factor 2 apart, so their labels fit.
  const etaTicks = [...new Set(etas)].sort((a, b) => a - b);
  const hasData = etaTicks.length > 0;
  svg
    .append('g')
    .attr('class', 'x-axis')
    .attr('transform', `translate(0,${M.top + h})`)
    .call(
      d3
        .axisBottom(x)
        .tickValues(etaTicks)
        .tickFormat((v) => d3.format('.3~g')(Number(v))),
    );
  const yAxis = hasData ? d3.axisLeft(y).ticks(5, '.0e') : d3.axisLeft(y).tickValues([]);
  svg.append('g').attr('class', 'y-axis').attr('transform', `translate(${M.left},0)`).call(yAxis);
  if (!hasData) {
    svg
      .append('text')
      .attr('class', 'sweep-empty')
      .attr('x', M.left + w / 2)
      .attr('y', M.top + h / 2)
      .attr('text-anchor', 'middle')
      .attr('dominant-baseline', 'middle')
      .attr('fill', 'currentColor')
      .attr('opacity', 0.7)
      .text(empty);
  }
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', M.left + w / 2)
    .attr('y', height - 4 * k)
    .attr('text-anchor', 'middle')
    .text('learning rate η (log)');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(${Math.round(14 * k)},${M.top + h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('defect Dₖ (log)');

  const line = d3
    .line<[number, number]>()
    .x((p) => x(p[0]))
    .y((p) => y(p[1]))
    .defined((p) => ok(p[1]));
  const g = svg
    .append('g')
    .selectAll('g')
    .data(curves)
    .join('g')
    .attr('class', 'sweep-curve')
    .attr('data-optimizer', (c) => c.optimizer);
  g.append('path')
    .attr('class', 'fit')
    .attr('fill', 'none')
    .attr('stroke', (c) => c.color)
    .attr('stroke-width', 1.5)
    .attr('stroke-dasharray', '5 4')
    .attr('opacity', 0.8)
    .attr('d', (c) => {
      if (!Number.isFinite(c.slope) || !etaTicks.length) return null;
      const ends = [e0, e1].map((e): [number, number] => [e, Math.exp(c.intercept) * e ** c.slope]);
      return line(ends);
    });
  g.append('path')
    .attr('class', 'measured')
    .attr('fill', 'none')
    .attr('stroke', (c) => c.color)
    .attr('stroke-width', 2)
    .attr('d', (c) => line(c.etas.map((e, i): [number, number] => [e, c.defects[i] as number])));
  g.selectAll('circle')
    .data((c) =>
      c.etas.flatMap((e, i) => (ok(c.defects[i] as number) ? [{ c, e, d: c.defects[i] as number }] : [])),
    )
    .join('circle')
    .attr('cx', (p) => x(p.e))
    .attr('cy', (p) => y(p.d))
    .attr('r', 4)
    .attr('fill', (p) => p.c.color)
    .append('title')
    .text((p) => `${p.c.label}: η = ${d3.format('.4~g')(p.e)}, D = ${p.d.toExponential(2)}`);

  // Legend at the bottom right, where log-log curves of positive slope leave room.
  const legend = svg
    .append('g')
    .attr('class', 'legend')
    .attr('transform', `translate(${M.left + w - 30},${M.top + h - 12 - 18 * (curves.length - 1)})`);
  const items = legend
    .selectAll('g')
    .data(curves)
    .join('g')
    .attr('transform', (_, i) => `translate(0,${i * 18})`);
  items
    .append('text')
    .attr('text-anchor', 'end')
    .attr('dy', '0.35em')
    .attr('font-size', 12)
    // A white halo keeps the text legible over the curves.
    .attr('paint-order', 'stroke')
    .attr('stroke', 'white')
    .attr('stroke-width', 3)
    .text((c) => `${c.label}: slope ${fmtSlope(c.slope)}`);
  items
    .append('line')
    .attr('x1', 4)
    .attr('x2', 22)
    .attr('stroke', (c) => c.color)
    .attr('stroke-width', 3);
}
