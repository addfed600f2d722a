/**
 * React wrapper of the landscape drawing for one coordinate system. The static base
 * (heatmap, contours, axes) is redrawn only when the grid, window or size changes; the
 * trajectories once per animation frame from transient store updates.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Window } from '../../engine/landscape/grid';
import { useZoom } from './use-zoom';
import { ExportButtons } from './ExportButtons';
import type { Space } from '../../engine/experiment';
import { useLab, useLabContext } from '../lab-context';
import type { LabState } from '../../state/store';
import { drawBase, type LandscapeView, type Scales } from './landscape-base';
import { drawRuns } from './landscape-runs';
import { drawPhiGeometry } from './phi-geometry-draw';
import { optimizerColor } from './colors';
import { useSize } from './use-size';
import { useEdit } from '../panels/use-edit';
import { SliceDirections } from './SliceDirections';

/** Networks: the θ plot shows a 2-D slice; the worker sends each point's (a, b) on it. */
const slicedSpace = (s: LabState, space: Space): boolean => space === 'theta' && s.slice !== null;

function viewOf(s: LabState, space: Space): LandscapeView | null {
  const window = s.windows?.[space];
  if (!window) return null;
  const sliced = slicedSpace(s, space);
  const names = sliced
    ? ['a (along d₁)', 'b (along d₂)']
    : space === 'theta'
      ? s.paramNames
      : s.paramNames.map((n) => `φ(${n})`);
  const upto = s.cursor === null ? Infinity : s.cursor + 1;
  const trajectories = s.runs
    .filter((r) => space === 'theta' || r.space === 'phi')
    .map((r) => ({
      id: r.id,
      label: `${s.experiment?.optimizers[r.optimizer]?.id ?? r.id} #${r.optimizer} in ${r.space === 'theta' ? 'θ' : 'φ'}`,
      color: optimizerColor(s.experiment, r.optimizer),
      dashed: space === 'theta' && r.space === 'phi',
      points: (sliced ? r.slice : space === 'theta' ? r.theta : (r.phi ?? [])).slice(0, upto),
      diverged: r.status === 'diverged',
    }));
  const first = s.runs.find((r) => (space === 'theta' ? true : r.space === 'phi'));
  // On a slice the start point is its centre, (a, b) = (0, 0).
  const start = sliced ? [0, 0] : ((space === 'theta' ? first?.theta[0] : first?.phi?.[0]) ?? null);
  return {
    grid: s.landscapes[space],
    window,
    axisNames: [names[0] ?? 'x', names[1] ?? 'y'],
    trajectories,
    start,
  };
}

export function LandscapePlot({ space, title }: { space: Space; title: string }) {
  const { store, hidden, client } = useLabContext();
  const edit = useEdit();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const base = useRef<SVGGElement>(null);
  const runs = useRef<SVGGElement>(null);
  /** φ plot only: the image of the θ grid, and (checkbox) log|det J| instead of the loss. */
  const thetaGrid = useRef<SVGGElement>(null);
  const [shadeDet, setShadeDet] = useState(false);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);
  const sliced = useLab((s) => slicedSpace(s, space));
  // A slice's start cannot be dragged: a point of the plane is not a full θ₀ to restart from.
  // On the φ plot a dropped start is pushed through f in the worker (θ₀ = f(φ₀)).
  const draggable = !hidden.has('init') && !sliced;
  const zoomed = useLab((s) => s.experiment?.view.window !== undefined);
  const getWindow = useCallback(() => store.getState().windows?.[space] ?? null, [store, space]);
  const onWindow = useMemo(
    () =>
      space === 'theta' && !hidden.has('view')
        ? (w: Window) => void edit((x) => ({ ...x, view: { ...x.view, window: w } }))
        : null,
    [space, hidden, edit],
  );
  useZoom(svg, canvas, getWindow, { width, height }, onWindow);

  useEffect(() => {
    if (!canvas.current || !svg.current || !base.current || !runs.current || width === 0) return;
    const el = { canvas: canvas.current, svg: svg.current };
    const baseLayer = base.current;
    const runLayer = runs.current;
    const gridLayer = thetaGrid.current;
    let drawnGeometry: unknown = null;
    let raf = 0;
    let drawnBase: unknown = null;
    let scales: Scales | null = null;
    const onStartDrop = !draggable
      ? undefined
      : space === 'theta'
        ? (p: [number, number]) => void edit((x) => ({ ...x, init: p }))
        : (p: [number, number]) =>
            void client.pushForward(p).then((reply) => {
              if (reply.ok) void edit((x) => ({ ...x, init: reply.theta }));
              else store.getState().notify('error', `That start point cannot be used: ${reply.error}`);
            });
    const draw = (): void => {
      raf = 0;
      const s = store.getState();
      const view = viewOf(s, space);
      if (!view) return;
      const key = `${width}x${height}`;
      if (
        drawnBase !== s.landscapes[space] ||
        !scales ||
        baseLayer.dataset.key !== key ||
        baseLayer.dataset.window !== String(view.window)
      ) {
        scales = drawBase(el, baseLayer, view, width, height);
        drawnBase = s.landscapes[space];
        baseLayer.dataset.key = key;
        baseLayer.dataset.window = String(view.window);
        drawnGeometry = null;
      }
      if (gridLayer && drawnGeometry !== s.phiGeometry) {
        const layers = { canvas: el.canvas, base: baseLayer, layer: gridLayer };
        drawPhiGeometry(layers, s.phiGeometry, scales, baseLayer.dataset.clip ?? '', shadeDet);
        drawnGeometry = s.phiGeometry;
      }
      drawRuns(runLayer, view, scales, baseLayer.dataset.clip ?? '', { onStartDrop });
    };
    draw();
    const unsubscribe = store.subscribe((s, prev) => {
      if (
        s.frame !== prev.frame ||
        s.landscapes !== prev.landscapes ||
        s.windows !== prev.windows ||
        s.phiGeometry !== prev.phiGeometry
      ) {
        if (!raf) raf = requestAnimationFrame(draw);
      }
    });
    return () => {
      unsubscribe();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [store, client, space, width, height, draggable, edit, shadeDet]);

  return (
    <figure className="plot landscape" aria-label={title} data-space={space}>
      <figcaption style={sliced ? { flexWrap: 'wrap' } : undefined}>
        <span className="plot-title">{title}</span>
        {sliced ? <SliceNote /> : null}
        {sliced && onWindow ? <SliceDirections /> : null}
        <LandscapeProgress space={space} />
        {space === 'phi' ? (
          <label className="hint">
            <input type="checkbox" checked={shadeDet} onChange={(e) => setShadeDet(e.target.checked)} /> shade
            det J
          </label>
        ) : null}
        {onWindow && zoomed ? (
          <button
            type="button"
            className="small"
            onClick={() => void edit((x) => ({ ...x, view: { ...x.view, window: undefined } }))}
          >
            Reset zoom
          </button>
        ) : null}
        <ExportButtons box={box} name={`landscape-${space}`} />
        {onWindow || draggable ? (
          <span className="hint">
            {[onWindow ? 'scroll to zoom, drag to pan' : '', draggable ? 'drag ○ to move the start' : '']
              .filter(Boolean)
              .join(', ')}
          </span>
        ) : null}
      </figcaption>
      <div className="plot-box" ref={box}>
        <canvas ref={canvas} aria-hidden="true" />
        <svg ref={svg} role="img" aria-label={`${title}: loss landscape with trajectories`}>
          <g ref={base} className="base" />
          {space === 'phi' ? <g ref={thetaGrid} className="theta-grid" /> : null}
          <g ref={runs} className="runs" />
        </svg>
      </div>
    </figure>
  );
}

const percent = (f: number): string => (f < 0.0005 ? '< 0.1%' : `${(100 * f).toFixed(f < 0.1 ? 1 : 0)}%`);

/** What the slice is and how far the trajectories lie off it (never hidden: DESIGN, issue 5). */
function SliceNote() {
  const label = useLab((s) => s.slice?.label ?? '');
  const error = useLab((s) => s.sliceError);
  return (
    <span
      className="slice-note"
      // Its own line under the title row (inline: the caption's layout lives with the plot).
      style={{ order: 1, flexBasis: '100%', fontWeight: 400, fontSize: '0.85rem' }}
      title="Trajectories are drawn at their least-squares projection onto the slice. The projection error is the largest distance of a point from the slice plane, relative to its distance from the start point."
    >
      slice: {label} · projection error ≤ {percent(error)}
      {error >= 0.5 ? ' (the runs leave this slice: their paths here are projections)' : ''}
    </span>
  );
}

function LandscapeProgress({ space }: { space: Space }) {
  const progress = useLab((s) => s.landscapeProgress[space]);
  if (progress === null) return null;
  return (
    <span className="hint" role="status">
      computing landscape {Math.round(100 * progress)}%
    </span>
  );
}
