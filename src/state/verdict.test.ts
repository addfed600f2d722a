import { describe, expect, it } from 'vitest';
import { COINCIDE, NEARLY, naturalityVerdict } from './verdict';

describe('defect verdicts', () => {
  it('words D_K by the two thresholds; NaN (a diverged pair) drifts apart', () => {
    expect(naturalityVerdict(COINCIDE / 2)).toBe('coincide');
    expect(naturalityVerdict(NEARLY / 2)).toBe('nearly coincide');
    expect(naturalityVerdict(NEARLY * 2)).toBe('drift apart');
    expect(naturalityVerdict(NaN)).toBe('drift apart');
  });
});
