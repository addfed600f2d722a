/**
 * Which stored step each frame of a recording shows. A recording has a fixed length in
 * frames (seconds × 30 fps); the chosen step range [from, to] is spread evenly over it:
 * frame i shows step from + round(i · (to − from) / (frames − 1)). Longer ranges are
 * subsampled (steps are skipped, the first and last are always shown); shorter ones hold
 * each step for several frames. Pure functions: the same input gives the same frames.
 */

export const FPS = 30;
/** Longest recording offered: 2 minutes. */
export const MAX_SECONDS = 120;
/** Default length: one frame per step, between 2 and 10 seconds. */
export const DEFAULT_MIN_FRAMES = 2 * FPS;
export const DEFAULT_MAX_FRAMES = 10 * FPS;

export interface FramePlan {
  from: number;
  to: number;
  /** The step shown by each frame, non-decreasing, first = from, last = to. */
  steps: number[];
  /** More steps than frames: some steps are not shown. */
  subsampled: boolean;
  /** Steps per frame on average (> 1 when subsampled, < 1 when steps are held). */
  stepsPerFrame: number;
}

/** The default number of frames for a range of `span + 1` steps: one per step, 2–10 s. */
export function defaultFrames(span: number): number {
  return Math.min(DEFAULT_MAX_FRAMES, Math.max(DEFAULT_MIN_FRAMES, span + 1));
}

/** Frames of a recording `seconds` long (at least 2, so that first and last differ in time). */
export function framesFor(seconds: number): number {
  return Math.max(2, Math.round(seconds * FPS));
}

/**
 * Plan `frames` frames over steps `from`…`to` of a run with `stored` steps after step 0
 * (steps 0…stored exist). Returns a message instead when the range or length is not usable.
 */
export function planFrames(stored: number, from: number, to: number, frames: number): FramePlan | string {
  if (!Number.isInteger(stored) || stored < 1)
    return 'Nothing to record yet: the run has no step after step 0.';
  if (!Number.isInteger(from) || !Number.isInteger(to)) return 'The steps must be whole numbers.';
  if (from < 0 || to > stored) return `The steps must lie between 0 and ${stored} (the last step stored).`;
  if (from >= to) return 'The first step must come before the last.';
  if (!Number.isInteger(frames) || frames < 2) return 'A recording needs at least 2 frames.';
  if (frames > MAX_SECONDS * FPS) return `A recording can be at most ${MAX_SECONDS} s long.`;
  const span = to - from;
  const steps = Array.from({ length: frames }, (_, i) => from + Math.round((i * span) / (frames - 1)));
  return { from, to, steps, subsampled: span + 1 > frames, stepsPerFrame: (span + 1) / frames };
}

/**
 * GIF frame delays in hundredths of a second (GIF's unit) for `frames` frames at `fps`:
 * 30 fps is 3⅓ cs a frame, so the delays go 3, 4, 3, 3, 4, 3, … and every frame starts
 * at round(i · 100 / fps) cs — the total is exact.
 */
export function gifDelays(frames: number, fps = FPS): number[] {
  const at = (i: number): number => Math.round((i * 100) / fps);
  return Array.from({ length: frames }, (_, i) => at(i + 1) - at(i));
}

/** What the page says about a plan: how the steps map onto the frames. */
export function describePlan(plan: FramePlan): string {
  const n = plan.steps.length;
  const seconds = (n / FPS).toFixed(1);
  const range = `steps ${plan.from.toLocaleString('en')}–${plan.to.toLocaleString('en')}`;
  if (plan.subsampled)
    return `${range} (${(plan.to - plan.from + 1).toLocaleString('en')} steps) are subsampled to ${n} frames (${seconds} s at ${FPS} fps): one frame every ~${Math.round((plan.to - plan.from) / (n - 1)).toLocaleString('en')} steps.`;
  if (plan.stepsPerFrame < 1)
    return `${range} over ${n} frames (${seconds} s at ${FPS} fps): each step is held for about ${(1 / plan.stepsPerFrame).toFixed(1)} frames.`;
  return `${range}, one frame per step: ${n} frames (${seconds} s at ${FPS} fps).`;
}
