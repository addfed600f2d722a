/**
 * Why a switch run's change of coordinates failed, in plain words (switch.ts): the page's
 * run status and the command line show this instead of a bare "diverged". Pure strings.
 */
import type { OptimizerState } from '../optimizers/state';

/** 4 significant digits, as a plain number. */
const short = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v));

const point = (p: readonly number[]): string => `(${p.map(short).join(', ')})`;

/** Readable names of state entries (transport.ts's words); others show as named. */
const entryWords: Record<string, string> = {
  velocity: 'velocity',
  previous: 'last direction δ',
  m: 'first moment m',
  v: 'second moment v',
};

/**
 * θ_k is outside the image of f (no φ has f(φ) = θ_k). `why` is the map's own reason
 * (`domainError` or the inverse's error, e.g. "exp: θ[0] = -0.8684353 must be > 0");
 * its "θ[i] = v" becomes the parameter's name with a short number: "a = -0.8684 must be > 0".
 */
export function outsideMessage(
  at: number,
  mapId: string,
  why: string,
  paramNames: readonly string[],
): string {
  const prefix = `${mapId}: `;
  const detail = (why.startsWith(prefix) ? why.slice(prefix.length) : why).replace(
    /θ\[(\d+)\] = (-?[\d.]+(?:e[-+]?\d+)?|NaN|-?Infinity)/g,
    (_, i: string, v: string) => `${paramNames[Number(i)] ?? `θ${Number(i) + 1}`} = ${short(Number(v))}`,
  );
  return `switch at step ${at} failed: θ is outside the domain of ${mapId} (${detail}): no φ has f(φ) = θ`;
}

/** f⁻¹(θ_k) gave no error but a non-finite φ_k. */
export function phiNotFiniteMessage(at: number, mapId: string, thetaK: readonly number[]): string {
  return `switch at step ${at} failed: φ = f⁻¹(θ) under ${mapId} is not finite at θ = ${point(thetaK)}`;
}

/** The transported state's entries holding a non-finite number (in entry order). */
export function nonFiniteEntries(state: OptimizerState): string[] {
  return Object.entries(state.entries).flatMap(([name, e]) =>
    e.rows.some((row) => row?.some((v) => !Number.isFinite(v))) ? [name] : [],
  );
}

/**
 * φ_k exists but moving the optimizer state there gave non-finite numbers: J(φ_k) is not
 * finite, or (with vectors moved by J⁻¹) singular. `entries` names what broke.
 */
export function transportMessage(
  at: number,
  mapId: string,
  phiK: readonly number[],
  J: readonly (readonly number[])[],
  state: OptimizerState,
  entries: readonly string[],
): string {
  const where = `at φ = ${point(phiK)}`;
  const head = `switch at step ${at} failed:`;
  if (!J.every((row) => row.every(Number.isFinite))) return `${head} J of ${mapId} is not finite ${where}`;
  const vectors = entries.filter((n) => state.entries[n]?.kind === 'vector');
  if (vectors.length) {
    const names = vectors.map((n) => entryWords[n] ?? n).join(', ');
    return `${head} J of ${mapId} is singular ${where}, so the ${names} (moved by J⁻¹) is not finite`;
  }
  const names = entries.map((n) => entryWords[n] ?? n).join(', ');
  return `${head} the transported ${names} is not finite ${where}`;
}
