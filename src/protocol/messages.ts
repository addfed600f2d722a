/**
 * The typed contract between the page and the worker (types only; ESLint refuses runtime
 * exports in protocol/). The page calls the worker through comlink (`WorkerApi`, api.ts);
 * the worker reports through one callback with a discriminated union of events
 * (`WorkerEvent`, events.ts); debug queries and test hooks are in debug.ts, the geometry
 * overlay's request and reply in geometry.ts. This file gathers them for importers.
 */
export type * from './api';
export type * from './debug';
export type * from './events';
