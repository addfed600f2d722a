/**
 * The geometry overlay's numbers for the page (protocol/geometry.ts): the Fisher, the
 * gradients and the implied metrics at the points the page draws, and on a sparse grid
 * over the θ window carried to φ. The math is the engine's (engine/measure/geometry-at.ts;
 * for a network's slice engine/measure/geometry-slice.ts); this bounds the request and
 * turns a session or slice replaced mid-way into a quiet error.
 */
import {
  type Session,
  type Window,
  geometryAt,
  geometryGrid,
  sliceFrame,
  sliceGeometryAt,
  sliceGeometryGrid,
} from '../engine';
import type { GeometryReply, GeometryRequest } from '../protocol/geometry';
import type { SliceView } from './slice-landscape';

/** Upper bounds on one request: a grid side and the number of points. */
export const MAX_GRID = 12;
export const MAX_POINTS = 400;
/**
 * On a slice each point costs a Fisher factor times U or two directional derivatives J u, J v over the data
 * (not a P×P matrix), so fewer are answered per request: the page asks again for the rest.
 */
export const MAX_SLICE_GRID = 6;
export const MAX_SLICE_POINTS = 40;

const changed: GeometryReply = { grid: null, points: [], error: 'the experiment changed meanwhile' };

export async function overlayGeometry(
  session: Session,
  request: GeometryRequest,
  window: Window | null,
  withPhi: boolean,
  current: () => boolean,
  slice: SliceView | null = null,
): Promise<GeometryReply> {
  if (session.problem.P !== 2)
    return slice && window
      ? sliceOverlay(session, request, slice, window, current)
      : {
          grid: null,
          points: [],
          error: 'the geometry is drawn for 2-parameter problems and networks’ slices',
        };
  if (!window) return { grid: null, points: [], error: 'no θ window' };
  const n = Math.max(0, Math.min(MAX_GRID, Math.floor(request.grid)));
  try {
    const grid = n > 0 ? { window, n, ...(await geometryGrid(session, window, n, withPhi)) } : null;
    const points: GeometryReply['points'] = [];
    for (const p of request.points.slice(0, MAX_POINTS)) {
      if (!current()) break;
      if (p.space === 'phi' && !withPhi) continue;
      points.push({ key: p.key, ...(await geometryAt(session, p.space, p.at, p.next)) });
    }
    if (!current()) return changed;
    return { grid, points };
  } catch (err) {
    // A load in between disposes the problem's tensors: not an error of the overlay.
    if (!current()) return changed;
    return { grid: null, points: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A network's θ plot: the geometry within the slice (engine/measure/geometry-slice.ts) at
 * the runs' full θ points (the page sends them; the answers are at their projections) and
 * on the grid over the slice window. A replaced slice (`current` false) ends it quietly.
 */
async function sliceOverlay(
  session: Session,
  request: GeometryRequest,
  slice: SliceView,
  window: Window,
  current: () => boolean,
): Promise<GeometryReply> {
  const n = Math.max(0, Math.min(MAX_SLICE_GRID, Math.floor(request.grid)));
  try {
    const frame = sliceFrame(slice.slice);
    const theta = n > 0 ? await sliceGeometryGrid(session, frame, window, n, current) : [];
    const points: GeometryReply['points'] = [];
    for (const p of request.points.slice(0, MAX_SLICE_POINTS)) {
      if (!current()) break;
      if (p.space !== 'theta') continue;
      points.push({ key: p.key, ...(await sliceGeometryAt(session, frame, p.at, p.next)) });
    }
    if (!current()) return changed;
    return { grid: n > 0 ? { window, n, theta, phi: [] } : null, points };
  } catch (err) {
    if (!current()) return changed;
    return { grid: null, points: [], error: err instanceof Error ? err.message : String(err) };
  }
}
