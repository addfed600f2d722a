/**
 * docs/theory.md §6 report charts (pure drawing; the worker computes the numbers): test error
 * against step per run, and the newest spectrum per run (singular values of W, or sorted
 * |w|) as dots by index, θ-run beside φ-run. Both on a log y axis.
 */
import * as d3 from 'd3';
import { sizedSvg } from './svg-size';
import { scaledMargin, typeScale } from './plot-type';

export interface ReportSeries {
  id: string;
  color: string;
  /** φ-runs: dashed line, hollow dots. */
  dashed: boolean;
  steps: number[];
  error: number[];
  spectrum: number[];
}

const MARGIN = { top: 10, right: 12, bottom: 34, left: 56 };
/** The margins and type scale (plot-type.ts) of the chart being drawn: set first by each draw. */
let M = MARGIN;
let K = 1;
function sizeFor(svgEl: SVGSVGElement, width: number, height: number): void {
  K = typeScale(svgEl, width, height);
  M = scaledMargin(MARGIN, K);
}
/** A log axis spans at most this many decades below its top (tiny values are clamped). */
const DECADES = 8;

/** Log-scale y domain of the positive finite values, clamped to DECADES below the top. */
function logDomain(values: number[]): [number, number] {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!pos.length) return [1e-3, 1];
  const hi = d3.max(pos) as number;
  const lo = Math.max(d3.min(pos) as number, hi * 10 ** -DECADES);
  return lo === hi ? [lo / 10, hi * 10] : [lo, hi];
}

/** Short log-axis labels: plain between 0.001 and 10⁴, else 1e-6 style; 1, 2, 5 × 10ᵏ only. */
function tick(v: d3.NumberValue): string {
  const n = Number(v);
  // Only 1, 2 and 5 × 10ᵏ get a label: a one-decade axis would otherwise label 0.2 … 1 densely.
  const mantissa = Math.round(n / 10 ** Math.floor(Math.log10(n) + 1e-9));
  if (![1, 2, 5].includes(mantissa)) return '';
  return n >= 1e-3 && n < 1e4 ? d3.format('~g')(n) : d3.format('.0e')(n);
}

function frame(
  svgEl: SVGSVGElement,
  width: number,
  height: number,
  x: d3.ScaleLinear<number, number>,
  y: d3.ScaleLogarithmic<number, number>,
  labels: [string, string],
) {
  const h = Math.max(10, height - M.top - M.bottom);
  const svg = sizedSvg(svgEl, width, height);
  svg.selectAll('*').remove();
  svg
    .append('g')
    .attr('transform', `translate(0,${M.top + h})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(4).tickFormat(tick));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', (M.left + width - M.right) / 2)
    .attr('y', height - 4 * K)
    .attr('text-anchor', 'middle')
    .text(labels[0]);
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(${Math.round(14 * K)},${M.top + h / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text(labels[1]);
  return svg;
}

const yScale = (values: number[], height: number) =>
  d3
    .scaleLog()
    .domain(logDomain(values))
    .range([height - M.bottom, M.top])
    .clamp(true);

/** Test error against step, one path per run. */
export function drawReportError(
  svgEl: SVGSVGElement,
  series: ReportSeries[],
  width: number,
  height: number,
  yLabel: string,
): void {
  sizeFor(svgEl, width, height);
  const steps = d3.max(series, (s) => s.steps[s.steps.length - 1] ?? 0) ?? 1;
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, steps)])
    .range([M.left, Math.max(M.left + 10, width - M.right)]);
  const y = yScale(
    series.flatMap((s) => s.error),
    height,
  );
  const svg = frame(svgEl, width, height, x, y, ['step', yLabel]);
  svg
    .append('g')
    .selectAll('path')
    .data(series)
    .join('path')
    .attr('class', 'report-error-line')
    .attr('data-run', (s) => s.id)
    .attr('d', (s) =>
      d3
        .line<number>()
        .x((_, i) => x(s.steps[i] ?? 0))
        .y((v) => y(v))
        .defined(Number.isFinite)(s.error),
    )
    .attr('fill', 'none')
    .attr('stroke', (s) => s.color)
    .attr('stroke-width', 2)
    .attr('stroke-dasharray', (s) => (s.dashed ? '6 4' : null));
}

/** The newest spectrum of each run: dots at index i (1-based), runs side by side. */
export function drawReportSpectrum(
  svgEl: SVGSVGElement,
  series: ReportSeries[],
  width: number,
  height: number,
  yLabel: string,
): void {
  sizeFor(svgEl, width, height);
  const n = d3.max(series, (s) => s.spectrum.length) ?? 1;
  const x = d3
    .scaleLinear()
    .domain([0.5, Math.max(1, n) + 0.5])
    .range([M.left, Math.max(M.left + 10, width - M.right)]);
  const y = yScale(
    series.flatMap((s) => s.spectrum),
    height,
  );
  const svg = frame(svgEl, width, height, x, y, ['index (largest first)', yLabel]);
  // Runs side by side within each index slot, so θ- and φ-run values never hide each other.
  const slot = (x(1.5) - x(0.5)) * 0.6;
  const offset = (r: number): number => (series.length > 1 ? (r / (series.length - 1) - 0.5) * slot : 0);
  const floor = y.domain()[0] as number;
  svg
    .append('g')
    .selectAll('g')
    .data(series)
    .join('g')
    .attr('class', 'report-spectrum')
    .attr('data-run', (s) => s.id)
    .each(function (s, r) {
      d3.select(this)
        .selectAll('circle')
        .data(s.spectrum.filter(Number.isFinite))
        .join('circle')
        .attr('class', 'report-spectrum-dot')
        .attr('cx', (_, i) => x(i + 1) + offset(r))
        .attr('cy', (v) => y(Math.max(v, floor)))
        .attr('r', 3.5)
        .attr('fill', s.dashed ? 'none' : s.color)
        .attr('stroke', s.color)
        .attr('stroke-width', 1.5);
    });
}
