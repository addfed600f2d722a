/**
 * The geometry drawn on a 2-parameter landscape (docs/theory.md §1, §5), its own layer
 * `<g class="geometry">` over the heatmap and under the runs:
 * - the Fisher's ellipses {δ : δᵀFδ = c} on a sparse grid and at points along each run —
 *   in φ the same grid points carried by the map, with F_φ = JᵀFJ and the same c, so each φ
 *   ellipse is the θ ellipse pulled back through f (to first order);
 * - at each run's current step the implied metric's ellipse (the best-conditioned M with
 *   M u = g, κ* its condition number) in the run's colour, next to the Fisher's ellipse there
 *   (dashed), both at the same area so their shapes compare: a gradient step draws a circle;
 * - the steepest-descent directions at the current point: −∇L (Euclidean, white) and
 *   −F⁻¹∇L (natural, pink).
 * On a network's slice the same picture within the plane θ = c + a·u + b·v
 * (engine/measure/geometry-slice.ts): UᵀFU's ellipses, −(UᵀU)⁻¹Uᵀ∇L and −(UᵀFU)⁻¹Uᵀ∇L, the
 * implied metric of each step's projection; points off the plane are drawn at their projection.
 * The numbers come from the worker (geometry-fetch.ts); this maps them to pixels, picks
 * the level c, and reports what it drew (state/geometry.ts, read by the automation handle).
 */
import * as d3 from 'd3';
import type { LabState } from '../../state/store';
import type {
  DrawnArrow,
  DrawnEllipse,
  DrawnGeometry,
  GeometryState,
  OverlaySpace,
} from '../../state/geometry';
import type { GeometryAt } from '../../protocol/geometry';
import { eigen2, ellipseOf, traj, type Ellipse } from '../../engine/page';
import type { Scales } from './landscape-base';
import { optimizerColor } from './colors';
import { overlayTargets, pointKey, stepKey, type OverlayTarget } from './geometry-targets';

/** A grid ellipse's half-extent in its cell, as a fraction of the cell (the largest one's). */
const GRID_FILL = 0.42;
/** Semi-major axis (px) of each of the pair of ellipses at the current step. */
const STEP_RADIUS = 22;
/** Along the paths the Fisher ellipses are drawn at this fraction of the grid's size (level c·PATH_SCALE²). */
const PATH_SCALE = 0.4;
/** On a slice: fewer path points (geometry-targets.ts), drawn larger so they show beside the path. */
const SLICE_PATH_SCALE = 0.8;
/** Arrow length (px). */
const ARROW = 38;
const SEGMENTS = 56;

export const overlayColors = {
  fisher: 'rgba(255,255,255,0.8)',
  halo: 'rgba(0,0,0,0.4)',
  euclidean: '#ffffff',
  natural: '#ff3d8b',
};

type Layer = d3.Selection<SVGGElement, unknown, null, undefined>;

/** Half-extents of an ellipse along x and y (data units). */
function extent(e: Ellipse): [number, number] {
  const [a, b] = e.axes;
  const [u, v] = e.directions;
  return [
    Math.hypot(a * (u[0] as number), b * (v[0] as number)),
    Math.hypot(a * (u[1] as number), b * (v[1] as number)),
  ];
}

/**
 * The level c of every Fisher ellipse (both plots): the largest grid ellipse in θ fills
 * GRID_FILL of its cell. Data units only, so φ (same c) gets the same picture carried by f.
 */
export function fisherLevel(grid: GeometryState['grid']): number | null {
  if (!grid) return null;
  const [[x0, x1], [y0, y1]] = grid.window;
  const cell = [(x1 - x0) / grid.n, (y1 - y0) / grid.n];
  let worst = 0;
  for (const p of grid.theta) {
    const e = p.fisher ? ellipseOf(p.fisher, p.at, 1) : null;
    if (!e) continue;
    const [hx, hy] = extent(e);
    worst = Math.max(worst, hx / (cell[0] as number), hy / (cell[1] as number));
  }
  return worst > 0 && Number.isFinite(worst) ? (GRID_FILL / worst) ** 2 : null;
}

function pathOf(e: Ellipse, scales: Scales): string {
  const pts: [number, number][] = [];
  for (let i = 0; i <= SEGMENTS; i++) {
    const t = (2 * Math.PI * i) / SEGMENTS;
    const [c, s] = [Math.cos(t), Math.sin(t)];
    const x =
      (e.center[0] as number) +
      e.axes[0] * c * (e.directions[0][0] as number) +
      e.axes[1] * s * (e.directions[1][0] as number);
    const y =
      (e.center[1] as number) +
      e.axes[0] * c * (e.directions[0][1] as number) +
      e.axes[1] * s * (e.directions[1][1] as number);
    pts.push([scales.x(x), scales.y(y)]);
  }
  return d3.line()(pts) ?? '';
}

/** The pixel semi-major axis of an ellipse: the largest singular value of diag(kx, ky)·[a₀d₀ a₁d₁]. */
function pixelRadius(e: Ellipse, scales: Scales): number {
  const kx = Math.abs(scales.x(1) - scales.x(0));
  const ky = Math.abs(scales.y(1) - scales.y(0));
  const [a, b] = e.axes;
  const [u, v] = e.directions;
  const B = [
    [kx * a * (u[0] as number), kx * b * (v[0] as number)],
    [ky * a * (u[1] as number), ky * b * (v[1] as number)],
  ];
  const BBt = [0, 1].map((i) => [0, 1].map((j) => B[i]![0]! * B[j]![0]! + B[i]![1]! * B[j]![1]!));
  return Math.sqrt(eigen2(BBt).values[1]);
}

function drawn(
  kind: DrawnEllipse['kind'],
  e: Ellipse,
  metric: number[][],
  extra: Partial<DrawnEllipse> = {},
): DrawnEllipse {
  return { kind, center: e.center, metric, level: e.level, axes: e.axes, directions: e.directions, ...extra };
}

function ellipsePath(g: Layer, d: string, stroke: string, width: number, dash?: string): void {
  g.append('path')
    .attr('d', d)
    .attr('fill', 'none')
    .attr('stroke', overlayColors.halo)
    .attr('stroke-width', width + 1.6);
  g.append('path')
    .attr('d', d)
    .attr('fill', 'none')
    .attr('stroke', stroke)
    .attr('stroke-width', width)
    .attr('stroke-dasharray', dash ?? null);
}

function arrow(g: Layer, from: [number, number], dir: [number, number], color: string): void {
  const [x, y] = from;
  const [dx, dy] = dir;
  const tip: [number, number] = [x + ARROW * dx, y + ARROW * dy];
  const head = 9;
  const side: [number, number] = [-dy, dx];
  const base: [number, number] = [tip[0] - head * dx, tip[1] - head * dy];
  const tri = [
    tip,
    [base[0] + 0.5 * head * side[0], base[1] + 0.5 * head * side[1]],
    [base[0] - 0.5 * head * side[0], base[1] - 0.5 * head * side[1]],
  ];
  const a = g.append('g').attr('class', 'descent-arrow');
  a.append('line')
    .attr('x1', x)
    .attr('y1', y)
    .attr('x2', base[0])
    .attr('y2', base[1])
    .attr('stroke', overlayColors.halo)
    .attr('stroke-width', 4.6);
  a.append('line')
    .attr('x1', x)
    .attr('y1', y)
    .attr('x2', base[0])
    .attr('y2', base[1])
    .attr('stroke', color)
    .attr('stroke-width', 2.6);
  a.append('polygon')
    .attr('points', tri.map((p) => p.join(',')).join(' '))
    .attr('fill', color)
    .attr('stroke', overlayColors.halo)
    .attr('stroke-width', 1);
}

/** The pixel direction of a data-space direction, unit length, or null. */
function pixelDirection(v: number[], scales: Scales): [number, number] | null {
  const px = (scales.x(1) - scales.x(0)) * (v[0] as number);
  const py = (scales.y(1) - scales.y(0)) * (v[1] as number);
  const n = Math.hypot(px, py);
  return n > 0 && Number.isFinite(n) ? [px / n, py / n] : null;
}

const unit = (v: number[]): number[] | null => {
  const n = Math.hypot(...v);
  return n > 0 && Number.isFinite(n) ? v.map((x) => -x / n) : null;
};

/** A short key in the bottom-left corner naming what is drawn. */
function key(
  g: Layer,
  scales: Scales,
  on: { fisher: boolean; implied: boolean; arrows: boolean },
  sliced: boolean,
  drawnPoints: readonly [number, number][],
): void {
  const items: [string, (k: Layer) => void][] = [];
  const ring = (stroke: string, dash?: string) => (k: Layer) =>
    void k
      .append('ellipse')
      .attr('cx', 7)
      .attr('cy', -4)
      .attr('rx', 7)
      .attr('ry', 4.5)
      .attr('fill', 'none')
      .attr('stroke', stroke)
      .attr('stroke-width', 1.8)
      .attr('stroke-dasharray', dash ?? null);
  const bar = (color: string) => (k: Layer) =>
    void k
      .append('line')
      .attr('x1', 0)
      .attr('x2', 14)
      .attr('y1', -4)
      .attr('y2', -4)
      .attr('stroke', color)
      .attr('stroke-width', 3);
  if (on.fisher) items.push([sliced ? 'Fisher in the plane, UᵀFU' : 'Fisher δᵀFδ = c', ring('#ffffff')]);
  if (on.implied) items.push(['step’s implied metric; F dashed', ring('#ffffff', '4 3')]);
  if (on.arrows) {
    items.push([sliced ? 'Euclidean descent in the plane' : '−∇L (Euclidean)', bar(overlayColors.euclidean)]);
    items.push([sliced ? 'Fisher descent in the plane' : '−F⁻¹∇L (natural)', bar(overlayColors.natural)]);
  }
  if (items.length === 0) return;
  const scale = Math.min(1, Math.max(0.7, scales.w / 380));
  const w = sliced ? 206 : 196;
  // Bottom left, unless more of the runs' points lie under it there than bottom right.
  const [x0, x1] = scales.x.range() as [number, number];
  const bottom = (scales.y.range()[0] as number) - 6;
  const box = { w: (w + 4) * scale, h: (15 * items.length + 4) * scale };
  const under = (left: number): number =>
    drawnPoints.filter(
      ([px, py]) => px >= left - 4 && px <= left + box.w && py <= bottom + 4 && py >= bottom + 4 - box.h,
    ).length;
  const right = x1 - 6 - box.w + 4 * scale;
  const left = under(x0 + 6) > under(right) ? right : x0 + 6;
  const k = g
    .append('g')
    .attr('class', 'geometry-key')
    // Smaller on narrow plots (phones), so the key never covers much of the landscape.
    .attr('transform', `translate(${left},${bottom - 15 * scale * (items.length - 1)}) scale(${scale})`);
  k.append('rect')
    .attr('x', -4)
    .attr('y', -14)
    .attr('width', w)
    .attr('height', 15 * items.length + 4)
    .attr('rx', 3)
    .attr('fill', 'rgba(0,0,0,0.55)');
  items.forEach(([label, mark], i) => {
    const row = k.append('g').attr('transform', `translate(0,${15 * i})`);
    mark(row);
    row.append('text').attr('x', 20).attr('y', 0).attr('fill', 'white').attr('font-size', 11.5).text(label);
  });
}

/** How far back the newest answer for a run's current step is looked for. */
const LOOK_BACK = 50;

/**
 * The answer for a run's current step j (implied metric and arrows at p_j), or the newest one
 * before it; at step 0 (no step yet) the point's own answer.
 */
function currentAnswer(
  geo: GeometryState,
  t: OverlayTarget,
): { step: number; p: GeometryAt; next: boolean } | null {
  if (t.implied === null) {
    const p = geo.points[pointKey(t.runId, t.k)];
    return p ? { step: t.k, p, next: false } : null;
  }
  for (let j = t.implied; j >= Math.max(0, t.implied - LOOK_BACK); j--) {
    const p = geo.points[stepKey(t.runId, j)];
    if (p) return { step: j, p, next: true };
  }
  return null;
}

/**
 * Draw the overlay of one plot into `layer` (cleared first) and return what was drawn.
 * Nothing is drawn when every toggle is off.
 */
export function drawGeometryOverlay(
  layer: SVGGElement,
  space: OverlaySpace,
  s: LabState,
  geo: GeometryState,
  scales: Scales,
  clip: string,
): DrawnGeometry {
  const g = d3.select(layer);
  g.selectAll('*').remove();
  const out: DrawnGeometry = { ellipses: [], arrows: [], notes: [] };
  const view = s.experiment?.view.geometry;
  const on = { fisher: !!view?.fisher, implied: !!view?.implied, arrows: !!view?.arrows };
  if (!on.fisher && !on.implied && !on.arrows) return out;
  const body = g.append('g').attr('clip-path', clip ? `url(#${clip})` : null);
  const note = (where: string, p: GeometryAt | undefined): void => {
    if (p?.note) out.notes.push(`${where}: ${p.note}`);
  };
  const level = fisherLevel(geo.grid);

  if (on.fisher && level !== null && geo.grid) {
    const grid = body.append('g').attr('class', 'fisher-grid');
    for (const [i, p] of (space === 'theta' ? geo.grid.theta : geo.grid.phi).entries()) {
      const e = p.fisher ? ellipseOf(p.fisher, p.at, level) : null;
      if (!e || !p.fisher) {
        note(`grid point ${i + 1}`, p.note ? p : { ...p, note: 'the Fisher is singular here' });
        continue;
      }
      ellipsePath(grid, pathOf(e, scales), overlayColors.fisher, 1.2);
      out.ellipses.push(drawn('fisher-grid', e, p.fisher));
    }
  }

  for (const t of overlayTargets(s).filter((x) => x.space === space)) {
    const color = optimizerColor(s.experiment, t.optimizer);
    const group = body.append('g').attr('class', 'run-geometry').attr('data-run', t.runId);
    if (on.fisher && level !== null) {
      for (const i of t.path) {
        const p = geo.points[pointKey(t.runId, i)];
        const scale = space === 'theta' && s.slice !== null ? SLICE_PATH_SCALE : PATH_SCALE;
        const e = p?.fisher ? ellipseOf(p.fisher, p.at, level * scale ** 2) : null;
        if (!e || !p?.fisher) {
          note(`${t.runId} step ${i}`, p);
          continue;
        }
        ellipsePath(group, pathOf(e, scales), color, 1.2);
        out.ellipses.push(drawn('fisher-path', e, p.fisher, { runId: t.runId, step: i }));
      }
    }
    // The current step's answer, or while it is on its way the newest one before it (no flicker while playing).
    const current = currentAnswer(geo, t);
    if (on.implied && current && current.next) {
      const { step, p } = current;
      const implied = p.implied ? ellipseOf(p.implied.metric, p.at, 1) : null;
      if (!implied) note(`${t.runId} step ${step}`, p);
      if (implied && p?.implied) {
        // Both ellipses at the same pixel area; the implied metric's scale is the step size's, not a fact.
        const fisher = p.fisher ? ellipseOf(p.fisher, p.at, 1) : null;
        const fLevel = fisher ? (STEP_RADIUS / pixelRadius(fisher, scales)) ** 2 : null;
        const iLevel = (STEP_RADIUS / pixelRadius(implied, scales)) ** 2;
        if (fisher && fLevel !== null && p.fisher) {
          const f = ellipseOf(p.fisher, p.at, fLevel);
          if (f) {
            ellipsePath(group, pathOf(f, scales), '#ffffff', 1.6, '5 4');
            out.ellipses.push(drawn('fisher-step', f, p.fisher, { runId: t.runId, step }));
          }
        }
        const e = ellipseOf(p.implied.metric, p.at, iLevel);
        if (e) {
          ellipsePath(group, pathOf(e, scales), color, 2.6);
          out.ellipses.push(
            drawn('implied', e, p.implied.metric, {
              runId: t.runId,
              step,
              kappa: p.implied.kappa,
            }),
          );
        }
      }
    }
    if (on.arrows) {
      // At the start of the current step (the implied metric's point), or at step 0.
      const at = current?.step ?? t.k;
      const p = current?.p;
      if (p && !p.gradient) note(`${t.runId} step ${at}`, p);
      const from: [number, number] = [scales.x(p?.at[0] as number), scales.y(p?.at[1] as number)];
      const pairs: [DrawnArrow['kind'], number[] | null | undefined, string][] = [
        // On a slice the Euclidean steepest ascent is (UᵀU)⁻¹Uᵀ∇L, not Uᵀ∇L.
        ['euclidean', p?.steepest ?? p?.gradient, overlayColors.euclidean],
        ['natural', p?.natural, overlayColors.natural],
      ];
      for (const [kind, v, c] of pairs) {
        const d = v ? unit(v) : null;
        const px = d ? pixelDirection(d, scales) : null;
        if (!p || !d || !px) continue;
        arrow(group, from, px, c);
        out.arrows.push({ kind, runId: t.runId, step: at, at: p.at, direction: d });
      }
      if (p?.gradient && !p.natural) note(`${t.runId} step ${at}`, p);
    }
  }
  const sliced = space === 'theta' && s.slice !== null;
  // The runs' points as plotted (pixels), so the key avoids covering them.
  const plotted: [number, number][] = [];
  for (const r of s.runs) {
    const pts = sliced ? r.slice : space === 'phi' ? r.phi : r.theta;
    for (let k = 0; k < (pts?.length ?? 0); k++)
      plotted.push([scales.x(traj.point(pts!, k, 0) as number), scales.y(traj.point(pts!, k, 1) as number)]);
  }
  key(g, scales, on, sliced, plotted);
  return out;
}
