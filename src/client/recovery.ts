/**
 * The engine host: holds the current engine worker and keeps one alive (docs/reliability.md).
 *
 * When the worker dies, hangs (watchdog.ts) or its GPU is lost, the page says so, starts a new
 * worker (the warm spare if there is one; on the next backend after a lost GPU) and reloads the
 * experiment with the latest checkpoint the old worker sent (a fraction of a second old) and the
 * trajectories the store holds: the new worker continues from the checkpoint's step and replays
 * only the steps since — the engine is deterministic, so the trajectories are the same; without a
 * usable checkpoint it replays from step 0 — and plays on if it was playing. Three faults within
 * a minute stop retrying. Offline, a worker whose script cannot be fetched is not retried until
 * the browser is back online.
 *
 * Every call to the engine goes through `call`, which waits for a restart in progress and ends
 * when the worker it was sent to dies.
 */
import type { BackendName, BackendRequest, PackedCheckpoint, WorkerEvent } from '../protocol/messages';
import type { LabStore } from '../state/store';
import { spawnEngineWorker, type EngineWorker, type Fault, type FaultKind } from './engine-worker';
import { startEngine, type RestoreGoal } from './engine-start';
import { resumeData } from './resume';
import { createSpareWorker, type SpareWorker } from './spare-worker';
import type { Candidate } from './startup';
import { createEventQueue, type EventQueue } from './telemetry-queue';
import { createWatchdog, HANG_MS } from './watchdog';

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

export interface EngineHostOptions {
  store: LabStore;
  /** The backend the page asked for (`?backend=`, or automatic). */
  request: BackendRequest;
  /** What a first start loads, in order. */
  candidates: Candidate[];
  /** Start a worker (injectable for tests). */
  spawn?: (onFault: (fault: Fault) => void) => EngineWorker;
  /** The warm spare (injectable for tests). */
  spare?: (onFault: (fault: Fault) => void) => SpareWorker;
  /** The worker's events into the store (injectable for tests: the default waits for animation frames). */
  queue?: (store: LabStore) => EventQueue;
  /** Run `retry` once when the browser is back online. */
  onOnline?: (retry: () => void) => void;
  /** The watchdog's silence that means hung and its check interval (ms; watchdog.ts). */
  watchdog?: { hangMs?: number; intervalMs?: number };
  /** The spare starts this long after the engine, so it does not slow the first figure (ms). */
  spareDelayMs?: number;
}

export interface EngineHost {
  /** Resolves when the backend is up and the first experiment is loaded (or after a restore). */
  ready: Promise<void>;
  /**
   * Run a call on the current worker once any restart is done; a worker dying meanwhile ends
   * the wait with `dead`. `long`: the call may run without yielding (load, reset, step,
   * analyses), so the watchdog does not count the silence meanwhile.
   */
  call<T>(fn: (w: EngineWorker) => Promise<T>, dead: T, long?: boolean): Promise<T>;
  /** The worker in charge now (the debug hooks break it on purpose). */
  current(): EngineWorker;
  /** The faults handled so far. */
  recoveries(): Recovery[];
}

const MAX_FAULTS_PER_MINUTE = 3;
const SPARE_DELAY_MS = 1000;

const capitalized = (s: string): string => `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;

const onlineAgain = (retry: () => void): void => window.addEventListener('online', retry, { once: true });

export function createEngineHost(options: EngineHostOptions): EngineHost {
  const { store, request, candidates } = options;
  const spawn = options.spawn ?? spawnEngineWorker;
  const hangMs = options.watchdog?.hangMs ?? HANG_MS;
  const intervalMs = options.watchdog?.intervalMs;
  const spareDelayMs = options.spareDelayMs ?? SPARE_DELAY_MS;
  const onOnline = options.onOnline ?? onlineAgain;
  const { notify } = store.getState();

  let engine: EngineWorker = spawn(onFault);
  let backend: BackendName | null = null;
  /** The progress to restore while a restart is under way (a second fault keeps it). */
  let goal: RestoreGoal | null = null;
  /**
   * The current runs' latest checkpoint (the worker sends one every ~0.2 s while playing):
   * a restore continues from it instead of replaying from step 0. Memory only.
   */
  let checkpoint: PackedCheckpoint | null = null;
  let restoring: Promise<void> = Promise.resolve();
  const faults: number[] = [];
  const recoveries: Recovery[] = [];
  let resolveReady = (): void => undefined;
  let failReady = (_err: unknown): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    failReady = reject;
  });
  /**
   * Ready once the store holds the loaded experiment, as `ready` promises
   * (docs/reliability.md): its event may still wait in the queue for the next animation frame.
   */
  const markReady = (): void => {
    queue.flush();
    resolveReady();
  };
  ready.catch(() => undefined); // reported through a message; awaiting callers still see the error
  const spare = (options.spare ?? ((f) => createSpareWorker(f, spawn)))(onFault);
  /** Calls in flight that may keep the worker from answering pings (they run without yielding). */
  let busyCalls = 0;
  /** Worker events into the store, telemetry coalesced per animation frame (telemetry-queue.ts). */
  const queue = (options.queue ?? createEventQueue)(store);

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
      hangMs,
      ...(intervalMs !== undefined ? { intervalMs } : {}),
    });
    void w.dead.then(() => dog.stop());
  }
  const prepareSpare = (): void => void setTimeout(() => spare.prepare(backend), spareDelayMs);

  /** The listener of worker `w`: checkpoints kept here, everything else into the store. */
  const listener =
    (w: EngineWorker) =>
    (event: WorkerEvent): void => {
      if (event.type === 'checkpoint' || (event.type === 'telemetry' && event.checkpoint)) {
        if (w === engine && event.checkpoint) checkpoint = event.checkpoint;
        if (event.type === 'checkpoint') return;
      }
      // New runs (not a restore of the old ones): the old checkpoint no longer applies.
      if (event.type === 'loaded' && !goal) checkpoint = null;
      // The backend chosen again for a new size: a restart keeps it, the spare is prepared for it.
      if (event.type === 'backend' && w === engine) backend = event.info.name;
      queue.push(event);
    };

  let waitingForNetwork = false;
  /** The backends the latest automatic choice was made among. */
  let chosenAmong: BackendName[] = [];

  function onFault(fault: Fault): void {
    if (fault.kind === 'offline') {
      // Retrying offline cannot fetch the engine: say so once, start again when the network is back.
      if (waitingForNetwork) return;
      waitingForNetwork = true;
      notify('error', `${capitalized(fault.message)}. The lab starts when the network is back.`);
      onOnline(() => {
        waitingForNetwork = false;
        onFault({ kind: 'crashed', message: 'the engine could not be loaded while offline' });
      });
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
    // An automatic choice restarted forced stays automatic, among the backends it was chosen
    // from (the latest choice's; a restarted worker's own info has no measurements).
    const measured = (s.backend?.measurements ?? []).filter((m) => m.status !== 'unavailable');
    if (measured.length > 0) chosenAmong = measured.map((m) => m.backend);
    const adopt = !lost && request === 'auto' ? chosenAmong : [];
    const target = goal;
    notify(
      'warning',
      `${capitalized(fault.message)}: restarting the engine` +
        `${lost ? ` on the next backend after ${lost}` : ''} and restoring step ${target.step}…`,
    );
    // The warm spare if there is one (its module loaded, on cpu/wasm its backend up).
    const taken = spare.take(backend, lost !== undefined);
    const w = taken?.w ?? spawn(onFault);
    engine = w;
    restoring = (async () => {
      // A worker that dies during the restart never answers: stop waiting, its own fault takes over.
      const started = await Promise.race([
        startEngine(w, store, {
          request: lost ? 'auto' : (backend ?? request),
          note: `restarted after: ${fault.message}`,
          ...(lost ? { after: lost } : {}),
          started: taken?.info ?? null,
          goal: target,
          candidates,
          onEvent: listener(w),
          onBackend: (name) => (backend = name),
          ...(adopt.length > 0 ? { adopt } : {}),
        }),
        w.dead,
      ]);
      if (!w.alive || !started) return;
      goal = null;
      watch(w);
      const ms = Math.round(performance.now() - t0);
      const at = started.resumedAt;
      recoveries.push({ kind: fault.kind, from, to: started.backend, step: target.step, checkpoint: at, ms });
      const via = at === null ? 'replayed from step 0' : `from the checkpoint at step ${at}`;
      notify(
        'info',
        `The engine was restored on ${started.backend} at step ${target.step} (${ms} ms, ${via}).`,
      );
      markReady();
      prepareSpare();
    })().catch((err: unknown) => notify('error', `The engine could not be restarted: ${String(err)}`));
  }

  const first = engine;
  Promise.race([
    startEngine(first, store, {
      request,
      note: null,
      goal: null,
      candidates,
      onEvent: listener(first),
      onBackend: (name) => (backend = name),
    }),
    first.dead,
  ])
    .then((started) => {
      if (!first.alive || !started) return;
      watch(first);
      markReady();
      prepareSpare();
    })
    .catch((err: unknown) => {
      notify('error', `The engine could not start: ${String(err)}`);
      failReady(err);
    });

  return {
    ready,
    async call(fn, dead, long = false) {
      await restoring;
      const w = engine;
      if (long) busyCalls += 1;
      try {
        return await Promise.race([fn(w), w.dead.then(() => dead)]);
      } finally {
        if (long) busyCalls -= 1;
      }
    },
    current: () => engine,
    recoveries: () => structuredClone(recoveries),
  };
}
