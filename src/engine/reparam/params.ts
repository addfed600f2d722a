/**
 * Parameter parsing shared by the map builders. Every builder parses its Experiment
 * entry with a strict zod object; a rejection becomes a `ReparamError` whose message
 * names the field and the reason ("rotation.angle: expected a number").
 */
import { z } from 'zod';
import { ReparamError } from './reparam';

/** A finite number. */
export const finite = z.number().finite();

/** Indices (0-based) of the θ coordinates a per-coordinate map acts on; default: all. */
export const coordsSchema = z.array(z.number().int().nonnegative()).min(1).optional();

/** The two (0-based) coordinates a planar map acts on; default [0, 1]. */
export const pairSchema = z
  .tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])
  .optional();

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    const exp = String(issue.expected);
    const what = exp === 'int' ? 'an integer' : `${/^[aeiou]/.test(exp) ? 'an' : 'a'} ${exp}`;
    const got = /received (.+)$/.exec(issue.message)?.[1];
    return `expected ${what}${got ? ` (got ${got})` : ''}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

function fieldPath(id: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : `${s}.${String(k)}`), id);
}

/**
 * Parse a map's entry (without its `id`) with `schema`; throws `ReparamError` naming
 * the first bad field, e.g. "rotation.angle: expected a number (got string)".
 */
export function parseParams<S extends z.ZodType>(
  id: string,
  schema: S,
  entry: Record<string, unknown>,
): z.output<S> {
  const { id: _id, ...rest } = entry;
  const res = schema.safeParse(rest);
  if (res.success) return res.data;
  const issue = res.error.issues[0] as z.core.$ZodIssue;
  throw new ReparamError(`${fieldPath(id, issue.path)}: ${describe(issue)}`);
}

/** Check and default a coordinate list: in 0..P−1, no repeats. */
export function resolveCoords(id: string, P: number, coords: readonly number[] | undefined): number[] {
  const list = coords ? [...coords] : Array.from({ length: P }, (_, i) => i);
  list.forEach((c, k) => {
    if (c >= P) throw new ReparamError(`${id}.coords[${k}]: ${c} is not a coordinate (0..${P - 1})`);
    if (list.indexOf(c) !== k) throw new ReparamError(`${id}.coords[${k}]: coordinate ${c} is repeated`);
  });
  return list;
}

/** Check and default the pair of coordinates of a planar map. */
export function resolvePair(
  id: string,
  P: number,
  coords: readonly [number, number] | undefined,
): [number, number] {
  if (P < 2) throw new ReparamError(`${id}: needs at least 2 parameters (the problem has ${P})`);
  const [i, j] = resolveCoords(id, P, coords ?? [0, 1]) as [number, number];
  return [i, j];
}
