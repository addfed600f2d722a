/**
 * The page learns what loaded from the `loaded` event, which travels on the listener's own
 * channel, and its `reparamLab.ready` follows the load's reply: so the reply must not leave
 * before the event has been delivered (in Firefox 140 it could overtake it, and `ready`
 * resolved with no experiment in the page).
 */
import { describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';

describe('the load reply and the loaded event', () => {
  it('the reply waits until the loaded event is delivered', async () => {
    const delivered: string[] = [];
    let deliver = (): void => undefined;
    const loop = createRunLoop((e: WorkerEvent) => {
      if (e.type !== 'loaded') return undefined;
      // The page takes this event only when `deliver` runs.
      return new Promise<void>((resolve) => {
        deliver = () => {
          delivered.push('loaded');
          resolve();
        };
      });
    });
    let replied = false;
    const loading = loop
      .load({ version: 1, problem: { id: 'quadratic' }, optimizers: [{ id: 'gd' }], steps: 5 })
      .then((r) => {
        replied = true;
        return r;
      });
    await new Promise((r) => setTimeout(r, 50));
    expect(replied).toBe(false);
    deliver();
    expect((await loading).ok).toBe(true);
    expect(delivered).toEqual(['loaded']);
    loop.dispose();
  });
});
