/**
 * The worker entry: starts the tfjs backend and exposes the run loop to the page
 * through comlink. One listener, transferred typed arrays.
 */
import * as Comlink from 'comlink';
import { chooseBackend, countingBackend, rechooseBackend } from './backend';
import { createBackendFit } from './backend-fit';
import { sessionBuilds, workloadOf } from './workload';
import { createRunLoop } from './run-loop';
import { createAnalyses } from './analyses';
import { crash, hang, memory, simulateDeviceLoss, watchDevice } from './faults';
import { digitsTiming, gdBatch, throughput } from './step-timing';
import type { BackendName, BackendRequest, WorkerApi, WorkerEvent } from '../protocol/messages';

let listener: ((event: WorkerEvent) => void) | null = null;
let backend: BackendName | null = null;
/** A device loss noticed before the page registered its listener, delivered on `listen`. */
let pendingFault: WorkerEvent | null = null;

function emitEvent(event: WorkerEvent, transfer: Transferable[]): Promise<void> {
  if (!listener) return Promise.resolve();
  // A proxied call is async: surface a failed delivery instead of losing the event silently.
  return Promise.resolve(listener(transfer.length ? Comlink.transfer(event, transfer) : event)).catch(
    (err: unknown) => console.error(`event "${event.type}" could not be delivered:`, err),
  );
}

const loop = createRunLoop(emitEvent);
// The sweep and the naturality table run on the loop's current experiment, through the same listener.
const analyses = createAnalyses(emitEvent, () => loop.current());

/** Watch the running backend's device; a watch of a backend no longer running is ignored. */
let watching = 0;
function watch(name: BackendName): void {
  const id = ++watching;
  watchDevice(name, (message) => {
    if (id !== watching) return;
    // Nothing more can run on a lost device; the page replaces this worker.
    loop.pause();
    const event: WorkerEvent = { type: 'device-lost', backend: name, message };
    if (listener) void Promise.resolve(listener(event)).catch(() => undefined);
    else pendingFault = event;
  });
}

// The automatic choice, made again when a loaded experiment is of another size class (backend-fit.ts).
const fit = createBackendFit({
  choose: chooseBackend,
  rechoose: rechooseBackend,
  async release() {
    loop.pause();
    await loop.settled();
    loop.dispose();
    // A sweep or table of the old experiment stops at its next chunk (its tensors are on this backend too).
    await analyses.idle();
  },
  changed(info, previous) {
    backend = info.name;
    if (info.name !== previous) watch(info.name);
    emitEvent({ type: 'backend', info }, []);
  },
  prepare: countingBackend,
  benchmark: () => workloadOf(gdBatch(1)),
  builds: sessionBuilds,
});

const api: WorkerApi = {
  async init(request: BackendRequest, options) {
    // The automatic choice times the page's own experiment when it sends one (backend.ts).
    const info = await fit.init(request, options);
    backend = info.name;
    watch(info.name);
    return info;
  },
  adoptChoice: async (experiment, candidates) => fit.gate(() => fit.adopt(experiment, candidates)),
  listen(cb) {
    listener = cb;
    if (pendingFault) void Promise.resolve(cb(pendingFault)).catch(() => undefined);
    pendingFault = null;
  },
  // Everything on the runs waits for a backend choice under way, in the order it arrived.
  load: (experiment, options) =>
    fit
      .load(experiment, () => loop.load(experiment, options))
      .catch((err: unknown) => ({
        ok: false,
        error: `the backend could not be chosen again: ${String(err)}`,
      })),
  setView: async (view) => fit.gate(() => loop.setView(view)),
  play: () => void fit.gate(() => loop.play()),
  pause: () => void fit.gate(() => loop.pause()),
  step: async () => fit.gate(() => loop.step()),
  reset: async () => fit.gate(() => loop.reset()),
  pushForward: async (phi) => fit.gate(() => loop.pushForward(phi)),
  geometry: async (request) => fit.gate(() => loop.geometry(request)),
  sweep: async (request) => fit.gate(() => analyses.sweep(request)),
  naturalityTable: async (request) => fit.gate(() => analyses.naturalityTable(request)),
  memory: async () => memory(),
  bench: async (request) =>
    fit.gate(async () => {
      // The benchmark's own sessions: the lab's runs must not step meanwhile.
      loop.pause();
      await loop.settled();
      if (!backend) throw new Error('bench: the backend is not started');
      const rows = await throughput(request.runs, request.rounds, request.targetMs);
      const d = request.digits;
      return { backend, rows, ...(d ? { digits: await digitsTiming(d.slices, d.steps) } : {}) };
    }),
  simulateDeviceLoss: async () => (backend ? simulateDeviceLoss(backend) : false),
  crash,
  ping: async () => ({ slowestStepMs: loop.slowestStepMs() }),
  hang,
};

Comlink.expose(api);
