/**
 * The worker entry: starts the tfjs backend and exposes the run loop to the page
 * through comlink. One listener, transferred typed arrays.
 */
import * as Comlink from 'comlink';
import { chooseBackend } from './backend';
import { workloadOf } from './workload';
import { createRunLoop } from './run-loop';
import { createAnalyses } from './analyses';
import { crash, hang, memory, simulateDeviceLoss, watchDevice } from './faults';
import { throughput } from './step-timing';
import type { BackendName, BackendRequest, WorkerApi, WorkerEvent } from '../protocol/messages';

let listener: ((event: WorkerEvent) => void) | null = null;
let backend: BackendName | null = null;
/** A device loss noticed before the page registered its listener, delivered on `listen`. */
let pendingFault: WorkerEvent | null = null;

function emitEvent(event: WorkerEvent, transfer: Transferable[]): void {
  if (!listener) return;
  // A proxied call is async: surface a failed delivery instead of losing the event silently.
  void Promise.resolve(listener(transfer.length ? Comlink.transfer(event, transfer) : event)).catch(
    (err: unknown) => console.error(`event "${event.type}" could not be delivered:`, err),
  );
}

const loop = createRunLoop(emitEvent);
// The sweep and the naturality table run on the loop's current experiment, through the same listener.
const analyses = createAnalyses(emitEvent, () => loop.current());

const api: WorkerApi = {
  async init(request: BackendRequest, options) {
    // The automatic choice times the page's own experiment when it sends one (backend.ts).
    const workload = options?.experiment === undefined ? null : workloadOf(options.experiment);
    const info = await chooseBackend(request, options?.after, workload);
    backend = info.name;
    watchDevice(info.name, (message) => {
      // Nothing more can run on a lost device; the page replaces this worker.
      loop.pause();
      const event: WorkerEvent = { type: 'device-lost', backend: info.name, message };
      if (listener) void Promise.resolve(listener(event)).catch(() => undefined);
      else pendingFault = event;
    });
    return info;
  },
  listen(cb) {
    listener = cb;
    if (pendingFault) void Promise.resolve(cb(pendingFault)).catch(() => undefined);
    pendingFault = null;
  },
  load: (experiment, options) => loop.load(experiment, options),
  setView: async (view) => loop.setView(view),
  play: () => loop.play(),
  pause: () => loop.pause(),
  step: () => loop.step(),
  reset: () => loop.reset(),
  pushForward: async (phi) => loop.pushForward(phi),
  geometry: (request) => loop.geometry(request),
  sweep: (request) => analyses.sweep(request),
  naturalityTable: (request) => analyses.naturalityTable(request),
  memory: async () => memory(),
  async bench(request) {
    // The benchmark's own sessions: the lab's runs must not step meanwhile.
    loop.pause();
    await loop.settled();
    if (!backend) throw new Error('bench: the backend is not started');
    return { backend, rows: await throughput(request.runs, request.rounds, request.targetMs) };
  },
  simulateDeviceLoss: async () => (backend ? simulateDeviceLoss(backend) : false),
  crash,
  ping: async () => ({ slowestStepMs: loop.slowestStepMs() }),
  hang,
};

Comlink.expose(api);
