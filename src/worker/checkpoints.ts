/**
 * The run loop's checkpoints (docs/reliability.md): when to take one for the page, and restoring a
 * new session from the page's resume data. While playing, a checkpoint goes out with a
 * frame's telemetry at most every CHECKPOINT_MS, and no more often than CHECKPOINT_COST
 * times what the last one cost to take (so taking them stays below ~2% of the time;
 * ~1–2 ms for a 337-parameter MLP with K-FAC + NGD on the cpu backend); always when the
 * runs stop. A restore then replays only the steps of the last ~0.2 s (a few frames).
 */
import type { Session } from '../engine';
import type { PackedCheckpoint, ResumeData, ResumeOutcome } from '../protocol/messages';
import { packCheckpoint, resumeTrajectories, unpackCheckpoint } from './checkpoint-codec';

const CHECKPOINT_MS = 200;
const CHECKPOINT_COST = 50;

export interface Checkpointer {
  /**
   * The session's checkpoint if one is due (or with `force`); null when not due or
   * unchanged since the last one. The state is read asynchronously (so on webgpu too);
   * the reads start when it is called, so it is of the session's current step. Rejects if
   * taking it fails.
   */
  take(session: Session, force: boolean): Promise<PackedCheckpoint | null>;
  /** A new session: forget the last one. */
  reset(): void;
}

export function createCheckpointer(): Checkpointer {
  let last = { ms: -Infinity, step: -1, cost: 0 };
  return {
    async take(s, force) {
      if (s.step === 0 || s.step === last.step) return null;
      const now = performance.now();
      if (!force && now - last.ms < Math.max(CHECKPOINT_MS, CHECKPOINT_COST * last.cost)) return null;
      const step = s.step;
      const before = last;
      // Marked taken before the reads, so an overlapping call does not take it again.
      last = { ms: now, step, cost: last.cost };
      try {
        const checkpoint = packCheckpoint(await s.checkpoint());
        last = { ms: now, step, cost: performance.now() - now };
        return checkpoint;
      } catch (err) {
        last = before;
        throw err;
      }
    },
    reset() {
      last = { ms: -Infinity, step: -1, cost: 0 };
    },
  };
}

/** Restore a fresh session from a page's resume data; what happened, for `LoadReply.resumed`. */
export async function resumeSession(s: Session, data: ResumeData): Promise<ResumeOutcome> {
  try {
    await s.restore(unpackCheckpoint(data.checkpoint), resumeTrajectories(data));
    return { at: s.step };
  } catch (err) {
    return { refused: err instanceof Error ? err.message : String(err) };
  }
}
