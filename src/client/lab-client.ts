/**
 * The page side of the worker: the lab's public API. Every user action goes to the engine
 * through the engine host (recovery.ts: start-up, fault recovery, the spare worker, the
 * watchdog); the worker's events reach the store there. Nothing here draws or computes.
 */
import type { BackendRequest, MemoryInfo, WorkerApi } from '../protocol/messages';
import type { BenchReply, BenchRequest } from '../protocol/messages';
import type { AnalysisReply, PushForwardReply } from '../protocol/messages';
import type { GeometryReply } from '../protocol/geometry';
import type { LabStore } from '../state/store';
import type { Experiment, ExperimentInput, Window } from '../engine/page';
import type { Candidate } from './startup';
import { createEngineHost, type EngineHostOptions, type Recovery } from './recovery';

export type { Recovery } from './recovery';

/** An experiment's view settings as the page builds them (its windows are read-only). */
export type ViewSettings = Omit<Experiment['view'], 'window'> & { window?: Window };

/**
 * Test hooks and debug queries (docs/reliability.md, "Automation handle and test hooks"): they break the engine on purpose
 * so the browser tests can check the recovery; the page heals itself after each.
 */
export interface LabDebug {
  /** Terminate the engine worker, as if it had died. */
  terminateWorker(): void;
  /** Make the worker close itself with an uncaught error (the Worker's `error` event). */
  crashWorker(): void;
  /** Make the worker hang (an endless loop, no error): only the watchdog notices. */
  hangWorker(): void;
  /** Lose the GPU in the worker (WebGPU device.destroy(), WebGL loseContext); false without a GPU. */
  simulateDeviceLoss(): Promise<boolean>;
  /** The worker's tf.memory(). */
  memory(): Promise<MemoryInfo>;
  /** Benchmark hook (bench/browser.ts): time batched gd runs in the worker; pauses the runs. */
  bench(request: BenchRequest): Promise<BenchReply>;
  /** The faults handled so far. */
  recoveries(): Recovery[];
}

/**
 * The page's handle on the engine. Play, Pause, Step, Reset, the push-forward, the geometry
 * overlay and the analyses are the worker's own calls (protocol/api.ts), passed through the
 * engine host, which restarts a lost worker and holds calls meanwhile (recovery.ts).
 */
export interface LabClient extends Pick<
  WorkerApi,
  'play' | 'pause' | 'step' | 'reset' | 'pushForward' | 'geometry' | 'sweep' | 'naturalityTable'
> {
  /** Resolves when the backend is up and the first experiment is loaded. */
  ready: Promise<void>;
  /**
   * Load an experiment (new runs); resolves to an error message, or null when it loaded. The
   * page's store learns what loaded from the worker's `loaded` event, not from here.
   */
  load(experiment: ExperimentInput | unknown): Promise<string | null>;
  /**
   * New view settings (window, grid, speed, slice directions, overlays) for the loaded runs,
   * which go on untouched; an error message, or null. The store gets the `view` event.
   */
  setView(view: ViewSettings): Promise<string | null>;
  /**
   * The experiment of the newest load or view change still in flight (as it was passed to
   * `load`, or the experiment with the view passed to `setView`), or null when none is: an
   * edit made while a scene is loading builds on the scene, not on the experiment it replaces.
   */
  pending(): unknown;
  /** Resolves once every load and view change in flight now has ended (at once when none is). */
  settled(): Promise<void>;
  debug: LabDebug;
}

/** What a call answers when its worker died under it. */
const RESTARTED = 'the engine restarted meanwhile; please try again';

export function createLabClient(
  store: LabStore,
  request: BackendRequest,
  candidates: Candidate[],
  inject: Omit<EngineHostOptions, 'store' | 'request' | 'candidates'> = {},
): LabClient {
  const host = createEngineHost({ store, request, candidates, ...inject });
  const { call } = host;
  /** What an analysis reports when its worker died under it. */
  const restarted: AnalysisReply = { status: 'cancelled', message: 'the engine restarted' };

  /**
   * The loads and view changes in flight (their outcome is the caller's; here only their end
   * counts), and the experiment the newest one makes.
   */
  const inFlight = new Set<Promise<unknown>>();
  let newest: unknown = null;
  const track = (sending: Promise<string | null>, experiment: unknown): Promise<string | null> => {
    inFlight.add(sending);
    newest = experiment;
    const done = (): void => void inFlight.delete(sending);
    void sending.then(done, done);
    return sending;
  };
  return {
    ready: host.ready,
    load: (experiment) =>
      track(
        call(
          async (w) => {
            const reply = await w.api.load(experiment);
            // On success the worker has already sent a `loaded` event through the listener: the
            // store's one source for what loaded (it precedes the new runs' telemetry).
            return reply.ok ? null : reply.error;
          },
          RESTARTED,
          true,
        ),
        experiment,
      ),
    setView: (view) =>
      track(
        call(
          async (w) => {
            const reply = await w.api.setView(view);
            // On success the worker has already sent a `view` event (the new experiment and windows).
            return reply.ok ? null : reply.error;
          },
          RESTARTED,
          true,
        ),
        // An edit or a zoom key meanwhile builds on this view (`pending`).
        { ...(inFlight.size > 0 && typeof newest === 'object' ? newest : store.getState().experiment), view },
      ),
    pending: () => (inFlight.size > 0 ? newest : null),
    settled: () => Promise.allSettled([...inFlight]).then(() => undefined),
    play: () => void call((w) => w.api.play(), undefined),
    pause: () => void call((w) => w.api.pause(), undefined),
    step: () => call((w) => w.api.step(), undefined, true),
    reset: () => call((w) => w.api.reset(), undefined, true),
    pushForward: (phi) =>
      call<PushForwardReply>((w) => w.api.pushForward(phi), { ok: false, error: RESTARTED }),
    geometry: (request) =>
      call<GeometryReply>((w) => w.api.geometry(request), {
        grid: null,
        points: [],
        error: 'the engine restarted meanwhile',
      }),
    sweep: (request) => call((w) => w.api.sweep(request), restarted, true),
    naturalityTable: (request) => call((w) => w.api.naturalityTable(request), restarted, true),
    debug: {
      terminateWorker: () =>
        host.current().fail({ kind: 'terminated', message: 'the engine worker was terminated' }),
      crashWorker: () => void host.current().api.crash(),
      hangWorker: () => void host.current().api.hang(),
      simulateDeviceLoss: () => call((w) => w.api.simulateDeviceLoss(), false),
      memory: () => call((w) => w.api.memory(), { numTensors: NaN, numBytes: NaN }),
      bench: async (request) => {
        const reply = await call<BenchReply | null>((w) => w.api.bench(request), null, true);
        if (!reply) throw new Error('the engine restarted during the benchmark');
        return reply;
      },
      recoveries: host.recoveries,
    },
  };
}
