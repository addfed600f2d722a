/**
 * For tests of the run loop: what the last load sent as its `loaded` event. The event, not
 * the load's reply, carries what loaded (protocol/events.ts `LoadedInfo`).
 */
import type { LoadedInfo, WorkerEvent } from '../protocol/messages';

export function loadedOf(events: readonly WorkerEvent[]): LoadedInfo {
  const e = events.findLast((x) => x.type === 'loaded');
  if (e?.type !== 'loaded') throw new Error('no loaded event');
  return e.info;
}
