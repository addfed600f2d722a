/** A short label for an optimizer of the experiment: id, the midpoint integrator or damping (λI, trust region) if set, and its index. */
import type { Experiment } from '../../engine/page';

export function optimizerLabel(experiment: Experiment | null, index: number): string {
  const o = experiment?.optimizers[index];
  if (!o) return `? #${index}`;
  const extra =
    o.integrator === 'midpoint'
      ? ' midpoint'
      : o.damping && o.damping.type !== 'none'
        ? ` (${o.damping.type === 'lm' ? 'λI' : 'trust region'})`
        : '';
  return `${o.id}${extra} #${index}`;
}

/**
 * A run's label: its optimizer's label and where it runs ("in θ", "in φ", "θ→φ at k").
 * Every caption, legend, table and plot names runs with this and `optimizerLabel`.
 */
export function runLabel(
  experiment: Experiment | null,
  run: { optimizer: number; space: string; switchAt?: number | undefined },
): string {
  const where =
    run.space === 'switch' ? `θ→φ at ${run.switchAt ?? '?'}` : `in ${run.space === 'theta' ? 'θ' : 'φ'}`;
  return `${optimizerLabel(experiment, run.optimizer)} ${where}`;
}
