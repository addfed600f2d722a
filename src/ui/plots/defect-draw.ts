/** Draw the naturality distance per step for each optimizer on a log scale. Pure drawing. */
import * as d3 from 'd3';

export interface DefectSeries {
  optimizer: number;
  label: string;
  color: string;
  values: number[];
}

const M = { top: 10, right: 12, bottom: 34, left: 56 };
const FLOOR = 1e-9;

export function drawDefects(
  svgEl: SVGSVGElement,
  series: DefectSeries[],
  width: number,
  height: number,
): void {
  const w = Math.max(10, width - M.left - M.right);
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = d3
    .select(svgEl)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.selectAll('*').remove();
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v) && v > 0));
  const steps = d3.max(series, (s) => s.values.length - 1) ?? 1;
  const lo = Math.max(FLOOR, (d3.min(all) ?? 1e-6) / 2);
  const hi = Math.max(lo * 10, (d3.max(all) ?? 1) * 2);
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, M.left + w]);
  const y = d3
    .scaleLog()
    .domain([lo, hi])
    .range([M.top + h, M.top])
    .clamp(true);
  svg
    .append('g')
    .attr('transform', `translate(0,${M.top + h})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5, '.0e'));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', M.left + w / 2)
    .attr('y', height - 4)
    .attr('text-anchor', 'middle')
    .text('step');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(14,${M.top + h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('‖θ̃ₖ − θₖ‖');
  const line = d3
    .line<number>()
    .x((_, i) => x(i))
    .y((v) => y(Math.max(FLOOR, v)))
    .defined((v, i) => Number.isFinite(v) && i > 0);
  svg
    .append('g')
    .selectAll('path')
    .data(series)
    .join('path')
    .attr('class', 'defect-line')
    .attr('data-optimizer', (s) => s.optimizer)
    .attr('d', (s) => line(s.values))
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 2);
}
