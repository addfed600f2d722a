/**
 * The recorder's canvas drawing of one frame: the scene's title and caption, a step
 * counter, and the θ and φ landscapes side by side (log-loss heatmap, contours, axes, a
 * legend naming each optimizer's colour and the line styles), with every run's trajectory
 * up to the frame's step and a marker at its end. Everything that does not move is drawn
 * once into a background; a frame is that background plus the trajectories. Sizes scale
 * with the frame (the 1280×720 frame is the unit). Same data and size, same pixels.
 */
import * as d3 from 'd3';
import { traj, type LossGrid } from '../../engine/page';
import type { LineStyle, RecordPanel, RecordSource } from './source';
import { segmentsUpTo, thinPath, type ThinPath } from './thin-path';

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const INK = '#1a1d24';
const MUTED = '#4a5060';

type Ctx = CanvasRenderingContext2D;

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface PanelLayout {
  panel: RecordPanel;
  plot: Rect;
  x: d3.ScaleLinear<number, number>;
  y: d3.ScaleLinear<number, number>;
  paths: { path: ThinPath; style: LineStyle; color: string; divergedAt: number | null; switchAt?: number }[];
}

export interface FrameRenderer {
  width: number;
  height: number;
  /** Draw the frame showing step k into `ctx` (a canvas of width × height). */
  draw(ctx: Ctx, step: number, lastStep: number): void;
}

const font = (px: number, bold = false): string => `${bold ? 'bold ' : ''}${px.toFixed(1)}px ${FONT}`;

/** Greedy word wrap to `width`; at most `maxLines`, the last one ends with "…" if cut. */
export function wrapText(ctx: Ctx, text: string, width: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    const next = line ? `${line} ${w}` : w;
    if (ctx.measureText(next).width <= width || !line) line = next;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  let last = kept[maxLines - 1] as string;
  while (last.length > 1 && ctx.measureText(`${last}…`).width > width) last = last.slice(0, -1);
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

function dash(style: LineStyle, u: number): number[] {
  return style === 'dashed' ? [9 * u, 6 * u] : style === 'dotted' ? [0.5 * u, 6 * u] : [];
}

function heatmapImage(grid: LossGrid): HTMLCanvasElement {
  let min = Infinity;
  for (const v of grid.values) if (Number.isFinite(v) && v < min) min = v;
  const levels = Array.from(grid.values, (v) => (Number.isFinite(v) ? Math.log10(v - min + 1e-3) : NaN));
  const finite = levels.filter(Number.isFinite);
  const [lo, hi] = d3.extent(finite) as [number | undefined, number | undefined];
  const color = d3.scaleSequential(d3.interpolateViridis).domain([hi ?? 1, lo ?? 0]);
  const n = grid.n;
  const img = new ImageData(n, n);
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const v = levels[j * n + i] as number;
      const o = 4 * ((n - 1 - j) * n + i);
      const c = Number.isFinite(v) ? d3.rgb(color(v)) : d3.rgb(235, 235, 235);
      img.data[o] = c.r;
      img.data[o + 1] = c.g;
      img.data[o + 2] = c.b;
      img.data[o + 3] = 255;
    }
  const c = document.createElement('canvas');
  c.width = n;
  c.height = n;
  c.getContext('2d')?.putImageData(img, 0, 0);
  return c;
}

function drawLandscape(ctx: Ctx, p: PanelLayout, u: number): void {
  const { plot, x, y } = p;
  const grid = p.panel.grid;
  ctx.save();
  ctx.beginPath();
  ctx.rect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
  ctx.clip();
  ctx.fillStyle = '#eceef2';
  ctx.fillRect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
  if (grid) {
    const [[gx0, gx1], [gy0, gy1]] = grid.window;
    const n = grid.n;
    // Cell centres sit on the grid points: stretch by half a cell beyond the grid's window.
    const cw = (x(gx1) - x(gx0)) / (n - 1);
    const ch = (y(gy0) - y(gy1)) / (n - 1);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(
      heatmapImage(grid),
      x(gx0) - cw / 2,
      y(gy1) - ch / 2,
      x(gx1) - x(gx0) + cw,
      y(gy0) - y(gy1) + ch,
    );
    let min = Infinity;
    for (const v of grid.values) if (Number.isFinite(v) && v < min) min = v;
    const levels = Array.from(grid.values, (v) => (Number.isFinite(v) ? Math.log10(v - min + 1e-3) : NaN));
    const top = d3.max(levels.filter(Number.isFinite)) ?? 1;
    const filled = levels.map((v) => (Number.isFinite(v) ? v : top));
    const contours = d3.contours().size([n, n]).thresholds(14)(filled);
    const toPx = d3.geoTransform({
      point(cx: number, cy: number) {
        this.stream.point(
          x(gx0 + ((gx1 - gx0) * (cx - 0.5)) / (n - 1)),
          y(gy0 + ((gy1 - gy0) * (cy - 0.5)) / (n - 1)),
        );
      },
    });
    const path = d3.geoPath(toPx, ctx);
    ctx.strokeStyle = 'rgba(255,255,255,0.5)';
    ctx.lineWidth = 1.1 * u;
    for (const c of contours) {
      ctx.beginPath();
      path(c);
      ctx.stroke();
    }
  }
  ctx.restore();
  // Frame, ticks, tick labels and axis names.
  ctx.strokeStyle = INK;
  ctx.lineWidth = Math.max(1, u);
  ctx.strokeRect(plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
  ctx.fillStyle = INK;
  ctx.font = font(16 * u);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const fx = x.tickFormat(5);
  for (const t of x.ticks(5)) {
    const px = x(t);
    ctx.beginPath();
    ctx.moveTo(px, plot.bottom);
    ctx.lineTo(px, plot.bottom + 6 * u);
    ctx.stroke();
    ctx.fillText(fx(t), px, plot.bottom + 8 * u);
  }
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const fy = y.tickFormat(5);
  for (const t of y.ticks(5)) {
    const py = y(t);
    ctx.beginPath();
    ctx.moveTo(plot.left, py);
    ctx.lineTo(plot.left - 6 * u, py);
    ctx.stroke();
    ctx.fillText(fy(t), plot.left - 8 * u, py);
  }
  ctx.font = font(18 * u);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(p.panel.axisNames[0], (plot.left + plot.right) / 2, plot.bottom + 50 * u);
  ctx.save();
  ctx.translate(plot.left - 84 * u, (plot.top + plot.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'top';
  ctx.fillText(p.panel.axisNames[1], 0, 0);
  ctx.restore();
  if (grid) colorKey(ctx, plot, u);
}

/** The heatmap's key in the plot's top-right corner: log-scaled loss, low to high. */
function colorKey(ctx: Ctx, plot: Rect, u: number): void {
  const w = 120 * u;
  const x0 = plot.right - w - 8 * u;
  const y0 = plot.top + 8 * u;
  ctx.fillStyle = 'rgba(255,255,255,0.82)';
  ctx.fillRect(x0 - 5 * u, y0 - 4 * u, w + 10 * u, 34 * u);
  const g = ctx.createLinearGradient(x0, 0, x0 + w, 0);
  for (const t of [0, 0.25, 0.5, 0.75, 1]) g.addColorStop(t, d3.interpolateViridis(1 - t));
  ctx.fillStyle = g;
  ctx.fillRect(x0, y0, w, 9 * u);
  ctx.fillStyle = INK;
  ctx.font = font(12 * u);
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText('low', x0, y0 + 12 * u);
  ctx.textAlign = 'right';
  ctx.fillText('high', x0 + w, y0 + 12 * u);
  ctx.textAlign = 'center';
  ctx.fillText('loss (log)', x0 + w / 2, y0 + 12 * u);
}

interface LegendEntry {
  label: string;
  color: string;
  style: LineStyle;
  width: number;
}

/** The panel's legend rows: each optimizer drawn there, then the line styles (when more than one). */
function legendEntries(panel: RecordPanel): LegendEntry[] {
  const seen = new Map<number, RecordPanel['runs'][number]>();
  for (const r of [...panel.runs].sort((a, b) => a.optimizer - b.optimizer))
    if (!seen.has(r.optimizer)) seen.set(r.optimizer, r);
  const items: LegendEntry[] = [...seen.values()].map((r) => ({
    label: r.optimizerLabel,
    color: r.color,
    style: 'solid',
    width: 4,
  }));
  const styles = new Set(panel.runs.map((r) => r.style));
  const keys: LegendEntry[] = [];
  if (styles.has('solid'))
    keys.push({ label: panel.space === 'theta' ? 'θ-run' : 'φ-run', color: INK, style: 'solid', width: 3 });
  if (styles.has('dashed'))
    keys.push({ label: 'φ-run pushed into θ', color: INK, style: 'dashed', width: 3 });
  if (styles.has('dotted')) keys.push({ label: 'switch run θ→φ', color: INK, style: 'dotted', width: 3 });
  return keys.length > 1 || keys[0]?.style !== 'solid' ? [...items, ...keys] : items;
}

/** Lay out (and with `draw`, draw) the panel's title and legend from (x, y) within `width`; returns the height. */
function panelHeader(
  ctx: Ctx,
  panel: RecordPanel,
  x: number,
  y: number,
  width: number,
  u: number,
  draw: boolean,
): number {
  const lineH = 28 * u;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'left';
  ctx.font = font(20 * u, true);
  if (draw) {
    ctx.fillStyle = INK;
    ctx.fillText(panel.title, x, y + lineH / 2);
  }
  let cx = x + ctx.measureText(panel.title).width + 18 * u;
  let cy = y;
  ctx.font = font(16 * u);
  const swatch = 30 * u;
  for (const e of legendEntries(panel)) {
    const w = swatch + 6 * u + ctx.measureText(e.label).width;
    if (cx + w > x + width && cx > x) {
      cx = x;
      cy += lineH;
    }
    if (draw) {
      const my = cy + lineH / 2;
      ctx.save();
      ctx.strokeStyle = e.color;
      ctx.lineWidth = e.width * u;
      ctx.lineCap = e.style === 'dotted' ? 'round' : 'butt';
      ctx.setLineDash(dash(e.style, u));
      ctx.beginPath();
      ctx.moveTo(cx, my);
      ctx.lineTo(cx + swatch, my);
      ctx.stroke();
      ctx.restore();
      ctx.fillStyle = INK;
      ctx.fillText(e.label, cx + swatch + 6 * u, my);
    }
    cx += w + 16 * u;
  }
  return cy + lineH - y;
}

/** A renderer of `source` at width × height. */
export function createFrameRenderer(source: RecordSource, width: number, height: number): FrameRenderer {
  const u = Math.min(width / 1280, height / 720);
  const pad = 16 * u;
  const bg = document.createElement('canvas');
  bg.width = width;
  bg.height = height;
  const ctx = bg.getContext('2d') as Ctx;
  ctx.fillStyle = 'white';
  ctx.fillRect(0, 0, width, height);

  // Title (with room for the step counter) and caption.
  const counterW = 230 * u;
  ctx.font = font(26 * u, true);
  ctx.fillStyle = INK;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  const title = wrapText(ctx, source.title, width - 2 * pad - counterW, 1)[0] ?? '';
  ctx.fillText(title, pad, pad);
  let y = pad + 34 * u;
  ctx.font = font(17 * u);
  ctx.fillStyle = MUTED;
  for (const line of wrapText(ctx, source.caption, width - 2 * pad, 3)) {
    ctx.fillText(line, pad, y);
    y += 23 * u;
  }
  y += 8 * u;

  const n = Math.max(1, source.panels.length);
  const gap = 24 * u;
  const pw = (width - 2 * pad - (n - 1) * gap) / n;
  const headerH = Math.max(...source.panels.map((p) => panelHeader(ctx, p, 0, 0, pw, u, false)), 28 * u);
  const layouts: PanelLayout[] = source.panels.map((panel, i) => {
    const left = pad + i * (pw + gap);
    panelHeader(ctx, panel, left, y, pw, u, true);
    const plot: Rect = {
      left: left + 86 * u,
      top: y + headerH + 6 * u,
      right: left + pw - 4 * u,
      bottom: height - pad - 54 * u,
    };
    const [[x0, x1], [y0, y1]] = panel.window;
    const x = d3.scaleLinear().domain([x0, x1]).range([plot.left, plot.right]);
    const yS = d3.scaleLinear().domain([y0, y1]).range([plot.bottom, plot.top]);
    const paths = panel.runs.map((r) => ({
      path: thinPath(
        r.points.length,
        (k) => x(traj.point(r.points, k, 0) ?? NaN),
        (k) => yS(traj.point(r.points, k, 1) ?? NaN),
      ),
      style: r.style,
      color: r.color,
      divergedAt: r.divergedAt,
      ...(r.switchAt !== undefined ? { switchAt: r.switchAt } : {}),
    }));
    return { panel, plot, x, y: yS, paths };
  });
  for (const l of layouts) drawLandscape(ctx, l, u);

  const drawRuns = (c: Ctx, l: PanelLayout, step: number): void => {
    c.save();
    c.beginPath();
    c.rect(l.plot.left, l.plot.top, l.plot.right - l.plot.left, l.plot.bottom - l.plot.top);
    c.clip();
    c.lineJoin = 'round';
    // The common start: a hollow ring under the runs.
    const s = l.panel.start;
    if (s && Number.isFinite(s[0]) && Number.isFinite(s[1])) {
      c.beginPath();
      c.arc(l.x(s[0] as number), l.y(s[1] as number), 8 * u, 0, 2 * Math.PI);
      c.lineWidth = 4 * u;
      c.strokeStyle = 'white';
      c.stroke();
      c.lineWidth = 2 * u;
      c.strokeStyle = INK;
      c.stroke();
    }
    for (const r of l.paths) {
      const segs = segmentsUpTo(r.path, step);
      if (segs.length === 0) continue;
      const trace = (): void => {
        c.beginPath();
        for (const seg of segs) {
          c.moveTo(seg[0] as number, seg[1] as number);
          for (let i = 2; i < seg.length; i += 2) c.lineTo(seg[i] as number, seg[i + 1] as number);
        }
      };
      c.lineCap = 'round';
      c.setLineDash(dash(r.style, u));
      trace();
      c.strokeStyle = 'rgba(255,255,255,0.85)';
      c.lineWidth = 6.5 * u;
      c.stroke();
      c.strokeStyle = r.color;
      c.lineWidth = 3.5 * u;
      c.stroke();
      c.setLineDash([]);
      if (r.switchAt !== undefined && step >= r.switchAt) {
        const sx = r.path.x[r.switchAt];
        const sy = r.path.y[r.switchAt];
        if (sx !== undefined && sy !== undefined && Number.isFinite(sx)) {
          c.fillStyle = 'white';
          c.strokeStyle = r.color;
          c.lineWidth = 3 * u;
          c.fillRect(sx - 6 * u, sy - 6 * u, 12 * u, 12 * u);
          c.strokeRect(sx - 6 * u, sy - 6 * u, 12 * u, 12 * u);
        }
      }
      // The end marker at the last drawn point.
      const last = segs[segs.length - 1] as number[];
      const hx = last[last.length - 2] as number;
      const hy = last[last.length - 1] as number;
      c.beginPath();
      c.arc(hx, hy, 7 * u, 0, 2 * Math.PI);
      c.fillStyle = r.divergedAt !== null && step >= r.divergedAt ? 'crimson' : r.color;
      c.fill();
      c.lineWidth = 2 * u;
      c.strokeStyle = 'white';
      c.stroke();
    }
    c.restore();
  };

  return {
    width,
    height,
    draw(c, step, lastStep) {
      c.drawImage(bg, 0, 0);
      for (const l of layouts) drawRuns(c, l, step);
      c.font = font(26 * u, true);
      c.textAlign = 'right';
      c.textBaseline = 'top';
      c.fillStyle = INK;
      const digits = String(lastStep).length;
      c.fillText(`step ${String(step).padStart(digits, '\u2007')} / ${lastStep}`, width - pad, pad);
    },
  };
}
