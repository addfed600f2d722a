/** Run colours: the optimizer's own colour from the experiment, else Tableau 10 by index. */
import { schemeTableau10 } from 'd3';
import type { Experiment } from '../../engine/schema';

export function optimizerColor(experiment: Experiment | null, index: number): string {
  return experiment?.optimizers[index]?.color ?? schemeTableau10[index % schemeTableau10.length] ?? '#333';
}
