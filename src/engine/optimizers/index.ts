/** The optimizer registry: every implemented optimizer, by stable id. */
import type { OptimizerId } from './ids';
import type { OptimizerDef } from './optimizer';
import { gd } from './gd';
import { momentum } from './momentum';
import { nesterov } from './nesterov';
import { adam } from './adam';
import { rmsprop } from './rmsprop';
import { newton } from './newton';
import { ngd } from './ngd';
import { ggn } from './ggn';
import { empiricalFisher } from './empirical-fisher';
import { diagFisher } from './diag-fisher';
import { hessianFree } from './hessian-free';
import { kfac } from './kfac';
import { blockFisher } from './block-fisher';
import { lowrankFisher } from './lowrank-fisher';

export const optimizers: Partial<Record<OptimizerId, OptimizerDef>> = {
  gd,
  momentum,
  nesterov,
  adam,
  rmsprop,
  newton,
  ngd,
  ggn,
  'empirical-fisher': empiricalFisher,
  'diag-fisher': diagFisher,
  'hessian-free': hessianFree,
  kfac,
  'block-fisher': blockFisher,
  'lowrank-fisher': lowrankFisher,
};

/** The definition for an id, or an error naming what is missing. */
export function optimizerDef(id: OptimizerId): OptimizerDef {
  const def = optimizers[id];
  if (!def) throw new Error(`optimizer "${id}" is not implemented yet`);
  return def;
}
