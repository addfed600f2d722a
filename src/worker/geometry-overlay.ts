/**
 * The geometry overlay's numbers for the page (protocol/geometry.ts): the Fisher, the
 * gradients and the implied metrics at the points the page draws, and on a sparse grid
 * over the θ window carried to φ. The math is the engine's (engine/measure/geometry-at.ts);
 * this bounds the request and turns a session replaced mid-way into a quiet error.
 */
import type { Session } from '../engine/experiment';
import type { Window } from '../engine/landscape/grid';
import { geometryAt, geometryGrid } from '../engine/measure/geometry-at';
import type { GeometryReply, GeometryRequest } from '../protocol/geometry';

/** Upper bounds on one request: a grid side and the number of points. */
export const MAX_GRID = 12;
export const MAX_POINTS = 400;

export async function overlayGeometry(
  session: Session,
  request: GeometryRequest,
  window: Window | null,
  withPhi: boolean,
  current: () => boolean,
): Promise<GeometryReply> {
  if (session.problem.P !== 2 || !window)
    return { grid: null, points: [], error: 'the geometry is drawn for 2-parameter problems only' };
  const n = Math.max(0, Math.min(MAX_GRID, Math.floor(request.grid)));
  try {
    const grid = n > 0 ? { window, n, ...(await geometryGrid(session, window, n, withPhi)) } : null;
    const points: GeometryReply['points'] = [];
    for (const p of request.points.slice(0, MAX_POINTS)) {
      if (!current()) break;
      if (p.space === 'phi' && !withPhi) continue;
      points.push({ key: p.key, ...(await geometryAt(session, p.space, p.at, p.next)) });
    }
    if (!current()) return { grid: null, points: [], error: 'the experiment changed meanwhile' };
    return { grid, points };
  } catch (err) {
    // A load in between disposes the problem's tensors: not an error of the overlay.
    if (!current()) return { grid: null, points: [], error: 'the experiment changed meanwhile' };
    return { grid: null, points: [], error: err instanceof Error ? err.message : String(err) };
  }
}
