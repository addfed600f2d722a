/**
 * The reparameterization registry: build a map from its Experiment entry. The ids and
 * parameter schemas are plain data in catalog.ts (tf-free, read by the page).
 */
import type { z } from 'zod';
import type { DenseLayer } from '../problems/problem';
import { identity, identityParams } from './identity';
import { cubicMap } from './cubic';
import { coordinateMap, coordinateParams, cubicParams } from './elementwise';
import {
  linearMap,
  linearParams,
  rotationMap,
  rotationParams,
  scaleMap,
  scaleParams,
  shearMap,
  shearParams,
  signedPermutationMap,
  signedPermutationParams,
} from './linear-maps';
import { randomMixingMap, randomMixingParams } from './random-mixing';
import { blockMixingMap, blockMixingParams } from './block-mixing';
import { polarMap, polarParams } from './polar';
import { swirlMap, swirlParams } from './swirl';
import { customMap, customParams } from './custom';
import { layerScaleMap, layerScaleParams, reluRescaleMap, reluRescaleParams } from './network';
import { weightNormMap, weightNormParams } from './weight-norm';
import { parseParams } from './params';
import { ReparamError, type Reparam } from './reparam';
import type { ReparamId } from './ids';
import { denseMapRefusal } from './menu';
import type { reparamParams } from './catalog';

/** A map's Experiment entry: its id and its parameters. */
export type ReparamEntry = { id: ReparamId } & Record<string, unknown>;

/**
 * Build a map for P parameters (and, for network-shaped maps, the problem's layers).
 * The map's φ has `Q` coordinates: P, except `weight-norm` (P + one gain per unit).
 */
type Builder = (
  entry: ReparamEntry,
  P: number,
  seed: number,
  layers?: readonly DenseLayer[] | null,
) => Reparam;

interface Registered<S extends z.ZodType> {
  /** The strict zod schema of the entry's parameters (without `id`). */
  params: S;
  build(params: z.output<S>, P: number, seed: number, layers?: readonly DenseLayer[] | null): Reparam;
}

function entry<S extends z.ZodType>(id: ReparamId, r: Registered<S>): [Registered<S>, Builder] {
  return [r, (e, P, seed, layers) => r.build(parseParams(id, r.params, e), P, seed, layers)];
}

const registered = {
  identity: entry('identity', { params: identityParams, build: (_p, P) => identity(P) }),
  scale: entry('scale', { params: scaleParams, build: (p, P) => scaleMap(P, p) }),
  rotation: entry('rotation', { params: rotationParams, build: (p, P) => rotationMap(P, p) }),
  shear: entry('shear', { params: shearParams, build: (p, P) => shearMap(P, p) }),
  'signed-permutation': entry('signed-permutation', {
    params: signedPermutationParams,
    build: (p, P) => signedPermutationMap(P, p),
  }),
  linear: entry('linear', { params: linearParams, build: (p, P) => linearMap(P, p) }),
  'random-mixing': entry('random-mixing', {
    params: randomMixingParams,
    build: (p, P, seed) => randomMixingMap(P, seed, p),
  }),
  'block-mixing': entry('block-mixing', {
    params: blockMixingParams,
    build: (p, P, seed, layers) => blockMixingMap(P, seed, layers, p),
  }),
  cubic: entry('cubic', { params: cubicParams, build: (p, P) => cubicMap(P, p.a, p.coords) }),
  sinh: entry('sinh', { params: coordinateParams, build: (p, P) => coordinateMap('sinh', P, p) }),
  exp: entry('exp', { params: coordinateParams, build: (p, P) => coordinateMap('exp', P, p) }),
  softplus: entry('softplus', { params: coordinateParams, build: (p, P) => coordinateMap('softplus', P, p) }),
  polar: entry('polar', { params: polarParams, build: (p, P) => polarMap(P, p) }),
  swirl: entry('swirl', { params: swirlParams, build: (p, P) => swirlMap(P, p) }),
  'relu-rescale': entry('relu-rescale', {
    params: reluRescaleParams,
    build: (p, P, seed, layers) => reluRescaleMap(P, seed, layers, p),
  }),
  'weight-norm': entry('weight-norm', {
    params: weightNormParams,
    build: (_p, P, _seed, layers) => weightNormMap(P, layers),
  }),
  'layer-scale': entry('layer-scale', {
    params: layerScaleParams,
    build: (p, P, seed, layers) => layerScaleMap(P, seed, layers, p),
  }),
  custom: entry('custom', { params: customParams, build: (p, P, seed) => customMap(P, seed, p) }),
} satisfies Record<keyof typeof reparamParams, [Registered<z.ZodType>, Builder]>;

const builders: Partial<Record<ReparamId, Builder>> = Object.fromEntries(
  Object.entries(registered).map(([id, [, build]]) => [id, build]),
);

export { implementedReparams, reparamParams } from './catalog';

/**
 * Build the map for P parameters; `layers` is the problem's layer layout (needed by
 * the network-shaped maps). Throws `ReparamError` with a message naming the problem.
 */
export function createReparam(
  entry: ReparamEntry,
  P: number,
  seed: number,
  layers?: readonly DenseLayer[] | null,
): Reparam {
  const build = builders[entry.id];
  if (!build) throw new ReparamError(`reparameterization "${entry.id}" is not implemented yet`);
  const tooLarge = denseMapRefusal(entry.id, P);
  if (tooLarge) throw new ReparamError(`${entry.id}: ${tooLarge}`);
  return build(entry, P, seed, layers);
}

export { checkInvertible } from './invertible';
export { ReparamError, type Reparam };
