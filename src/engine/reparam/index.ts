/** The reparameterization registry: build a map from its Experiment entry. */
import { identity } from './identity';
import { cubicMap } from './cubic';
import { ReparamError, type Reparam } from './reparam';
import type { ReparamId } from './ids';

/** A map's Experiment entry: its id and its parameters. */
export type ReparamEntry = { id: ReparamId } & Record<string, unknown>;

type Builder = (entry: ReparamEntry, P: number, seed: number) => Reparam;

const builders: Partial<Record<ReparamId, Builder>> = {
  identity: (_e, P) => identity(P),
  cubic: (e, P) => cubicMap(P, typeof e.a === 'number' ? e.a : 0.3, e.coords as number[] | undefined),
};

/** Ids with an implementation. */
export const implementedReparams = (): ReparamId[] => Object.keys(builders) as ReparamId[];

/** Build the map for P parameters; throws `ReparamError` with a message naming the problem. */
export function createReparam(entry: ReparamEntry, P: number, seed: number): Reparam {
  const build = builders[entry.id];
  if (!build) throw new ReparamError(`reparameterization "${entry.id}" is not implemented yet`);
  return build(entry, P, seed);
}

export { ReparamError, type Reparam };
