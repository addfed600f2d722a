/**
 * Step metrics (κ* and κ(F) per step, docs/theory.md §5) as telemetry: the engine's deltas packed
 * into typed arrays for transfer. A missing κ* ("not a descent step") travels as NaN.
 */
import type { StepMetricsDelta } from '../engine';
import type { MetricDelta } from '../protocol/messages';

/** Pack deltas and add their buffers to `transfer`. */
export function packMetrics(deltas: readonly StepMetricsDelta[], transfer: Transferable[]): MetricDelta[] {
  return deltas.map((d) => {
    const kappa = Float64Array.from(d.kappa, (v) => v ?? Number.NaN);
    const cond = Float64Array.from(d.cond);
    transfer.push(kappa.buffer, cond.buffer);
    return { id: d.id, kappaFrom: d.kappaFrom, kappa, condFrom: d.condFrom, cond };
  });
}
