/**
 * Filter-normalized random directions (Li et al. 2018, "Visualizing the Loss Landscape of
 * Neural Nets"): a Gaussian direction rescaled filter by filter to the norm of the
 * centre's weights, so the slice's scale matches each unit's scale and plots of different
 * networks (or of reparameterized ones) can be compared.
 *
 * Filters of our dense layers (Problem.layers layout: W [inputs, outputs] row-major, then
 * b [outputs]): one per output unit j, the column W[:, j]. Biases, as documented here:
 * - `bias: 'filter'` (default): b_j joins its unit's filter, so the filter is
 *   (W[:, j], b_j) and its norm is taken over both. Biases then move with the slice.
 * - `bias: 'zero'` (Li et al.'s "ignore biasbn"): bias entries of the direction are 0 and
 *   each filter is the column alone; the slice keeps the centre's biases.
 * Problems without layers are one filter of all P coordinates (normalized to ‖c‖).
 * A filter whose centre weights are all zero gets a zero direction (Li et al.'s rule),
 * so the slice does not move it; a centre that is zero everywhere is refused.
 */
import { makeRng, subSeed, type Rng } from '../random';
import type { DenseLayer } from '../problems/problem';
import type { Slice } from './slice';

export type BiasMode = 'filter' | 'zero';

/**
 * The index sets of the filters in θ (layout order); coordinates in no filter (the biases
 * when bias = 'zero') get a zero direction.
 */
export function filterIndices(P: number, layers: readonly DenseLayer[] | null, bias: BiasMode): number[][] {
  if (!layers) return [Array.from({ length: P }, (_, i) => i)];
  const out: number[][] = [];
  let offset = 0;
  for (const l of layers) {
    const nw = l.inputs * l.outputs;
    for (let j = 0; j < l.outputs; j++) {
      const f = Array.from({ length: l.inputs }, (_, i) => offset + i * l.outputs + j);
      if (bias === 'filter') f.push(offset + nw + j);
      out.push(f);
    }
    offset += nw + l.outputs;
  }
  if (offset !== P) throw new Error(`the layers hold ${offset} parameters, not ${P}`);
  return out;
}

/** One direction: Gaussian entries in layout order, then each filter scaled to ‖c_f‖. */
function direction(centre: readonly number[], filters: readonly number[][], rng: Rng): Float64Array {
  const raw = Float64Array.from(centre, () => rng.normal());
  const d = new Float64Array(centre.length);
  for (const f of filters) {
    let cn = 0;
    let dn = 0;
    for (const i of f) {
      cn += (centre[i] as number) ** 2;
      dn += (raw[i] as number) ** 2;
    }
    const scale = dn > 0 ? Math.sqrt(cn / dn) : 0;
    for (const i of f) d[i] = (raw[i] as number) * scale;
  }
  return d;
}

/**
 * Two filter-normalized random directions at `centre`, drawn from
 * makeRng(subSeed(seed, 'landscape')) (d1 first, then d2), as a slice through the centre.
 */
export function filterNormalizedDirections(
  centre: readonly number[],
  layers: readonly DenseLayer[] | null,
  seed: number,
  options: { bias?: BiasMode } = {},
): Slice {
  const filters = filterIndices(centre.length, layers, options.bias ?? 'filter');
  if (!filters.some((f) => f.some((i) => centre[i] !== 0)))
    throw new Error('filter-normalized directions vanish: the centre is zero in every filter');
  const rng = makeRng(subSeed(seed, 'landscape'));
  const d1 = direction(centre, filters, rng);
  const d2 = direction(centre, filters, rng);
  return {
    kind: 'random',
    label: 'random filter-normalized directions',
    centre: Float64Array.from(centre),
    d1,
    d2,
  };
}
