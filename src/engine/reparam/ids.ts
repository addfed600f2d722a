/** Reparameterization ids: stable, they appear in URLs and files. */
export const reparamIds = [
  'identity',
  'scale',
  'rotation',
  'shear',
  'signed-permutation',
  'linear',
  'random-mixing',
  'block-mixing',
  'cubic',
  'sinh',
  'exp',
  'softplus',
  'polar',
  'swirl',
  'relu-rescale',
  'weight-norm',
  'layer-scale',
  'custom',
] as const;
export type ReparamId = (typeof reparamIds)[number];
