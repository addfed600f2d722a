/** A short label for an optimizer of the experiment: id, the midpoint integrator or damping if set, and its index. */
import type { Experiment } from '../../engine/schema';

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
