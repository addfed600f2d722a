/**
 * K-FAC's per-row state as flat arrays (state.ts): the running factors A, G of every
 * layer block, their last decompositions (stale between `inversePeriod` steps, so they are
 * state too) and the step count. Layout, block by block in `layerBlocks` order:
 *   factors:  A (rows², row-major), G (cols²)
 *   inverses: A's eigenvalues (rows), eigenvectors (rows², vector by vector), G's likewise
 *             (cols, cols²), π — absent (null) with inversePeriod 1, where every step
 *             solves with its fresh factors and nothing decomposed is carried over
 * The factors are curvature averages in the run's own coordinates: they have no general
 * transformation law, and a coordinate change rebuilds them (transport.ts drops them).
 */
import type { Mat } from '../linalg/dense';
import type { SymmetricEigen } from '../linalg/eigen';
import { blocksOf, type KroneckerFactors } from './curvature/kfac';
import type { KroneckerInverse } from './curvature/kronecker';
import type { StateCodec } from './second-order';

export interface KfacState {
  steps: number;
  factors: KroneckerFactors[] | null;
  inverses: KroneckerInverse[] | null;
}

/** Reads consecutive numbers from a flat array. */
function reader(values: readonly number[]): (n: number) => number[] {
  let o = 0;
  return (n) => {
    if (o + n > values.length) throw new Error('K-FAC state: too few numbers for the layer layout');
    const out = values.slice(o, o + n);
    o += n;
    return out;
  };
}

const square = (flat: number[], n: number): Mat =>
  Array.from({ length: n }, (_, i) => flat.slice(i * n, (i + 1) * n));

function readEigen(take: (n: number) => number[], n: number): SymmetricEigen {
  const values = take(n);
  return { values, vectors: square(take(n * n), n) };
}

export const kfacCodec: StateCodec<KfacState> = {
  kinds: { 'kfac-factors': 'curvature', 'kfac-inverses': 'curvature', 'kfac-steps': 'scalar' },
  encode: (s) => ({
    'kfac-factors': s.factors ? s.factors.flatMap((f) => [...f.A.flat(), ...f.G.flat()]) : null,
    'kfac-inverses': s.inverses
      ? s.inverses.flatMap((e) => [
          ...e.A.values,
          ...e.A.vectors.flat(),
          ...e.G.values,
          ...e.G.vectors.flat(),
          e.pi,
        ])
      : null,
    'kfac-steps': [s.steps],
  }),
  decode: (values, obj) => {
    const blocks = blocksOf(obj);
    const f = values['kfac-factors'];
    const inv = values['kfac-inverses'];
    let factors: KroneckerFactors[] | null = null;
    if (f) {
      const take = reader(f);
      factors = blocks.map((b) => ({
        A: square(take(b.rows * b.rows), b.rows),
        G: square(take(b.cols * b.cols), b.cols),
      }));
    }
    let inverses: KroneckerInverse[] | null = null;
    if (inv) {
      const take = reader(inv);
      inverses = blocks.map((b) => {
        const A = readEigen(take, b.rows);
        const G = readEigen(take, b.cols);
        return { A, G, pi: take(1)[0] as number };
      });
    }
    return { steps: values['kfac-steps']?.[0] ?? 0, factors, inverses };
  },
};
