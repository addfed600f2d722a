/** The optimizer registry: every implemented optimizer, by stable id. */
import type { OptimizerId } from './ids';
import type { OptimizerDef } from './optimizer';
import { gd } from './gd';

export const optimizers: Partial<Record<OptimizerId, OptimizerDef>> = {
  gd,
};

/** The definition for an id, or an error naming what is missing. */
export function optimizerDef(id: OptimizerId): OptimizerDef {
  const def = optimizers[id];
  if (!def) throw new Error(`optimizer "${id}" is not implemented yet`);
  return def;
}
