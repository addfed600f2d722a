/**
 * The `digits` views (pure drawing; the worker computes every number, worker/reports.ts):
 * test accuracy against step per run; a confusion matrix per run, θ-run beside φ-run; a
 * strip of test digits with each run's prediction under it, wrong ones marked.
 */
import * as d3 from 'd3';
import { sizedSvg } from './svg-size';

export interface DigitsSeries {
  id: string;
  label: string;
  color: string;
  /** φ-runs: dashed line. */
  dashed: boolean;
  steps: number[];
  /** Test error (1 − accuracy) at `steps`. */
  error: number[];
  confusion: number[];
  predicted: number[];
}

const M = { top: 10, right: 12, bottom: 34, left: 48 };

/** Test accuracy (0 … 1) against step, one path per run. */
export function drawDigitsAccuracy(
  el: SVGSVGElement,
  series: readonly DigitsSeries[],
  width: number,
  height: number,
) {
  const svg = sizedSvg(el, width, height);
  svg.selectAll('*').remove();
  const maxStep = d3.max(series, (s) => d3.max(s.steps)) ?? 1;
  const x = d3
    .scaleLinear()
    .domain([0, Math.max(1, maxStep)])
    .range([M.left, width - M.right]);
  const y = d3
    .scaleLinear()
    .domain([0, 1])
    .range([height - M.bottom, M.top]);
  svg
    .append('g')
    .attr('transform', `translate(0,${height - M.bottom})`)
    .call(d3.axisBottom(x).ticks(6));
  svg.append('g').attr('transform', `translate(${M.left},0)`).call(d3.axisLeft(y).ticks(5, '.0%'));
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('x', (M.left + width - M.right) / 2)
    .attr('y', height - 4)
    .attr('text-anchor', 'middle')
    .text('step');
  svg
    .append('text')
    .attr('class', 'axis-label')
    .attr('transform', `translate(12,${(M.top + height - M.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .text('test accuracy');
  const line = d3
    .line<[number, number]>()
    .defined((d) => Number.isFinite(d[1]))
    .x((d) => x(d[0]))
    .y((d) => y(d[1]));
  for (const s of series) {
    svg
      .append('path')
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', 1.8)
      .attr('stroke-dasharray', s.dashed ? '5 3' : null)
      .attr('data-run', s.id)
      .attr('d', line(s.steps.map((k, i) => [k, 1 - (s.error[i] ?? Number.NaN)])));
  }
}

const cellFill = (r: number, c: number, share: number): string =>
  r === c
    ? d3.interpolateBlues(0.15 + 0.85 * share)
    : share > 0
      ? d3.interpolateReds(0.2 + 0.8 * share)
      : '#f4f4f4';

/**
 * One 10×10 confusion matrix per run (rows: true label, columns: prediction), side by side.
 * The cells are made once per width and set of runs; a redraw sets their colours and the
 * accuracy line.
 */
export function drawConfusions(el: SVGSVGElement, series: readonly DigitsSeries[], width: number) {
  const n = Math.max(1, series.length);
  const gap = 14;
  const side = Math.max(60, Math.min(170, (width - gap * (n + 1)) / n));
  const height = side + 40;
  const svg = sizedSvg(el, width, height);
  const key = `${width}|${series.map((s) => `${s.id}:${s.label}:${s.color}:${s.confusion.length}`).join(',')}`;
  if (el.dataset.cells !== key) {
    svg.selectAll('*').remove();
    el.dataset.cells = key;
    series.forEach((s, k) => {
      const C = Math.round(Math.sqrt(s.confusion.length)) || 10;
      const cell = side / C;
      const g = svg
        .append('g')
        .attr('transform', `translate(${gap + k * (side + gap)},18)`)
        .attr('data-run', s.id);
      for (let i = 0; i < C * C; i++)
        g.append('rect')
          .attr('class', 'cell')
          .attr('x', (i % C) * cell)
          .attr('y', Math.floor(i / C) * cell)
          .attr('width', cell - 0.5)
          .attr('height', cell - 0.5);
      g.append('rect')
        .attr('width', side)
        .attr('height', side)
        .attr('fill', 'none')
        .attr('stroke', s.color)
        .attr('stroke-width', 2)
        .attr('stroke-dasharray', s.dashed ? '5 3' : null);
      g.append('text').attr('class', 'axis-label').attr('y', -5).attr('font-size', 11).text(s.label);
      g.append('text')
        .attr('class', 'axis-label accuracy')
        .attr('y', side + 14)
        .attr('font-size', 11);
    });
  }
  series.forEach((s, k) => {
    const C = Math.round(Math.sqrt(s.confusion.length)) || 10;
    const rowTotals = Array.from({ length: C }, (_, r) => d3.sum(s.confusion.slice(r * C, r * C + C)) || 1);
    const g = svg.selectAll<SVGGElement, unknown>(':scope > g').filter((_, j) => j === k);
    g.selectAll<SVGRectElement, unknown>('rect.cell').attr('fill', (_, i) =>
      cellFill(Math.floor(i / C), i % C, (s.confusion[i] ?? 0) / (rowTotals[Math.floor(i / C)] as number)),
    );
    const acc = 1 - (s.error.at(-1) ?? Number.NaN);
    g.select('text.accuracy').text(Number.isFinite(acc) ? `${(100 * acc).toFixed(1)}% correct` : '—');
  });
  return height;
}

/**
 * The strip: each test digit as an 8×8 image with its label, each run's prediction below it.
 * The images are drawn once per strip and width (64 cells a digit); a redraw replaces only the
 * prediction rows, which change with every report.
 */
export function drawStrip(
  el: SVGSVGElement,
  strip: { pixels: number[][]; labels: number[] },
  series: readonly DigitsSeries[],
  width: number,
) {
  const count = strip.pixels.length;
  const left = 90;
  const size = Math.max(18, Math.min(40, (width - left - 4) / Math.max(1, count) - 4));
  const rowH = 14;
  const height = size + 20 + rowH * series.length + 6;
  const svg = sizedSvg(el, width, height);
  const key = `${width}|${count}|${strip.labels.join('')}`;
  if (el.dataset.images !== key) {
    svg.selectAll('*').remove();
    el.dataset.images = key;
    const images = svg.append('g').attr('class', 'strip-images');
    strip.pixels.forEach((px, i) => {
      const gx = left + i * (size + 4);
      const g = images.append('g').attr('transform', `translate(${gx},2)`);
      const p = size / 8;
      px.forEach((v, j) => {
        g.append('rect')
          .attr('x', (j % 8) * p)
          .attr('y', Math.floor(j / 8) * p)
          .attr('width', p)
          .attr('height', p)
          .attr('fill', d3.interpolateGreys(v));
      });
      images
        .append('text')
        .attr('x', gx + size / 2)
        .attr('y', size + 16)
        .attr('text-anchor', 'middle')
        .attr('font-size', 12)
        .attr('font-weight', 600)
        .text(String(strip.labels[i]));
    });
    images
      .append('text')
      .attr('x', 2)
      .attr('y', size + 16)
      .attr('font-size', 11)
      .text('label');
  }
  svg.selectAll('g.strip-predictions').remove();
  const rows = svg.append('g').attr('class', 'strip-predictions');
  series.forEach((s, r) => {
    const y = size + 20 + rowH * (r + 1);
    rows
      .append('text')
      .attr('x', 2)
      .attr('y', y)
      .attr('font-size', 11)
      .attr('fill', s.color)
      .text(s.label.length > 14 ? `${s.label.slice(0, 13)}…` : s.label);
    s.predicted.forEach((p, i) => {
      const wrong = p !== strip.labels[i];
      rows
        .append('text')
        .attr('x', left + i * (size + 4) + size / 2)
        .attr('y', y)
        .attr('text-anchor', 'middle')
        .attr('font-size', 12)
        .attr('class', wrong ? 'digit-wrong' : 'digit-right')
        .attr('fill', wrong ? '#D55E00' : 'currentColor')
        .attr('font-weight', wrong ? 700 : 400)
        .text(wrong ? `${p}✗` : String(p));
    });
  });
  return height;
}
