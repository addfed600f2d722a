/**
 * The worker entry: starts the tfjs backend and exposes the run loop to the page
 * through comlink. One listener, transferred typed arrays.
 */
import * as Comlink from 'comlink';
import { chooseBackend } from './backend';
import { createRunLoop } from './run-loop';
import type { BackendRequest, WorkerApi, WorkerEvent } from '../protocol/messages';

let listener: ((event: WorkerEvent) => void) | null = null;

const loop = createRunLoop((event, transfer) => {
  if (!listener) return;
  // A proxied call is async: surface a failed delivery instead of losing the event silently.
  void Promise.resolve(listener(transfer.length ? Comlink.transfer(event, transfer) : event)).catch(
    (err: unknown) => console.error(`event "${event.type}" could not be delivered:`, err),
  );
});

const api: WorkerApi = {
  init: (request: BackendRequest) => chooseBackend(request),
  listen(cb) {
    listener = cb;
  },
  load: (experiment) => loop.load(experiment),
  play: () => loop.play(),
  pause: () => loop.pause(),
  step: () => loop.step(),
  reset: () => loop.reset(),
};

Comlink.expose(api);
