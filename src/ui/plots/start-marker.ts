/**
 * The start point (θ₀ or φ₀) of a landscape plot as one persistent, focusable SVG
 * marker (every control is operable by keyboard). It lives in its own layer and
 * is moved, not redrawn, each frame, so it keeps keyboard focus while the runs animate.
 * Drag it, or focus it and press the arrow keys (Shift: larger steps); a keyboard move
 * is committed after a short pause, on Enter or on leaving the marker; Escape cancels.
 * d3-drag takes mouse and touch alike; under the movable marker lies a larger transparent
 * circle (`.start-hit`, 44 px across on narrow screens: styles.css) so a finger can catch it.
 */
import * as d3 from 'd3';
import type { Scales } from './landscape-base';

/** One arrow press moves the point by this fraction of the visible window; with Shift, by LARGE_STEP. */
export const SMALL_STEP = 0.02;
export const LARGE_STEP = 0.1;
/** Keyboard moves are committed after this pause (ms), so a few presses restart the runs once. */
const COMMIT_DELAY = 500;
/** After a commit, the old start may still be drawn until the restarted runs arrive (ms). */
const SETTLE_MS = 3000;

export interface StartMarkerOptions {
  /** 'θ₀' or 'φ₀', for the marker's label. */
  symbol: string;
  /** Called with the new start point (plot coordinates); absent: the marker is not movable. */
  onCommit?: (point: [number, number]) => void;
}

export interface StartMarker {
  /** Place the marker at `start` (plot coordinates) on the given scales; null: none yet. */
  update(start: readonly number[] | null, scales: Scales, axisNames: readonly [string, string]): void;
  dispose(): void;
}

const fmt = d3.format('.4~g');
const same = (a: readonly number[], b: readonly number[]): boolean =>
  Math.abs((a[0] ?? 0) - (b[0] ?? 0)) < 1e-9 && Math.abs((a[1] ?? 0) - (b[1] ?? 0)) < 1e-9;

export function createStartMarker(layer: SVGGElement, options: StartMarkerOptions): StartMarker {
  const g = d3.select(layer);
  g.selectAll('*').remove();
  const { onCommit } = options;
  // Drawn first, so the visible marker stays on top (and keeps the mouse and focus).
  const hit = onCommit
    ? g.append('circle').attr('class', 'start-hit').attr('aria-hidden', 'true').style('display', 'none')
    : null;
  const marker = g
    .append('circle')
    .attr('class', 'start-handle')
    .attr('r', 6)
    .attr('fill', 'white')
    .attr('stroke', '#222')
    .attr('stroke-width', 1.5)
    .style('display', 'none');
  const title = marker.append('title');
  let scales: Scales | null = null;
  let names: readonly [string, string] = ['x', 'y'];
  /** What is drawn: the latest start, or a point being moved or just committed. */
  let shown: [number, number] | null = null;
  let latest: readonly number[] | null = null;
  let moving: 'drag' | 'keys' | null = null;
  let settling: { from: readonly number[]; until: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const moveTo = (cx: number, cy: number): void => {
    marker.attr('cx', cx).attr('cy', cy).style('display', null);
    hit?.attr('cx', cx).attr('cy', cy).style('display', null);
  };

  const describe = (p: readonly number[]): void => {
    const at = `${names[0]} = ${fmt(p[0] ?? NaN)}, ${names[1]} = ${fmt(p[1] ?? NaN)}`;
    // No "step", "play" or "reset" in the name: those are the run buttons' names.
    const how = onCommit ? '. Drag it, or move it with the arrow keys (Shift moves further).' : '';
    marker.attr('aria-label', `Start point ${options.symbol}: ${at}${how}`);
    // The tooltip stays short (the hover read-out gives coordinates; the name has them for AT).
    title.text(`start point ${options.symbol}${onCommit ? ': drag or arrow keys to move it' : ''}`);
  };
  const place = (p: [number, number]): void => {
    shown = p;
    if (!scales) return;
    moveTo(scales.x(p[0]), scales.y(p[1]));
    describe(p);
  };
  const commit = (p: [number, number]): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    moving = null;
    settling = latest ? { from: latest, until: Date.now() + SETTLE_MS } : null;
    onCommit?.(p);
  };

  if (onCommit) {
    // The subject is the marker's centre: a drag moves it by the pointer's motion (a finger
    // that lands off-centre on the hit circle does not make it jump), and a tap leaves it.
    const drag = d3
      .drag<SVGCircleElement, unknown>()
      .subject(() => ({ x: Number(marker.attr('cx')), y: Number(marker.attr('cy')) }))
      .on('start', () => (moving = 'drag'))
      .on('drag', (e: d3.D3DragEvent<SVGCircleElement, unknown, unknown>) => moveTo(e.x, e.y))
      .on('end', (e: d3.D3DragEvent<SVGCircleElement, unknown, unknown>) => {
        const s = e.subject as { x: number; y: number };
        if (e.x === s.x && e.y === s.y) {
          moving = null;
          return;
        }
        if (!scales) return;
        const p: [number, number] = [scales.x.invert(e.x), scales.y.invert(e.y)];
        place(p);
        commit(p);
      });
    hit?.style('cursor', 'grab').call(drag);
    marker
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-roledescription', 'movable point')
      .attr('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown Shift+ArrowLeft Enter Escape')
      .style('cursor', 'grab')
      .call(drag)
      .on('keydown', (e: KeyboardEvent) => {
        if (!scales || !shown) return;
        const [x0, x1] = scales.x.domain() as [number, number];
        const [y0, y1] = scales.y.domain() as [number, number];
        const f = e.shiftKey ? LARGE_STEP : SMALL_STEP;
        const moves: Record<string, [number, number]> = {
          ArrowLeft: [-f * (x1 - x0), 0],
          ArrowRight: [f * (x1 - x0), 0],
          ArrowUp: [0, f * (y1 - y0)],
          ArrowDown: [0, -f * (y1 - y0)],
        };
        const d = moves[e.key];
        if (d) {
          place([shown[0] + d[0], shown[1] + d[1]]);
          moving = 'keys';
          if (timer) clearTimeout(timer);
          const p = shown;
          timer = setTimeout(() => commit(p), COMMIT_DELAY);
        } else if (e.key === 'Enter' && moving === 'keys') commit(shown);
        else if (e.key === 'Escape' && moving === 'keys') {
          if (timer) clearTimeout(timer);
          timer = null;
          moving = null;
          if (latest) place([latest[0] ?? 0, latest[1] ?? 0]);
        } else return;
        // The page's own keys (→ steps the runs) must not see a move of the marker.
        e.preventDefault();
        e.stopPropagation();
      })
      .on('blur', () => {
        if (moving === 'keys' && shown) commit(shown);
      });
  }

  return {
    update(start, next, axisNames) {
      scales = next;
      names = axisNames;
      if (start) {
        const stale = settling && Date.now() < settling.until && same(start, settling.from);
        if (!stale) settling = null;
        latest = start;
        if (!moving && !stale) place([start[0] ?? 0, start[1] ?? 0]);
      }
      // Re-place on the new scales (zoom, resize); keep a moved point where the user put it.
      if (shown && moving !== 'drag') place(shown);
    },
    dispose() {
      if (timer) clearTimeout(timer);
      g.selectAll('*').remove();
    },
  };
}
