/**
 * The page side of the worker: one instance. It starts the worker, forwards user
 * actions to it, and feeds every event into the store. Nothing here draws or computes.
 */
import * as Comlink from 'comlink';
import type { BackendRequest, WorkerApi, WorkerEvent } from '../protocol/messages';
import type { LabStore } from '../state/store';
import type { ExperimentInput } from '../engine/schema';
import type { Candidate } from './startup';

export interface LabClient {
  /** Resolves when the backend is up and the first experiment is loaded. */
  ready: Promise<void>;
  /** Load an experiment; resolves to an error message, or null when it loaded. */
  load(experiment: ExperimentInput | unknown): Promise<string | null>;
  play(): void;
  pause(): void;
  step(): Promise<void>;
  reset(): Promise<void>;
}

export function createLabClient(
  store: LabStore,
  request: BackendRequest,
  candidates: Candidate[],
): LabClient {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'engine',
  });
  const api = Comlink.wrap<WorkerApi>(worker);
  const { apply, notify } = store.getState();
  worker.addEventListener('error', (e) =>
    notify('error', `The engine worker failed: ${e.message || 'unknown error'}`),
  );

  async function load(experiment: unknown): Promise<string | null> {
    const reply = await api.load(experiment);
    // On success the worker has already sent a `loaded` event through the listener.
    return reply.ok ? null : reply.error;
  }

  const ready = (async () => {
    const info = await api.init(request);
    store.getState().setBackend(info);
    await api.listen(Comlink.proxy((event: WorkerEvent) => apply(event)));
    // The first candidate that the engine accepts wins (link, then saved, then default).
    for (const c of candidates) {
      const error = await load(c.experiment);
      if (!error) return;
      notify('error', `The ${c.source} experiment could not be loaded: ${error}`);
    }
  })();
  ready.catch((err: unknown) => notify('error', `The engine could not start: ${String(err)}`));

  return {
    ready,
    load,
    play: () => void api.play(),
    pause: () => void api.pause(),
    step: () => api.step(),
    reset: () => api.reset(),
  };
}
