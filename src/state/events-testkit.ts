/**
 * Worker events for the page's unit tests (store, plots' redraw schedule, telemetry queue):
 * the default experiment loaded with one θ-run `r`, and that run's telemetry at step k.
 */
import { defaultExperiment, parseExperiment, type Experiment } from '../engine/page';
import type { WorkerEvent } from '../protocol/messages';

export const loadedEvent: Extract<WorkerEvent, { type: 'loaded' }> = {
  type: 'loaded',
  info: {
    experiment: (parseExperiment(defaultExperiment) as { experiment: Experiment }).experiment,
    runs: [{ id: 'r', optimizer: 0, space: 'theta' }],
    paramNames: ['a', 'b'],
    windows: {
      theta: [
        [0, 1],
        [0, 1],
      ],
      phi: null,
    },
  },
};

/** Telemetry for step k: one new θ point (k, −k) of run `r` and its loss 1/(k + 1). */
export const telemetryEvent = (k: number): Extract<WorkerEvent, { type: 'telemetry' }> => ({
  type: 'telemetry',
  step: k,
  P: 2,
  Q: 2,
  runs: [
    {
      id: 'r',
      from: k,
      theta: Float64Array.from([k, -k]),
      phi: null,
      loss: Float64Array.from([1 / (k + 1)]),
      lossFrom: k,
      status: 'ok',
      divergedAt: null,
    },
  ],
  defects: [],
});
