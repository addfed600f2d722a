/**
 * Wheel-zoom and drag-pan of a landscape plot. While the gesture lasts the layers are
 * moved as a picture; when it ends, the new window (in plot coordinates) is handed to
 * `onWindow`, which sets the experiment's view (the runs go on; the worker recomputes
 * the landscape for the new window). On a touch screen two fingers pinch and pan; one
 * finger is left to the page (it scrolls past the plot) and to the start marker's drag.
 */
import { useEffect, type RefObject } from 'react';
import * as d3 from 'd3';
import type { Window } from '../../engine/page';
import { landscapeMargin } from './landscape-base';

export function useZoom(
  svg: RefObject<SVGSVGElement | null>,
  canvas: RefObject<HTMLCanvasElement | null>,
  getWindow: () => Window | null,
  size: { width: number; height: number },
  onWindow: ((w: Window) => void) | null,
): void {
  useEffect(() => {
    const el = svg.current;
    if (!el || !onWindow || size.width === 0) return;
    const layers = d3.select(el).selectAll<SVGGElement, unknown>(':scope > g');
    const zoom = d3
      .zoom<SVGSVGElement, unknown>()
      .scaleExtent([1 / 50, 50])
      .filter((e: Event) => {
        if (e.type === 'wheel') return true;
        if (e.type.startsWith('touch')) return (e as TouchEvent).touches.length >= 2;
        return !(e as MouseEvent).button;
      })
      .on('zoom', (e: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
        layers.attr('transform', e.transform.toString());
        if (canvas.current) {
          canvas.current.style.transformOrigin = '0 0';
          canvas.current.style.transform = `translate(${e.transform.x}px,${e.transform.y}px) scale(${e.transform.k})`;
        }
      })
      .on('end', (e: d3.D3ZoomEvent<SVGSVGElement, unknown>) => {
        const t = e.transform;
        // The identity: no gesture, or the reset just below (zoom.transform ends a gesture of
        // its own; without this return each reset would start the next one, without end).
        if (t.k === 1 && t.x === 0 && t.y === 0) return;
        d3.select(el).call(zoom.transform, d3.zoomIdentity);
        layers.attr('transform', null);
        if (canvas.current) canvas.current.style.transform = '';
        const win = getWindow();
        if (!win) return;
        // The margins the base was drawn with (larger in presentation mode: plot-type.ts).
        const MARGIN = landscapeMargin(Number(svg.current?.dataset.typeScale ?? 1) || 1);
        const w = size.width - MARGIN.left - MARGIN.right;
        const h = size.height - MARGIN.top - MARGIN.bottom;
        const [[x0, x1], [y0, y1]] = win;
        const x = d3
          .scaleLinear()
          .domain([x0, x1])
          .range([MARGIN.left, MARGIN.left + w]);
        const y = d3
          .scaleLinear()
          .domain([y0, y1])
          .range([MARGIN.top + h, MARGIN.top]);
        const xs = t.rescaleX(x).domain() as [number, number];
        const ys = t.rescaleY(y).domain() as [number, number];
        onWindow([
          [Math.min(...xs), Math.max(...xs)],
          [Math.min(...ys), Math.max(...ys)],
        ]);
      });
    // The browser keeps one-finger scrolling but leaves pinches to the zoom (not the page's).
    d3.select(el).call(zoom).on('dblclick.zoom', null).style('touch-action', 'pan-x pan-y');
    return () => {
      d3.select(el).on('.zoom', null).style('touch-action', null);
    };
  }, [svg, canvas, getWindow, size.width, size.height, onWindow]);
}
