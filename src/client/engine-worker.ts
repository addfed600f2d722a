/**
 * One engine worker as the page holds it: the Worker, its comlink proxy, and fault
 * detection. A worker that dies (an uncaught `error`, a failed load), whose GPU is lost
 * (the worker reports `device-lost`) or that hangs (the page's watchdog, client/watchdog.ts,
 * calls `fail`) is reported once through `onFault`; from then on its
 * events are ignored, so a dying worker's late telemetry never reaches the store.
 */
import * as Comlink from 'comlink';
import type { BackendName, WorkerApi, WorkerEvent } from '../protocol/messages';

/** 'offline': the worker's script could not be fetched while the browser is offline. */
export type FaultKind = 'crashed' | 'terminated' | 'device-lost' | 'hung' | 'offline';

export interface Fault {
  kind: FaultKind;
  /** What happened, in words for the user. */
  message: string;
  /** The backend whose device was lost (device-lost only). */
  backend?: BackendName;
}

export interface EngineWorker {
  api: Comlink.Remote<WorkerApi>;
  /** False once a fault was reported. */
  readonly alive: boolean;
  /** Resolves when the worker fails: calls pending on a dead worker never answer, so race them. */
  dead: Promise<void>;
  /** Register the event listener; events arrive only while the worker is alive. */
  listen(onEvent: (event: WorkerEvent) => void): Promise<void>;
  /** Report a fault (once) and terminate the worker. */
  fail(fault: Fault): void;
}

/**
 * What a worker's `error` event means. A worker whose script cannot be fetched fails with no
 * message; offline that means the browser has no saved copy of the engine (no service worker
 * yet, or it was cleared), and restarting before the network is back cannot help.
 */
export function loadFault(message: string, online = globalThis.navigator?.onLine ?? true): Fault {
  if (!message && !online)
    return {
      kind: 'offline',
      message: 'the engine could not be loaded: this browser is offline and has no saved copy of the lab',
    };
  return { kind: 'crashed', message: `the engine worker failed (${message || 'unknown error'})` };
}

/** Start a worker; `onFault` is called at most once. */
export function spawnEngineWorker(onFault: (fault: Fault) => void): EngineWorker {
  const worker = new Worker(new URL('../worker/worker.ts', import.meta.url), {
    type: 'module',
    name: 'engine',
  });
  const api = Comlink.wrap<WorkerApi>(worker);
  let alive = true;
  let died = (): void => undefined;
  const dead = new Promise<void>((resolve) => (died = resolve));

  function fail(fault: Fault): void {
    if (!alive) return;
    alive = false;
    worker.terminate();
    died();
    onFault(fault);
  }

  worker.addEventListener('error', (e) => {
    // Handled here: the page restarts the engine instead of leaving an uncaught error.
    e.preventDefault();
    fail(loadFault(e.message));
  });
  worker.addEventListener('messageerror', () =>
    fail({ kind: 'crashed', message: 'the engine worker sent a message that could not be read' }),
  );

  return {
    api,
    get alive() {
      return alive;
    },
    dead,
    listen: (onEvent) =>
      api.listen(
        Comlink.proxy((event: WorkerEvent) => {
          if (!alive) return;
          if (event.type === 'device-lost')
            fail({ kind: 'device-lost', message: event.message, backend: event.backend });
          else onEvent(event);
        }),
      ),
    fail,
  };
}
