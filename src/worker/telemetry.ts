/**
 * The run loop's telemetry (run-loop.ts): one `flush` sends every run's new points
 * (run-deltas.ts), the naturality defects and κ* and κ(F) gained since the last one, and a
 * checkpoint when one is due (checkpoints.ts) — in one event, so the page never holds
 * points without the checkpoint that goes with them for long — then the §6 reports.
 */
import {
  type Session,
  createDefectTracker,
  type DefectTracker,
  createStepMetricsTracker,
  type StepMetrics,
  type StepMetricsTracker,
} from '../engine';
import type { DefectDelta, PackedCheckpoint, WorkerEvent } from '../protocol/messages';
import { createCheckpointer } from './checkpoints';
import { packMetrics } from './metrics';
import { reportDeltas } from './reports';
import { noneSent, runDeltas } from './run-deltas';
import type { SliceView } from './slice-landscape';

/** How the worker's events leave (postMessage in the worker, a callback in tests). */
/**
 * Sends an event to the page. It may return the delivery (the page's listener has taken the
 * event); the run loop awaits that for `loaded` only (see run-loop.ts `load`).
 */
export type Emit = (event: WorkerEvent, transfer: Transferable[]) => unknown;

export interface Telemetry {
  /**
   * A new session: nothing of it sent yet. `metrics`: κ* / κ(F) the page already has (a
   * restore), carried over instead of recomputed.
   */
  start(s: Session, metrics: Readonly<Record<string, StepMetrics>>): void;
  /**
   * Send what `s` gained since the last flush, with a checkpoint of this step when one is
   * due (`force`: in any case). Sends nothing if `current()` is no longer `s` once the
   * asynchronous reads are back (a load or reset meanwhile).
   */
  flush(s: Session, slice: SliceView | null, force: boolean, current: () => Session | null): Promise<void>;
}

export function createTelemetry(emit: Emit): Telemetry {
  let sent = noneSent();
  let tracker: DefectTracker | null = null;
  /** κ* and κ(F) per step for P ≤ 50 (engine/measure/step-metrics.ts). */
  let metricsTracker: StepMetricsTracker | null = null;
  const checkpoints = createCheckpointer();

  /** The checkpoint to send with a flush (checkpoints.ts), or null. */
  async function takeCheckpoint(s: Session, force: boolean): Promise<PackedCheckpoint | null> {
    try {
      return await checkpoints.take(s, force);
    } catch (err) {
      emit({ type: 'error', message: `checkpoint failed: ${String(err)}` }, []);
      return null;
    }
  }

  return {
    start(s, metrics) {
      sent = noneSent();
      checkpoints.reset();
      tracker = createDefectTracker(s);
      // Step metrics read tensors asynchronously, so they run on every backend (webgpu too).
      metricsTracker = createStepMetricsTracker(s, metrics);
    },
    async flush(s, slice, force, current) {
      const transfer: Transferable[] = [];
      const runs = runDeltas(s, sent, slice, transfer);
      const step = s.step;
      // Every read starts now (tensors are read asynchronously: a synchronous read loses the
      // device on tfjs-webgpu), so they all describe this step even if the runs go on.
      const [pairs, stepDeltas, checkpoint] = await Promise.all([
        tracker?.update() ?? [],
        metricsTracker?.update() ?? [],
        takeCheckpoint(s, force),
      ]);
      // A load or reset meanwhile: these belong to the old session.
      if (current() !== s) return;
      const defects: DefectDelta[] = pairs.map((d) => {
        const parameter = Float64Array.from(d.parameter);
        const fn = Float64Array.from(d.function);
        transfer.push(parameter.buffer, fn.buffer);
        return { optimizer: d.optimizer, from: d.from, parameter, function: fn };
      });
      const metrics = packMetrics(stepDeltas, transfer);
      if (runs.length || defects.length) {
        if (checkpoint) transfer.push(checkpoint.numbers.buffer);
        emit(
          {
            type: 'telemetry',
            step,
            P: s.problem.P,
            Q: s.reparam.Q,
            runs,
            defects,
            ...(metrics.length ? { metrics } : {}),
            ...(checkpoint ? { checkpoint } : {}),
          },
          transfer,
        );
      } else if (checkpoint) {
        emit({ type: 'checkpoint', checkpoint }, [checkpoint.numbers.buffer]);
      }
      // docs/theory.md §6 reports (matrix-completion, sparse-regression only): after the telemetry.
      const reports = reportDeltas(s);
      if (reports?.length) emit({ type: 'report', runs: reports }, []);
    },
  };
}
