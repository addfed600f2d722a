/**
 * The page side of the worker: one instance. It starts the worker, forwards user
 * actions to it, and feeds every event into the store. Nothing here draws or computes.
 *
 * Faults (docs/reliability.md): when the worker dies, hangs (watchdog.ts) or its GPU is lost, the page
 * says so, starts a new worker (on the next backend after a lost GPU) and reloads the
 * experiment with the latest checkpoint the old worker sent (a fraction of a second old) and
 * the trajectories the store holds: the new worker continues from the checkpoint's step and
 * replays only the steps since — the engine is deterministic, so the trajectories are the
 * same; without a usable checkpoint it replays from step 0 — and plays on if it was playing.
 * Three faults within a minute stop retrying.
 */
import { z } from 'zod';
import type { BackendInfo, BackendName, BackendRequest, MemoryInfo } from '../protocol/messages';
import type { BenchReply, BenchRequest } from '../protocol/messages';
import type { AnalysisReply, PushForwardReply, SweepRequest, TableRequest } from '../protocol/messages';
import type { LabStore } from '../state/store';
import type { ExperimentInput } from '../engine/schema';
import type { Candidate } from './startup';
import { spawnEngineWorker, type EngineWorker, type Fault, type FaultKind } from './engine-worker';
import { createSpareWorker } from './spare-worker';
import { createWatchdog, HANG_MS } from './watchdog';
import { createEventQueue } from './telemetry-queue';
import { resumeData } from './resume';
import type { PackedCheckpoint, ResumeData } from '../protocol/messages';

/** One handled fault: what happened and how long the restore took. */
export interface Recovery {
  kind: FaultKind;
  /** Backend before and after. */
  from: BackendName | null;
  to: BackendName;
  /** The step restored to. */
  step: number;
  /** The checkpoint step the new worker continued from, or null: it replayed from step 0. */
  checkpoint: number | null;
  /** Milliseconds from the fault to the restored runs. */
  ms: number;
}

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

export interface LabClient {
  /** Resolves when the backend is up and the first experiment is loaded. */
  ready: Promise<void>;
  /** Load an experiment; resolves to an error message, or null when it loaded. */
  load(experiment: ExperimentInput | unknown): Promise<string | null>;
  /**
   * The experiment of the newest load still in flight (as it was passed to `load`), or null
   * when none is: an edit made while a scene is loading builds on the scene, not on the
   * experiment it replaces.
   */
  pending(): unknown;
  play(): void;
  pause(): void;
  step(): Promise<void>;
  reset(): Promise<void>;
  /** θ = f(φ) through the loaded map. */
  pushForward(phi: number[]): Promise<PushForwardReply>;
  /** The learning-rate sweep on the current experiment; progress and result arrive as `sweep` events. */
  sweep(request: SweepRequest): Promise<AnalysisReply>;
  /** The naturality table of the current experiment; progress and result arrive as `table` events. */
  naturalityTable(request: TableRequest): Promise<AnalysisReply>;
  debug: LabDebug;
}

// The page runs under a CSP without 'unsafe-eval': keep zod from probing `new Function` (a violation).
z.config({ jitless: true });

const MAX_FAULTS_PER_MINUTE = 3;
/** The spare worker starts this long after the engine, so it does not slow the first figure. */
const SPARE_DELAY_MS = 1000;

const capitalized = (s: string): string => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

export function createLabClient(
  store: LabStore,
  request: BackendRequest,
  candidates: Candidate[],
): LabClient {
  const { notify } = store.getState();
  let engine: EngineWorker = spawnEngineWorker(onFault);
  let backend: BackendName | null = null;
  /** The progress to restore while a restart is under way (a second fault keeps it). */
  let goal: { experiment: unknown; step: number; playing: boolean; resume: ResumeData | null } | null = null;
  /**
   * The current runs' latest checkpoint (the worker sends one every ~0.2 s while playing):
   * a restore continues from it instead of replaying from step 0. Memory only.
   */
  let checkpoint: PackedCheckpoint | null = null;
  /** The checkpoint step the last restore continued from (null: it replayed from 0). */
  let resumedAt: number | null = null;
  let restoring: Promise<void> = Promise.resolve();
  const faults: number[] = [];
  const recoveries: Recovery[] = [];
  let markReady = (): void => undefined;
  let failReady = (_err: unknown): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  ready.catch(() => undefined); // reported through a message; awaiting callers still see the error
  const spare = createSpareWorker(onFault);
  /** Calls in flight that may keep the worker from answering pings (they run without yielding). */
  let busyCalls = 0;
  /** Worker events into the store, telemetry coalesced per animation frame (telemetry-queue.ts). */
  const queue = createEventQueue(store);

  /** Watch a started worker for hangs until it fails (watchdog.ts). */
  function watch(w: EngineWorker): void {
    const dog = createWatchdog({
      ping: () => w.api.ping(),
      busy: () => busyCalls > 0 || engine !== w,
      onHang: (ms) =>
        w.fail({
          kind: 'hung',
          message: `the engine stopped answering (no reply for ${(ms / 1000).toFixed(0)} s)`,
        }),
      hangMs: HANG_MS,
    });
    void w.dead.then(() => dog.stop());
  }
  const prepareSpare = (): void => void setTimeout(() => spare.prepare(backend), SPARE_DELAY_MS);

  /** Start a worker: backend, listener, then the goal's experiment or the startup candidates. */
  async function start(
    w: EngineWorker,
    req: BackendRequest,
    note: string | null,
    after?: BackendName,
    started: Promise<BackendInfo> | null = null,
  ): Promise<BackendName> {
    // The backend warm-up times the experiment about to load: the restored goal's, else the first candidate's.
    const experiment = goal?.experiment ?? candidates[0]?.experiment;
    const info = await (started ??
      w.api.init(req, {
        ...(after ? { after } : {}),
        ...(experiment !== undefined ? { experiment } : {}),
      }));
    if (!w.alive) return info.name;
    store.getState().setBackend(note ? { ...info, notes: [...info.notes, note] } : info);
    backend = info.name;
    await w.listen((event) => {
      if (event.type === 'checkpoint' || (event.type === 'telemetry' && event.checkpoint)) {
        if (w === engine && event.checkpoint) checkpoint = event.checkpoint;
        if (event.type === 'checkpoint') return;
      }
      // New runs (not a restore of the old ones): the old checkpoint no longer applies.
      if (event.type === 'loaded' && !goal) checkpoint = null;
      queue.push(event);
    });
    if (goal?.experiment) {
      const { resume } = goal;
      const reply = await w.api.load(goal.experiment, {
        advanceTo: goal.step,
        ...(resume ? { resume } : {}),
      });
      resumedAt = reply.ok && reply.resumed && 'at' in reply.resumed ? reply.resumed.at : null;
      if (!reply.ok) notify('error', `The experiment could not be restored: ${reply.error}`);
      else if (goal.playing) await w.api.play();
      return info.name;
    }
    // The first candidate that the engine accepts wins (link, then saved, then default).
    for (const c of candidates) {
      const reply = await w.api.load(c.experiment);
      if (reply.ok) {
        if (c.play) await w.api.play();
        return info.name;
      }
      notify('error', `The ${c.source} experiment could not be loaded: ${reply.error}`);
    }
    return info.name;
  }

  let waitingForNetwork = false;

  function onFault(fault: Fault): void {
    if (fault.kind === 'offline') {
      // Retrying offline cannot fetch the engine: say so once, start again when the network is back.
      if (waitingForNetwork) return;
      waitingForNetwork = true;
      notify('error', `${capitalized(fault.message)}. The lab starts when the network is back.`);
      window.addEventListener(
        'online',
        () => {
          waitingForNetwork = false;
          onFault({ kind: 'crashed', message: 'the engine could not be loaded while offline' });
        },
        { once: true },
      );
      return;
    }
    const t0 = performance.now();
    const now = Date.now();
    faults.push(now);
    if (faults.filter((t) => now - t < 60_000).length > MAX_FAULTS_PER_MINUTE) {
      notify('error', `The engine failed again (${fault.message}); reload the page to start over.`);
      return;
    }
    queue.flush(); // the held telemetry first: the step to restore is the latest received
    const s = store.getState();
    goal ??= {
      experiment: s.experiment,
      step: s.step,
      playing: s.playState === 'playing',
      resume: resumeData(s, checkpoint),
    };
    const from = backend;
    // A lost GPU: the automatic choice among the backends after it. Otherwise the same backend
    // again, forced (no probing: faster).
    const lost = fault.kind === 'device-lost' ? (fault.backend ?? backend ?? undefined) : undefined;
    const req: BackendRequest = lost ? 'auto' : (backend ?? request);
    const target = goal;
    notify(
      'warning',
      `${capitalized(fault.message)}: restarting the engine` +
        `${lost ? ` on the next backend after ${lost}` : ''} and restoring step ${target.step}…`,
    );
    // The warm spare if there is one (its module loaded, on cpu/wasm its backend up).
    const taken = spare.take(backend, lost !== undefined);
    const w = taken?.w ?? spawnEngineWorker(onFault);
    engine = w;
    restoring = (async () => {
      // A worker that dies during the restart never answers: stop waiting, its own fault takes over.
      const name = await Promise.race([
        start(w, req, `restarted after: ${fault.message}`, lost, taken?.info ?? null),
        w.dead,
      ]);
      if (!w.alive || !name) return;
      goal = null;
      watch(w);
      const ms = Math.round(performance.now() - t0);
      recoveries.push({ kind: fault.kind, from, to: name, step: target.step, checkpoint: resumedAt, ms });
      const via = resumedAt === null ? 'replayed from step 0' : `from the checkpoint at step ${resumedAt}`;
      notify('info', `The engine was restored on ${name} at step ${target.step} (${ms} ms, ${via}).`);
      markReady();
      prepareSpare();
    })().catch((err: unknown) => notify('error', `The engine could not be restarted: ${String(err)}`));
  }

  /**
   * Run a call on the current worker once any restart is done; a worker dying meanwhile ends
   * the wait. `long`: the call may run without yielding (load, reset, step, analyses), so the
   * watchdog does not count the silence meanwhile.
   */
  async function call<T>(fn: (w: EngineWorker) => Promise<T>, dead: T, long = false): Promise<T> {
    await restoring;
    const w = engine;
    if (long) busyCalls += 1;
    try {
      return await Promise.race([fn(w), w.dead.then(() => dead)]);
    } finally {
      if (long) busyCalls -= 1;
    }
  }

  /** What an analysis reports when its worker died under it. */
  const restarted: AnalysisReply = { status: 'cancelled', message: 'the engine restarted' };

  const first = engine;
  Promise.race([start(first, request, null), first.dead])
    .then(() => {
      if (!first.alive) return;
      watch(first);
      markReady();
      prepareSpare();
    })
    .catch((err: unknown) => {
      notify('error', `The engine could not start: ${String(err)}`);
      failReady(err);
    });

  /** The loads in flight (their outcome is the caller's; here only their end counts). */
  const inFlight = new Set<Promise<unknown>>();
  let newest: unknown = null;
  return {
    ready,
    load: (experiment) => {
      const loading = call(
        async (w) => {
          const reply = await w.api.load(experiment);
          // On success the worker has already sent a `loaded` event through the listener.
          return reply.ok ? null : reply.error;
        },
        'the engine restarted meanwhile; please try again',
        true,
      );
      inFlight.add(loading);
      newest = experiment;
      const done = (): void => void inFlight.delete(loading);
      void loading.then(done, done);
      return loading;
    },
    pending: () => (inFlight.size > 0 ? newest : null),
    play: () => void call((w) => w.api.play(), undefined),
    pause: () => void call((w) => w.api.pause(), undefined),
    step: () => call((w) => w.api.step(), undefined, true),
    reset: () => call((w) => w.api.reset(), undefined, true),
    pushForward: (phi) =>
      call<PushForwardReply>((w) => w.api.pushForward(phi), {
        ok: false,
        error: 'the engine restarted meanwhile; please try again',
      }),
    sweep: (request) => call((w) => w.api.sweep(request), restarted, true),
    naturalityTable: (request) => call((w) => w.api.naturalityTable(request), restarted, true),
    debug: {
      terminateWorker: () => engine.fail({ kind: 'terminated', message: 'the engine worker was terminated' }),
      crashWorker: () => void engine.api.crash(),
      hangWorker: () => void engine.api.hang(),
      simulateDeviceLoss: () => call((w) => w.api.simulateDeviceLoss(), false),
      memory: () => call((w) => w.api.memory(), { numTensors: NaN, numBytes: NaN }),
      bench: async (request) => {
        const reply = await call<BenchReply | null>((w) => w.api.bench(request), null, true);
        if (!reply) throw new Error('the engine restarted during the benchmark');
        return reply;
      },
      recoveries: () => structuredClone(recoveries),
    },
  };
}
