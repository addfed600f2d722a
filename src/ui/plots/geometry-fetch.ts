/**
 * Keeps the geometry store (state/geometry.ts) supplied while an overlay is on: asks the
 * worker (client.geometry) for the points `overlayTargets` names that it has no answer for
 * yet, and for the sparse grid once per θ window; one request in flight at a time. A new
 * load, or a new slice of a network's θ plot, clears the answers.
 */
import { traj } from '../../engine/page';
import type { LabStore } from '../../state/store';
import type { LabClient } from '../../client/lab-client';
import type { GeometryPointRequest } from '../../protocol/geometry';
import { clearGeometry, geometryStore, type GeometryStore } from '../../state/geometry';
import { GRID_SIDE, overlayTargets, pointKey, stepKey } from './geometry-targets';

/** While playing, requests are at least this far apart (ms). */
const MIN_INTERVAL_MS = 300;
/** At most this many points per request (the rest follow in the next). */
const POINTS_PER_REQUEST = 60;
/** On a network's slice (a Fisher factor times U or two directional derivatives each): fewer, so the runs keep their pace. */
const SLICE_POINTS_PER_REQUEST = 12;

export function startGeometryFetch(
  store: LabStore,
  client: Pick<LabClient, 'geometry'>,
  geo: GeometryStore = geometryStore,
): () => void {
  let busy = false;
  let again = false;
  let runs: unknown = null;
  let slice: unknown = null;
  let stopped = false;
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const tick = async (): Promise<void> => {
    // New runs, or a new slice of a network's θ plot, replace every answer at once (even with
    // a request in flight, whose reply is then dropped): answers are in the old slice's coordinates.
    const now = store.getState();
    if (now.runs !== runs || now.slice !== slice) {
      runs = now.runs;
      slice = now.slice;
      clearGeometry(geo);
    }
    if (busy) {
      again = true;
      return;
    }
    const s = store.getState();
    // While the runs play, at most one request per MIN_INTERVAL_MS: the worker's steps come first.
    const wait = last + MIN_INTERVAL_MS - performance.now();
    if (s.playState === 'playing' && wait > 0) {
      timer ??= setTimeout(() => {
        timer = null;
        void tick();
      }, wait);
      return;
    }
    const on = s.experiment?.view.geometry;
    if (!on || !(on.fisher || on.implied || on.arrows) || !s.windows) return;
    const have = geo.getState();
    const wanted: GeometryPointRequest[] = [];
    const seen = new Set<string>();
    const ask = (key: string, r: GeometryPointRequest): void => {
      if (seen.has(key) || have.points[key]) return;
      seen.add(key);
      wanted.push(r);
    };
    for (const t of overlayTargets(s)) {
      const at = (i: number): number[] => Array.from(traj.row(t.points, i) ?? []);
      if (on.fisher)
        for (const i of t.path)
          ask(pointKey(t.runId, i), { key: pointKey(t.runId, i), space: t.space, at: at(i) });
      // The current step's point answers the arrows and the implied metric at once.
      if ((on.implied || on.arrows) && t.implied !== null) {
        const key = stepKey(t.runId, t.implied);
        ask(key, { key, space: t.space, at: at(t.implied), next: at(t.implied + 1) });
      } else if (on.arrows)
        ask(pointKey(t.runId, t.k), { key: pointKey(t.runId, t.k), space: t.space, at: at(t.k) });
    }
    const window = s.windows.theta;
    const gridWanted = on.fisher && (have.grid === null || String(have.grid.window) !== String(window));
    if (!gridWanted && wanted.length === 0) return;
    const perRequest = s.slice ? SLICE_POINTS_PER_REQUEST : POINTS_PER_REQUEST;
    const askedRuns = s.runs;
    const askedSlice = s.slice;
    busy = true;
    last = performance.now();
    try {
      const reply = await client.geometry({
        grid: gridWanted ? GRID_SIDE : 0,
        points: wanted.slice(0, perRequest),
      });
      const after = store.getState();
      if (stopped || after.runs !== askedRuns || after.slice !== askedSlice) return;
      geo.setState((g) => ({
        points: { ...g.points, ...Object.fromEntries(reply.points.map((p) => [p.key, p])) },
        grid: reply.grid ?? g.grid,
        error: reply.error ?? null,
        version: g.version + 1,
      }));
      // A refused request is not retried in a loop: the next store change asks again.
      if (reply.error) again = false;
      else if (wanted.length > perRequest) again = true;
    } catch (err) {
      geo.setState((g) => ({ error: String(err), version: g.version + 1 }));
      again = false;
    } finally {
      busy = false;
      if (again && !stopped) {
        again = false;
        void tick();
      }
    }
  };

  void tick();
  const unsubscribe = store.subscribe((s, prev) => {
    if (
      s.runsVersion !== prev.runsVersion ||
      s.runs !== prev.runs ||
      s.windows !== prev.windows ||
      s.cursor !== prev.cursor ||
      s.experiment !== prev.experiment
    )
      void tick();
  });
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
