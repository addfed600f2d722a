import { describe, expect, it } from 'vitest';
import { crashMessage } from './engine-worker';

describe('crashMessage', () => {
  it('says plainly that an engine that could not be fetched offline has no saved copy', () => {
    const m = crashMessage('', false);
    expect(m).toContain('offline');
    expect(m).toContain('no saved copy');
  });
  it('keeps the worker’s own message, online or not', () => {
    expect(crashMessage('boom', false)).toBe('the engine worker failed (boom)');
    expect(crashMessage('', true)).toBe('the engine worker failed (unknown error)');
  });
});
