/**
 * The maps as plain data: which ids are implemented and the schema of each one's
 * parameters, without tensor code. The page (the map menu, link validation through
 * schema.ts) reads this; the worker's registry (index.ts) adds the builders and must list
 * exactly these ids (checked by its type).
 */
import type { z } from 'zod';
import type { ReparamId } from './ids';
import {
  blockMixingParams,
  coordinateParams,
  cubicParams,
  customParams,
  identityParams,
  layerScaleParams,
  linearParams,
  polarParams,
  randomMixingParams,
  reluRescaleParams,
  rotationParams,
  scaleParams,
  shearParams,
  signedPermutationParams,
  swirlParams,
  weightNormParams,
} from './param-schemas';

/** The strict zod schema of each implemented map's parameters (without `id`), in menu order. */
export const reparamParams = {
  identity: identityParams,
  scale: scaleParams,
  rotation: rotationParams,
  shear: shearParams,
  'signed-permutation': signedPermutationParams,
  linear: linearParams,
  'random-mixing': randomMixingParams,
  'block-mixing': blockMixingParams,
  cubic: cubicParams,
  sinh: coordinateParams,
  exp: coordinateParams,
  softplus: coordinateParams,
  polar: polarParams,
  swirl: swirlParams,
  'relu-rescale': reluRescaleParams,
  'weight-norm': weightNormParams,
  'layer-scale': layerScaleParams,
  custom: customParams,
} as const satisfies Partial<Record<ReparamId, z.ZodType>>;

/** Ids with an implementation. */
export const implementedReparams = (): ReparamId[] => Object.keys(reparamParams) as ReparamId[];
