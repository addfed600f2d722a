/**
 * Run colours: the optimizer's own colour from the experiment, else the Okabe–Ito
 * palette (distinguishable with the common colour-vision deficiencies) by index.
 */
import type { Experiment } from '../../engine/page';

export const palette = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#F0E442',
  '#555555',
];

export function optimizerColor(experiment: Experiment | null, index: number): string {
  return experiment?.optimizers[index]?.color ?? palette[index % palette.length] ?? '#333';
}

/** How a run is stroked in the step charts: its optimizer's colour, φ-runs dashed, switch runs dotted. */
export function runStroke(
  experiment: Experiment | null,
  run: { id: string; optimizer: number; space: string },
): { id: string; optimizer: number; color: string; dashed: boolean; dotted: boolean } {
  return {
    id: run.id,
    optimizer: run.optimizer,
    color: optimizerColor(experiment, run.optimizer),
    dashed: run.space === 'phi',
    dotted: run.space === 'switch',
  };
}
