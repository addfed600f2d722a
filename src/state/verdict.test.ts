import { describe, expect, it } from 'vitest';
import { COINCIDE, NEARLY, functionNote, naturalityVerdict } from './verdict';

describe('defect verdicts', () => {
  it('words D_K by the two thresholds; NaN (a diverged pair) drifts apart', () => {
    expect(naturalityVerdict(COINCIDE / 2)).toBe('coincide');
    expect(naturalityVerdict(NEARLY / 2)).toBe('nearly coincide');
    expect(naturalityVerdict(NEARLY * 2)).toBe('drift apart');
    expect(naturalityVerdict(NaN)).toBe('drift apart');
  });

  it('notes runs that part in parameters but predict the same on the data', () => {
    // K-FAC on digits under layer-scale: D_K 32.8, D^fn 2.2e-3 (logits up to a shift).
    expect(functionNote(32.8, 2.2e-3)).toBe('same predictions on the data');
    // Adam there: D^fn 8.7 — no note; nor for runs that coincide, nor for a NaN defect.
    expect(functionNote(3.3, 8.7)).toBeNull();
    expect(functionNote(COINCIDE / 2, 0)).toBeNull();
    expect(functionNote(NEARLY * 2, NaN)).toBeNull();
  });
});
