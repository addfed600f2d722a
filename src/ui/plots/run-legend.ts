/**
 * The run legend drawn inside a plot's SVG (so screenshots and SVG/PNG exports carry it):
 * one row per optimizer (a line swatch in its colour and its `optimizerLabel`) and a
 * line-style key listing only the styles the plot shows (solid / dashed / dotted).
 *
 * It sits in one corner of the plot area on a semi-transparent box; the corner is the one
 * covering the fewest trajectory points (sampled), and it only moves when another corner
 * is clearly emptier, so it does not jump while runs train. The font scales with the plot
 * (9–13 px); many rows wrap into columns, and labels too long for the space are shortened
 * with "…" (the full label stays in a <title>). Colours are SVG attributes (light: dark
 * text on a white box, as the exports' white background needs); the dark theme overrides
 * them by CSS on the page (styles.css `.run-legend`). Pure drawing; never intercepts the
 * pointer (the hover read-out under it keeps working).
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

export interface LegendItem {
  /** Optimizer index (data-optimizer of the row). */
  optimizer: number;
  label: string;
  color: string;
}

export type LineStyle = 'solid' | 'dashed' | 'dotted';

export interface LegendKey {
  style: LineStyle;
  label: string;
  /** The stroke-dasharray the plot uses for this style (null: solid). */
  dash: string | null;
}

/** The plot area in pixels. */
export interface PlotRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LegendOptions {
  /** Pixel points of the drawn data (a sample is enough): the legend avoids covering them. */
  points?: Iterable<readonly [number, number]>;
  /** Rectangles already used (e.g. the heatmap's colour key): corners over them are avoided. */
  avoid?: readonly PlotRect[];
  /** Swatch stroke width and line cap, as the plot draws its lines. */
  strokeWidth?: number;
  linecap?: 'round' | 'butt';
  /**
   * Type scale (plot-type.ts); by default the SVG's `data-type-scale` (set where the plot's
   * frame is drawn), so the legend grows with the labels in presentation mode.
   */
  typeScale?: number;
}

type Corner = 'tl' | 'tr' | 'bl' | 'br';
const CORNERS: readonly Corner[] = ['tl', 'bl', 'br', 'tr'];

/** Font size for a plot area of this width and this many rows: readable on a phone, not shouting on a wall, smaller for long lists. */
export function legendFont(width: number, rows: number): number {
  return Math.max(9, Math.min(13 - 0.2 * Math.max(0, rows - 6), width / 30));
}

/**
 * A label's width in px at `font` px: measured once per label and size with a canvas in the
 * page's font (no layout read), else (no canvas: Node tests) ~0.62 em per character. A fixed
 * per-character estimate ran 17 px past the box for labels with wide glyphs (κ, φ, m).
 */
const widths = new Map<string, number>();
let measure: CanvasRenderingContext2D | null | undefined;
function textWidth(s: string, font: number): number {
  const key = `${font}|${s}`;
  const known = widths.get(key);
  if (known !== undefined) return known;
  if (measure === undefined) {
    measure = null;
    if (typeof document !== 'undefined') {
      measure = document.createElement('canvas').getContext('2d');
      if (measure)
        measure.font = `10px ${getComputedStyle(document.documentElement).fontFamily || 'sans-serif'}`;
    }
  }
  const w = measure ? (measure.measureText(s).width * font) / 10 : [...s].length * font * 0.62;
  if (widths.size > 2000) widths.clear();
  widths.set(key, w);
  return w;
}

/** `s` in at most `chars` characters, with "…"; an optimizer's " #k" at the end is kept whole. */
export function shorten(s: string, chars: number): string {
  const c = [...s];
  if (c.length <= chars) return s;
  const index = / #\d+$/.exec(s)?.[0] ?? '';
  const head = c.slice(0, c.length - index.length);
  return `${head.slice(0, Math.max(1, chars - 1 - index.length)).join('')}…${index}`;
}

export interface LegendLayout {
  font: number;
  rowH: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
  /** The labels as drawn (shortened if needed), items then keys. */
  labels: string[];
}

const SWATCH = 22;
const GAP = 6;
const PAD = 5;

/** Columns, sizes and (shortened) labels of a legend with these rows in a plot area w × h. */
export function layoutLegend(labels: readonly string[], w: number, h: number, k = 1): LegendLayout {
  // Grown with the type scale, by at most 1.45× (18–19 px at most).
  const base = legendFont(w, labels.length);
  const font = k > 1 ? Math.round(base * Math.min(1.45, k)) : base;
  const rowH = Math.round(font * 1.35);
  const n = labels.length;
  // At most about half the plot's height per column; then wrap into columns.
  const maxRows = Math.max(1, Math.floor((0.5 * h - 2 * PAD) / rowH));
  const columns = Math.max(1, Math.ceil(n / maxRows));
  const rows = Math.ceil(n / columns);
  const widthOf = (shown: readonly string[]): number => {
    let width = 2 * PAD;
    for (let c = 0; c < columns; c++) {
      const col = shown.slice(c * rows, (c + 1) * rows);
      width += SWATCH + GAP + Math.max(0, ...col.map((l) => textWidth(l, font))) + (c < columns - 1 ? 10 : 0);
    }
    return width;
  };
  // Labels are shortened only when the legend would be wider than ~90% of the plot: then
  // each column gets its share of that.
  let shown = [...labels];
  if (widthOf(shown) > 0.9 * w) {
    const colMax = (0.9 * w - 2 * PAD) / columns - SWATCH - GAP - 10;
    const chars = Math.max(3, Math.floor(colMax / (font * 0.58)));
    shown = labels.map((l) => shorten(l, chars));
  }
  const width = widthOf(shown);
  return { font, rowH, columns, rows, width, height: 2 * PAD + rows * rowH, labels: shown };
}

function origin(corner: Corner, r: PlotRect, lw: number, lh: number): [number, number] {
  const m = 6;
  const x = corner === 'tl' || corner === 'bl' ? r.left + m : r.right - m - lw;
  const y = corner === 'tl' || corner === 'tr' ? r.top + m : r.bottom - m - lh;
  return [x, y];
}

const overlaps = (a: PlotRect, b: PlotRect): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** The corner whose box covers the fewest points (and no reserved rectangle); sticky. */
function pickCorner(
  r: PlotRect,
  lw: number,
  lh: number,
  opts: LegendOptions,
  current: Corner | undefined,
): Corner {
  const boxes = CORNERS.map((c) => {
    const [x, y] = origin(c, r, lw, lh);
    return { left: x, top: y, right: x + lw, bottom: y + lh };
  });
  const score = boxes.map((b) => (opts.avoid ?? []).filter((a) => overlaps(a, b)).length * 1e6);
  for (const [px, py] of opts.points ?? [])
    boxes.forEach((b, i) => {
      if (px >= b.left && px <= b.right && py >= b.top && py <= b.bottom) score[i] = (score[i] as number) + 1;
    });
  let best = 0;
  score.forEach((s, i) => {
    if (s < (score[best] as number)) best = i;
  });
  const cur = current ? CORNERS.indexOf(current) : -1;
  // Move only when the other corner is clearly emptier.
  if (cur >= 0 && (score[cur] as number) <= 1.5 * (score[best] as number) + 2) return current as Corner;
  return CORNERS[best] as Corner;
}

function make<K extends keyof SVGElementTagNameMap>(parent: Element, tag: K): SVGElementTagNameMap[K] {
  return parent.appendChild(document.createElementNS(SVG_NS, tag));
}

/**
 * Draw the legend into `layer` (its content is owned by this function). Rebuilds only when
 * the rows or the plot area change; otherwise at most moves it to another corner.
 */
export function drawRunLegend(
  layer: SVGGElement,
  items: readonly LegendItem[],
  keys: readonly LegendKey[],
  rect: PlotRect,
  opts: LegendOptions = {},
): void {
  const w = rect.right - rect.left;
  const h = rect.bottom - rect.top;
  if (items.length === 0 || w < 40 || h < 40) {
    layer.replaceChildren();
    delete layer.dataset.sig;
    return;
  }
  const sw = opts.strokeWidth ?? 2;
  const scale = opts.typeScale ?? (Number(layer.ownerSVGElement?.dataset.typeScale) || 1);
  const sig = JSON.stringify([items, keys, w, h, sw, opts.linecap, scale]);
  const all = [...items.map((i) => i.label), ...keys.map((k) => k.label)];
  const lay = layoutLegend(all, w, h, scale);
  let g = layer.firstElementChild as SVGGElement | null;
  if (layer.dataset.sig !== sig || !g) {
    layer.dataset.sig = sig;
    layer.replaceChildren();
    g = make(layer, 'g');
    g.setAttribute('class', 'run-legend');
    g.setAttribute('pointer-events', 'none');
    g.setAttribute('font-size', String(lay.font));
    const bg = make(g, 'rect');
    bg.setAttribute('class', 'run-legend-bg');
    bg.setAttribute('width', String(Math.ceil(lay.width)));
    bg.setAttribute('height', String(lay.height));
    bg.setAttribute('rx', '4');
    bg.setAttribute('fill', 'rgba(255,255,255,0.82)');
    bg.setAttribute('stroke', 'rgba(0,0,0,0.15)');
    let x = PAD;
    for (let c = 0; c < lay.columns; c++) {
      let colW = 0;
      for (let r = 0; r < lay.rows; r++) {
        const i = c * lay.rows + r;
        if (i >= all.length) break;
        const item = items[i];
        const key = item ? undefined : keys[i - items.length];
        const row = make(g, 'g');
        row.setAttribute('class', item ? 'run-legend-item' : 'run-legend-key');
        if (item) row.setAttribute('data-optimizer', String(item.optimizer));
        if (key) row.setAttribute('data-style', key.style);
        const cy = PAD + r * lay.rowH + lay.rowH / 2;
        const line = make(row, 'line');
        line.setAttribute('class', 'swatch');
        line.setAttribute('x1', String(x + 2));
        line.setAttribute('x2', String(x + SWATCH - 2));
        line.setAttribute('y1', String(cy));
        line.setAttribute('y2', String(cy));
        line.setAttribute('stroke', item ? item.color : '#333');
        line.setAttribute('stroke-width', String(item ? sw + 1 : sw));
        if (opts.linecap) line.setAttribute('stroke-linecap', opts.linecap);
        if (key?.dash) line.setAttribute('stroke-dasharray', key.dash);
        const text = make(row, 'text');
        text.setAttribute('x', String(x + SWATCH + GAP));
        text.setAttribute('y', String(cy));
        text.setAttribute('dy', '0.35em');
        text.setAttribute('fill', '#1a1d24');
        const label = lay.labels[i] as string;
        text.textContent = label;
        if (label !== all[i]) make(row, 'title').textContent = all[i] as string;
        colW = Math.max(colW, textWidth(label, lay.font));
      }
      x += SWATCH + GAP + colW + 10;
    }
  }
  const corner = pickCorner(rect, lay.width, lay.height, opts, g.dataset.corner as Corner | undefined);
  if (g.dataset.corner !== corner) {
    g.dataset.corner = corner;
    const [ox, oy] = origin(corner, rect, lay.width, lay.height);
    g.setAttribute('transform', `translate(${Math.round(ox)},${Math.round(oy)})`);
  }
}

/** Up to `n` evenly spaced points of a path, and its last one, in pixels. */
export function* samplePoints(
  count: number,
  at: (i: number) => readonly [number, number] | null,
  n = 80,
): Generator<readonly [number, number]> {
  if (count === 0) return;
  const stride = Math.max(1, Math.floor(count / n));
  for (let i = 0; i < count; i += stride) {
    const p = at(i);
    if (p && Number.isFinite(p[0]) && Number.isFinite(p[1])) yield p;
  }
  const last = at(count - 1);
  if (last && Number.isFinite(last[0]) && Number.isFinite(last[1])) yield last;
}

/** The optimizers of these runs, each once, in index order. */
export function legendItems(
  runs: readonly { optimizer: number }[],
  label: (i: number) => string,
  color: (i: number) => string,
): LegendItem[] {
  const seen = [...new Set(runs.map((r) => r.optimizer))].sort((a, b) => a - b);
  return seen.map((i) => ({ optimizer: i, label: label(i), color: color(i) }));
}
