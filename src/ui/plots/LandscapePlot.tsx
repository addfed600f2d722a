/**
 * React wrapper of the landscape drawing for one coordinate system. The static base
 * (heatmap, contours, axes) is redrawn only when the grid, window or size changes; the
 * trajectories at most once per animation frame from transient store updates, appending
 * only what each run gained (landscape-runs.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { traj, type Space, type Trajectory, type Window } from '../../engine/page';
import { useZoom } from './use-zoom';
import { ExportButtons } from './ExportButtons';
import { useLab, useLabContext } from '../lab-context';
import type { LabState } from '../../state/store';
import { drawBase, type LandscapeView, type Scales } from './landscape-base';
import { createRunsLayer, drawLandscapeLegend } from './landscape-runs';
import { markFirstTrajectory } from './first-draw';
import { drawPhiGeometry } from './phi-geometry-draw';
import { drawGeometryOverlay } from './geometry-overlay';
import { startGeometryFetch } from './geometry-fetch';
import { geometryStore } from '../../state/geometry';
import { optimizerColor } from './colors';
import { useSize } from './use-size';
import { drawOnFrames } from './frame-draw';
import { useViewEdit } from '../panels/use-edit';
import { SliceDirections } from './SliceDirections';
import { createStartMarker } from './start-marker';
import { useStartCommit } from './use-start-commit';
import { StartFields, ZoomButtons } from './PlotTools';
import { optimizerLabel, runLabel } from '../panels/optimizer-label';
import { phiAxisNames } from './phi-names';
import { OFF_PLANE, TOO_SMALL, sliceSentence, sliceSummary } from './slice-summary';

/** What a run without φ points shows on the φ plot: nothing (never written to). */
const NO_POINTS: Trajectory = traj.emptyTrajectory(2);

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
      : phiAxisNames(s.experiment, s.paramNames);
  // The live trajectories when showing the latest step; a prefix view (no copy) at the cursor.
  const upto = (p: Trajectory): Trajectory => (s.cursor === null ? p : traj.prefix(p, s.cursor + 1));
  // The φ plot shows φ-runs, and switch runs from their switch step on (their φ rows are NaN
  // before it: worker/run-deltas.ts); a switch run not (yet) in φ has no point to draw there.
  const inPhi = (r: LabState['runs'][number]): boolean => {
    if (r.space === 'phi') return true;
    const shown = r.space === 'switch' && r.phi ? upto(r.phi) : undefined;
    return shown !== undefined && traj.finiteAt(shown, shown.length - 1);
  };
  const trajectories = s.runs
    .filter((r) => space === 'theta' || inPhi(r))
    .map((r) => ({
      id: r.id,
      optimizer: r.optimizer,
      label: runLabel(s.experiment, r),
      optimizerLabel: optimizerLabel(s.experiment, r.optimizer),
      color: optimizerColor(s.experiment, r.optimizer),
      dashed: space === 'theta' && r.space === 'phi',
      ...(r.space === 'switch' && r.switchAt !== undefined
        ? {
            dotted: true,
            mark: {
              at: r.switchAt,
              label: `θ→φ at step ${r.switchAt}: ${r.note ?? ''}${r.failure ? ` — ${r.failure}` : ''}`,
            },
          }
        : {}),
      points: upto(sliced ? r.slice : space === 'theta' ? r.theta : (r.phi ?? NO_POINTS)),
      diverged: r.status === 'diverged',
    }));
  const first = s.runs.find((r) => (space === 'theta' ? true : r.space === 'phi'));
  // On a slice the start point is its centre, (a, b) = (0, 0).
  const p0 = first && (space === 'theta' ? first.theta : first.phi);
  const row0 = p0 ? traj.row(p0, 0) : undefined;
  const start = sliced ? [0, 0] : row0 ? Array.from(row0) : null;
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
  const editView = useViewEdit();
  const commitStart = useStartCommit(space);
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const base = useRef<SVGGElement>(null);
  const runs = useRef<SVGGElement>(null);
  /** The run legend (run-legend.ts), over the runs, under the start marker. */
  const legend = useRef<SVGGElement>(null);
  /** The start marker's own layer: moved, not redrawn, so it keeps keyboard focus. */
  const startLayer = useRef<SVGGElement>(null);
  /** φ plot only: the image of the θ grid, and (checkbox) log|det J| instead of the loss. */
  const thetaGrid = useRef<SVGGElement>(null);
  /** The geometry overlay (geometry-overlay.ts): Fisher and implied-metric ellipses, descent arrows. */
  const geometry = useRef<SVGGElement>(null);
  const [shadeDet, setShadeDet] = useState(false);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);
  /** A touch screen is the main pointer: the hint names the touch gestures (use-zoom.ts). */
  const touch = useMemo(() => window.matchMedia?.('(pointer: coarse)').matches ?? false, []);
  const sliced = useLab((s) => slicedSpace(s, space));
  // A slice's start cannot be dragged: a point of the plane is not a full θ₀ to restart from.
  // On the φ plot a dropped start is pushed through f in the worker (θ₀ = f(φ₀)).
  const draggable = !hidden.has('init') && !sliced;
  const getWindow = useCallback(() => store.getState().windows?.[space] ?? null, [store, space]);
  const onWindow = useMemo(
    () =>
      space === 'theta' && !hidden.has('view')
        ? (w: Window) => void editView((v) => ({ ...v, window: w }))
        : null,
    [space, hidden, editView],
  );
  useZoom(svg, canvas, getWindow, { width, height }, onWindow);

  useEffect(() => {
    if (!canvas.current || !svg.current || !base.current || !runs.current || width === 0) return;
    if (!startLayer.current) return;
    const el = { canvas: canvas.current, svg: svg.current };
    const baseLayer = base.current;
    const runLayer = createRunsLayer(runs.current);
    const marker = createStartMarker(startLayer.current, {
      symbol: space === 'theta' ? 'θ₀' : 'φ₀',
      ...(draggable ? { onCommit: (p: [number, number]) => void commitStart(p) } : {}),
    });
    const gridLayer = thetaGrid.current;
    const legendLayer = legend.current;
    const geometryLayer = geometry.current;
    let drawnGeometry: unknown = null;
    let drawnBase: unknown = null;
    let scales: Scales | null = null;
    const draw = (): void => {
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
      if (geometryLayer) {
        const drawnNow = drawGeometryOverlay(
          geometryLayer,
          space,
          s,
          geometryStore.getState(),
          scales,
          baseLayer.dataset.clip ?? '',
        );
        const before = geometryStore.getState().drawn[space];
        // Nothing drawn before or now (the overlay is off): no store update per frame.
        const idle = (d: typeof before): boolean =>
          d.ellipses.length + d.arrows.length + d.notes.length === 0;
        if (!idle(before) || !idle(drawnNow))
          geometryStore.setState((g) => ({ drawn: { ...g.drawn, [space]: drawnNow } }));
      }
      // The start is drawn by the marker above, not by the runs layer.
      runLayer.update(view, scales, baseLayer.dataset.clip ?? '');
      if (legendLayer) drawLandscapeLegend(legendLayer, view, scales, space);
      if (view.trajectories.some((t) => t.points.length > 0)) markFirstTrajectory();
      marker.update(view.start, scales, view.axisNames);
    };
    draw();
    const stop = drawOnFrames(
      store,
      draw,
      (s, prev) =>
        // The runs up to the cursor: new points, or the timeline moved.
        s.runsVersion !== prev.runsVersion ||
        s.cursor !== prev.cursor ||
        s.landscapes !== prev.landscapes ||
        s.windows !== prev.windows ||
        s.phiGeometry !== prev.phiGeometry,
    );
    // The overlay's numbers arrive on their own store (state/geometry.ts): redraw on them too.
    let raf = 0;
    const stopGeometry = geometryStore.subscribe((g, prev) => {
      if (g.version !== prev.version && !raf)
        raf = requestAnimationFrame(() => {
          raf = 0;
          draw();
        });
    });
    return () => {
      stop();
      stopGeometry();
      if (raf) cancelAnimationFrame(raf);
      // A plot that goes (no φ plot for the next experiment) reports nothing drawn.
      geometryStore.setState((g) => ({
        drawn: { ...g.drawn, [space]: { ellipses: [], arrows: [], notes: [] } },
      }));
      marker.dispose();
    };
  }, [store, space, width, height, draggable, commitStart, shadeDet]);

  // One fetch for both plots: the θ plot's (the worker answers for θ and φ).
  useEffect(
    () => (space === 'theta' ? startGeometryFetch(store, client) : undefined),
    [store, client, space],
  );

  return (
    <figure className="plot landscape" aria-label={title} data-space={space}>
      <figcaption style={sliced ? { flexWrap: 'wrap' } : undefined}>
        {/* A heading: the plots are the page's main sections (and h3 chart titles follow). */}
        <h2 className="plot-title">{title}</h2>
        {sliced ? <SliceNote /> : null}
        {sliced && onWindow ? <SliceDirections /> : null}
        <LandscapeProgress space={space} />
        {space === 'phi' ? (
          <label className="hint">
            <input type="checkbox" checked={shadeDet} onChange={(e) => setShadeDet(e.target.checked)} /> shade
            det J
          </label>
        ) : null}
        <ExportButtons box={box} name={`landscape-${space}`} />
        {onWindow || draggable ? (
          <span className="hint">
            {[
              onWindow ? (touch ? 'pinch to zoom, two fingers to pan' : 'scroll to zoom, drag to pan') : '',
              draggable ? `drag ○${touch ? '' : ' (or arrow keys)'} to move the start` : '',
            ]
              .filter(Boolean)
              .join(', ')}
          </span>
        ) : null}
      </figcaption>
      <div className="plot-box" ref={box}>
        <canvas ref={canvas} aria-hidden="true" />
        {/* A group, not an img: the start marker inside is a control; the drawing is hidden from AT. */}
        <svg ref={svg} role="group" aria-label={`${title}: loss landscape with trajectories`}>
          <g ref={base} className="base" aria-hidden="true" />
          {space === 'phi' ? <g ref={thetaGrid} className="theta-grid" aria-hidden="true" /> : null}
          <g ref={geometry} className="geometry" aria-hidden="true" />
          <g ref={runs} className="runs" aria-hidden="true" />
          <g ref={legend} className="run-legend-layer" aria-hidden="true" />
          <g ref={startLayer} className="start" />
        </svg>
      </div>
      {draggable || onWindow ? (
        <div className="plot-tools">
          {draggable ? <StartFields space={space} /> : null}
          {onWindow ? <ZoomButtons onWindow={onWindow} space={space} /> : null}
        </div>
      ) : null}
    </figure>
  );
}

const percent = (f: number): string => (f < 0.0005 ? '< 0.1%' : `${(100 * f).toFixed(f < 0.1 ? 1 : 0)}%`);

/**
 * What the slice is, in one sentence: the plane's share of the runs' movement, how far off
 * it the paths go, and every run it cannot show (slice-summary.ts; never hidden).
 */
function SliceNote() {
  const label = useLab((s) => s.slice?.label ?? '');
  const error = useLab((s) => s.sliceError);
  useLab((s) => s.runsVersion);
  const { store } = useLabContext();
  const summary = sliceSummary(store.getState());
  return (
    <span
      className="slice-note"
      // Its own line under the title row (inline: the caption's layout lives with the plot).
      style={{ order: 1, flexBasis: '100%', fontWeight: 400, fontSize: '0.85rem' }}
      title={`Slice: ${label}. Trajectories are drawn at their least-squares projection onto the plane. A point's off-plane distance is divided by its distance from the start; the average weighs points by that distance (largest single point: ${percent(error)}). A run is listed as off the plane when more than ${Math.round(100 * OFF_PLANE)}% of its distance is off it, and as too small when its path spans less than ${Math.round(100 * TOO_SMALL)}% of the plot.`}
      data-off={summary?.off}
    >
      {summary ? sliceSentence(summary) : `The plane goes along ${label}.`}
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
