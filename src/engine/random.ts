/**
 * Seeded randomness. Every random draw in the engine comes from a generator made here
 * from the Experiment's seed; there is no global random state.
 */
import { randomLcg, randomNormal, randomUniform } from 'd3-random';

/** A seeded source of uniform [0, 1) numbers with normal and uniform helpers. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1) unless mean/std are given. */
  normal(mean?: number, std?: number): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
}

/** Make a generator from a seed (any finite number; the same seed gives the same stream). */
export function makeRng(seed: number): Rng {
  // d3's LCG takes a seed in [0, 1); map integers onto it deterministically.
  const frac = (((seed * 0.6180339887498949) % 1) + 1) % 1;
  const source = randomLcg(frac);
  const std = randomNormal.source(source)(0, 1);
  return {
    next: source,
    normal: (mean = 0, s = 1) => mean + s * std(),
    uniform: (lo, hi) => randomUniform.source(source)(lo, hi)(),
  };
}

/** A derived seed, so that sub-streams (data, init, maps) do not share draws. */
export function subSeed(seed: number, salt: string): number {
  let h = Math.floor(seed) >>> 0;
  for (let i = 0; i < salt.length; i++) h = Math.imul(h ^ salt.charCodeAt(i), 0x9e3779b1) >>> 0;
  return h / 2 ** 32 + (seed % 1);
}
