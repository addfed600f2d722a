import { describe, expect, it } from 'vitest';
import { parseExperiment } from './schema';

describe('experiment schema', () => {
  const base = { version: 1, problem: { id: 'tiny-net' }, optimizers: [{ id: 'gd' }] };

  it('fills defaults', () => {
    const r = parseExperiment(base);
    expect(r.ok && r.experiment).toMatchObject({ reparam: { id: 'identity' }, steps: 200, seed: 0 });
  });

  it("checks a map's parameters when the experiment is parsed, naming the field", () => {
    const r = parseExperiment({ ...base, reparam: { id: 'cubic', a: 'big' } });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/reparam\.a/);
    const unknown = parseExperiment({ ...base, reparam: { id: 'rotation', angel: 1 } });
    expect(!unknown.ok && unknown.error).toMatch(/reparam/);
    expect(parseExperiment({ ...base, reparam: { id: 'cubic', a: 0.3 } }).ok).toBe(true);
  });

  it('names the field of a bad optimizer entry', () => {
    const r = parseExperiment({ ...base, optimizers: [{ id: 'gd', lr: -1 }] });
    expect(!r.ok && r.error).toMatch(/optimizers\.0\.lr/);
  });
});
