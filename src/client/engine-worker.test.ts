import { describe, expect, it } from 'vitest';
import { loadFault } from './engine-worker';

describe('loadFault', () => {
  it('a worker that could not be fetched offline: an offline fault that says there is no saved copy', () => {
    const f = loadFault('', false);
    expect(f.kind).toBe('offline');
    expect(f.message).toContain('offline and has no saved copy');
  });
  it('otherwise a crash with the worker’s own message', () => {
    expect(loadFault('boom', false)).toEqual({ kind: 'crashed', message: 'the engine worker failed (boom)' });
    expect(loadFault('', true)).toEqual({
      kind: 'crashed',
      message: 'the engine worker failed (unknown error)',
    });
  });
});
