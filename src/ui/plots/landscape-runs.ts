/**
 * The moving part of a landscape plot: every run's trajectory (θ-runs solid, pushed-
 * forward φ-runs dashed, switch runs dotted with a square at their switch step, each
 * over a light halo) with its current point, and a hover read-out of the coordinates,
 * the loss there and each run's nearest step. Pure drawing over scales.
 *
 * It is called once per animation frame while runs train, so it keeps its SVG elements
 * (one group per run, keyed by run id) and only appends each path's new vertices
 * (path-data.ts: long paths are thinned to the screen's resolution); everything is
 * rebuilt only when the scales change or a run's points are replaced.
 */
import * as d3 from 'd3';
import { traj } from '../../engine/page';
import { colorKeyRect, type LandscapeView, type Scales, type TrajectoryView } from './landscape-base';
import { emptyPath, growPath, type GrowingPath } from './path-data';
import { drawRunLegend, legendItems, samplePoints, type LegendKey } from './run-legend';

const fmt = d3.format('.4~g');
const DASHED = '7 5';
const DOTTED = '1 5';
const SVG_NS = 'http://www.w3.org/2000/svg';

/** The persistent drawing of one run. */
interface RunMarks {
  g: SVGGElement;
  halo: SVGPathElement;
  line: SVGPathElement;
  mark: SVGRectElement | null;
  head: SVGCircleElement;
  headTitle: SVGTitleElement;
  path: GrowingPath;
}

export interface RunsLayer {
  /** Draw `view`'s trajectories on `scales` (a new Scales object means new pixel positions). */
  update(view: LandscapeView, scales: Scales, clip: string): void;
}

/** Set an attribute only when it changes (no style invalidation for equal values). */
function attr(el: Element, name: string, value: string | number | null): void {
  const v = value === null ? null : String(value);
  if (el.getAttribute(name) === v) return;
  if (v === null) el.removeAttribute(name);
  else el.setAttribute(name, v);
}

function el<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K): SVGElementTagNameMap[K] {
  return parent.appendChild(document.createElementNS(SVG_NS, tag));
}

function createMarks(parent: SVGGElement, id: string): RunMarks {
  const g = el(parent, 'g');
  g.setAttribute('class', 'trajectory');
  g.setAttribute('data-run', id);
  const path = (cls: string, stroke: string | null, width: number): SVGPathElement => {
    const p = el(g, 'path');
    p.setAttribute('class', cls);
    p.setAttribute('fill', 'none');
    if (stroke) p.setAttribute('stroke', stroke);
    p.setAttribute('stroke-width', String(width));
    p.setAttribute('stroke-linecap', 'round');
    return p;
  };
  const halo = path('halo', 'rgba(255,255,255,0.85)', 5);
  const line = path('line', null, 2.5);
  const head = el(g, 'circle');
  head.setAttribute('class', 'head');
  head.setAttribute('r', '5');
  head.setAttribute('stroke', 'white');
  head.setAttribute('stroke-width', '1.5');
  const headTitle = el(head, 'title');
  return { g, halo, line, mark: null, head, headTitle, path: emptyPath() };
}

function updateMarks(m: RunMarks, t: TrajectoryView, s: Scales): void {
  const { x, y } = s;
  const d = growPath(m.path, t.points, s, x, y);
  const dash = t.dotted ? DOTTED : t.dashed ? DASHED : null;
  for (const p of [m.halo, m.line]) {
    attr(p, 'd', d);
    attr(p, 'stroke-dasharray', dash);
  }
  attr(m.line, 'stroke', t.color);
  const at = t.mark ? traj.row(t.points, t.mark.at) : undefined;
  if (t.mark && at) {
    if (!m.mark) {
      m.mark = document.createElementNS(SVG_NS, 'rect');
      m.mark.setAttribute('class', 'switch-mark');
      m.mark.setAttribute('width', '10');
      m.mark.setAttribute('height', '10');
      m.mark.setAttribute('fill', 'white');
      m.mark.setAttribute('stroke-width', '2.5');
      m.mark.appendChild(document.createElementNS(SVG_NS, 'title'));
      m.g.insertBefore(m.mark, m.head);
    }
    attr(m.mark, 'x', x(at[0] as number) - 5);
    attr(m.mark, 'y', y(at[1] as number) - 5);
    attr(m.mark, 'stroke', t.color);
    const title = m.mark.firstChild as SVGTitleElement;
    if (title.textContent !== t.mark.label) title.textContent = t.mark.label;
  } else if (m.mark) {
    m.mark.remove();
    m.mark = null;
  }
  const k = t.points.length - 1;
  attr(m.head, 'cx', x(traj.point(t.points, k, 0) as number));
  attr(m.head, 'cy', y(traj.point(t.points, k, 1) as number));
  attr(m.head, 'fill', t.diverged ? 'crimson' : t.color);
  const label = `${t.label}${t.diverged ? ' (diverged)' : ''}`;
  if (m.headTitle.textContent !== label) m.headTitle.textContent = label;
}

/** A runs layer drawing into `layer` (cleared now; owned by it from then on). */
export function createRunsLayer(layer: SVGGElement): RunsLayer {
  const g = d3.select(layer);
  g.selectAll('*').remove();
  let current: { view: LandscapeView; scales: Scales } | null = null;
  const area = g.append('rect').attr('class', 'hover-area').attr('fill', 'transparent');
  const runs = g.append('g').attr('class', 'trajectories');
  const runsEl = runs.node() as SVGGElement;
  const tip = g
    .append('g')
    .attr('class', 'hover-tip')
    .style('display', 'none')
    .attr('pointer-events', 'none');
  const box = tip.append('rect').attr('rx', 4).attr('fill', 'rgba(20,24,33,0.85)');
  const text = tip.append('text').attr('fill', 'white').attr('font-size', 12);
  area
    .on('pointerleave', () => tip.style('display', 'none'))
    .on('pointermove', (e: PointerEvent) => {
      if (!current) return;
      const { view, scales } = current;
      const [px, py] = d3.pointer(e);
      text
        .selectAll('tspan')
        .data(readout(view, scales, px, py))
        .join('tspan')
        .attr('x', 8)
        .attr('dy', (_, i) => (i === 0 ? 16 : 15))
        .text((l) => l);
      const bb = (text.node() as SVGTextElement).getBBox();
      box.attr('width', bb.width + 16).attr('height', bb.height + 10);
      const { x, y } = scales;
      const left = px + bb.width + 30 > x.range()[1]! ? px - bb.width - 26 : px + 10;
      tip
        .attr('transform', `translate(${left},${Math.max(y.range()[1]!, py - bb.height - 14)})`)
        .style('display', null);
    });
  const marks = new Map<string, RunMarks>();
  let drawnScales: Scales | null = null;

  return {
    update(view, scales, clip) {
      current = { view, scales };
      if (drawnScales !== scales) {
        drawnScales = scales;
        const { x, y, w, h } = scales;
        area
          .attr('x', x.range()[0] as number)
          .attr('y', y.range()[1] as number)
          .attr('width', w)
          .attr('height', h);
      }
      attr(runsEl, 'clip-path', `url(#${clip})`);
      const order: RunMarks[] = [];
      for (const t of view.trajectories) {
        if (t.points.length === 0) continue;
        let m = marks.get(t.id);
        if (!m) marks.set(t.id, (m = createMarks(runsEl, t.id)));
        updateMarks(m, t, scales);
        order.push(m);
      }
      const shown = new Set(order);
      for (const [id, m] of marks)
        if (!shown.has(m)) {
          m.g.remove();
          marks.delete(id);
        }
      // Keep the runs' order (later runs on top), as the data lists them.
      let child = runsEl.firstElementChild;
      for (const m of order) {
        if (child !== m.g) {
          for (const n of order) runsEl.appendChild(n.g);
          break;
        }
        child = child.nextElementSibling;
      }
    },
  };
}

/**
 * The landscape's run legend: one row per optimizer drawn here, and the key of the line
 * styles present — on θ: solid θ-run, dashed φ-run pushed forward into θ, dotted switch run;
 * on φ: solid φ-run, dotted switch run (from its switch step on). Avoids the colour key.
 */
export function drawLandscapeLegend(
  layer: SVGGElement,
  view: LandscapeView,
  scales: Scales,
  space: 'theta' | 'phi',
): void {
  const drawn = view.trajectories.filter((t) => t.points.length > 0);
  const labels = new Map(drawn.map((t) => [t.optimizer, t.optimizerLabel]));
  const colors = new Map(drawn.map((t) => [t.optimizer, t.color]));
  const items = legendItems(
    drawn,
    (i) => labels.get(i) ?? '',
    (i) => colors.get(i) ?? '',
  );
  const keys: LegendKey[] = [];
  if (drawn.some((t) => !t.dashed && !t.dotted))
    keys.push({ style: 'solid', label: space === 'theta' ? 'θ-run' : 'φ-run', dash: null });
  if (drawn.some((t) => t.dashed && !t.dotted))
    keys.push({ style: 'dashed', label: 'φ-run pushed into θ', dash: DASHED });
  if (drawn.some((t) => t.dotted)) keys.push({ style: 'dotted', label: 'switch run θ→φ', dash: DOTTED });
  // A style key is only worth a row when the plot has more than one style.
  const shownKeys = keys.length > 1 || keys[0]?.style !== 'solid' ? keys : [];
  const { x, y } = scales;
  const points = function* (): Generator<readonly [number, number]> {
    for (const t of drawn)
      yield* samplePoints(t.points.length, (i) => [
        x(traj.point(t.points, i, 0) as number),
        y(traj.point(t.points, i, 1) as number),
      ]);
    // The start marker counts heavily: it is the one point every run shares.
    if (view.start)
      for (let k = 0; k < 20; k++) yield [x(view.start[0] as number), y(view.start[1] as number)];
  };
  drawRunLegend(
    layer,
    items,
    shownKeys,
    {
      left: x.range()[0] as number,
      right: x.range()[1] as number,
      top: y.range()[1] as number,
      bottom: y.range()[0] as number,
    },
    { points: points(), avoid: view.grid ? [colorKeyRect(scales)] : [], strokeWidth: 2.5, linecap: 'round' },
  );
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
    const { data, dim, length } = t.points;
    for (let k = 0; k < length; k++) {
      const d = (x(data[k * dim] as number) - px) ** 2 + (y(data[k * dim + 1] as number) - py) ** 2;
      if (d < dist) [best, dist] = [k, d];
    }
    if (best >= 0) lines.push(`${t.label}: step ${best}`);
  }
  return lines.slice(0, 8);
}
