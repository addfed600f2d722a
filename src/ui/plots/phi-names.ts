import type { Experiment } from '../../engine/page';

/**
 * The φ plot's axis names: under θᵢ = exp(φᵢ) the mapped coordinates are log θᵢ and the
 * others equal θ's (the names the scene captions use); under any other map φ(θᵢ).
 */
export function phiAxisNames(experiment: Experiment | null | undefined, names: readonly string[]): string[] {
  const reparam = experiment?.reparam as { id: string; coords?: number[] } | undefined;
  if (reparam?.id === 'exp') {
    const on = new Set(reparam.coords ?? names.map((_, i) => i));
    return names.map((n, i) => (on.has(i) ? `log ${n}` : n));
  }
  return names.map((n) => `φ(${n})`);
}
