/**
 * Bad input to the Fisher approximations (docs/theory.md §9) is refused with a message
 * naming the field: k or m ≤ 0 (the schema), k > P, a block structure the problem does
 * not declare (the session, which knows P and the layers).
 */
import { describe, expect, it } from 'vitest';
import { parseExperiment } from './schema';
import { createSession, ExperimentError } from './experiment';

const base = (problem: Record<string, unknown>, optimizer: Record<string, unknown>, reparam?: unknown) => ({
  version: 1,
  problem,
  optimizers: [optimizer],
  ...(reparam ? { reparam } : {}),
  steps: 2,
});

function sessionError(input: unknown): string {
  const parsed = parseExperiment(input);
  if (!parsed.ok) return parsed.error;
  try {
    createSession(parsed.experiment).dispose();
  } catch (err) {
    expect(err).toBeInstanceOf(ExperimentError);
    return (err as Error).message;
  }
  return '';
}

describe('bad input to the Fisher approximations', () => {
  it('k ≤ 0, m ≤ 0, a non-integer k or an unknown solver: the schema names the field', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ id: 'lowrank-fisher', rank: 0 }, /optimizers\.0\.rank/],
      [{ id: 'lowrank-fisher', rank: -3 }, /optimizers\.0\.rank/],
      [{ id: 'lowrank-fisher', rank: 1.5 }, /optimizers\.0\.rank/],
      [{ id: 'ngd', solver: 'cg', cgIters: 0 }, /optimizers\.0\.cgIters/],
      [{ id: 'ngd', solver: 'lanczos' }, /optimizers\.0\.solver/],
      [{ id: 'block-fisher', blocks: 'rows' }, /optimizers\.0\.blocks/],
    ];
    for (const [entry, field] of cases) {
      const parsed = parseExperiment(base({ id: 'quadratic' }, entry));
      expect(parsed.ok, JSON.stringify(entry)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(field);
    }
  });

  it('k > P is refused naming rank and P', () => {
    const msg = sessionError(base({ id: 'quadratic' }, { id: 'lowrank-fisher', rank: 3 }));
    expect(msg).toMatch(/optimizers\.0\.rank: k = 3 exceeds the number of parameters P = 2/);
    expect(sessionError(base({ id: 'quadratic' }, { id: 'lowrank-fisher', rank: 2 }))).toBe('');
  });

  it('blocks "layers" on a problem without layers is refused naming blocks; "auto" runs with one block', () => {
    const msg = sessionError(base({ id: 'quadratic' }, { id: 'block-fisher', blocks: 'layers' }));
    expect(msg).toMatch(/optimizers\.0\.blocks: "layers" needs a network problem/);
    expect(sessionError(base({ id: 'quadratic' }, { id: 'block-fisher' }))).toBe('');
  });

  it('block-fisher in a φ with more coordinates than θ (weight-norm) is refused naming blocks', () => {
    const msg = sessionError(
      base({ id: 'mlp', dataset: 'xor', hidden: [2], n: 16 }, { id: 'block-fisher' }, { id: 'weight-norm' }),
    );
    expect(msg).toMatch(/optimizers\.0\.blocks: block-fisher cannot run in φ under weight-norm/);
  });
});
