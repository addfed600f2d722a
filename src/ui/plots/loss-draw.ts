/** Draw loss against step for every run (θ-runs solid, φ-runs dashed). Pure drawing. */
import * as d3 from 'd3';

export interface LossSeries {
  id: string;
  color: string;
  dashed: boolean;
  loss: number[];
}

const M = { top: 10, right: 12, bottom: 34, left: 56 };

export function drawLoss(svgEl: SVGSVGElement, series: LossSeries[], width: number, height: number): void {
  const w = Math.max(10, width - M.left - M.right);
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = d3
    .select(svgEl)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
  svg.selectAll('*').remove();
  const all = series.flatMap((s) => s.loss.filter(Number.isFinite));
  const steps = d3.max(series, (s) => s.loss.length - 1) ?? 1;
  const [lo, hi] = all.length ? (d3.extent(all) as [number, number]) : [0, 1];
  const pad = (hi - lo) * 0.05 || 1;
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, M.left + w]);
  const y = d3
    .scaleLinear()
    .domain([lo - pad, hi + pad])
    .range([M.top + h, M.top]);
  svg
    .append('g')
    .attr('transform', `translate(0,${M.top + h})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5));
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
    .text('loss');
  const line = d3
    .line<number>()
    .x((_, i) => x(i))
    .y((v) => y(v))
    .defined(Number.isFinite);
  svg
    .append('g')
    .selectAll('path')
    .data(series)
    .join('path')
    .attr('class', 'loss-line')
    .attr('data-run', (s) => s.id)
    .attr('d', (s) => line(s.loss))
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', (s) => (s.dashed ? '6 4' : null));
}
