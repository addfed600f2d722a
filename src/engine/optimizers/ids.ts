/** Optimizer ids: stable, they appear in URLs and files. */
export const optimizerIds = [
  'gd',
  'momentum',
  'nesterov',
  'adam',
  'rmsprop',
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
  'diag-fisher',
  'kfac',
  'hessian-free',
  'block-fisher',
  'lowrank-fisher',
] as const;
export type OptimizerId = (typeof optimizerIds)[number];
