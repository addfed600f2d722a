/**
 * The user's last experiment in localStorage. Storage may be full, disabled or hold
 * anything: every access is guarded, and a bad saved value is reported, never thrown.
 */
import { checkExperimentJson } from '../link/url';
import type { Experiment } from '../engine/page';

const KEY = 'reparam-lab:experiment:v1';

/** The saved experiment, or null with a reason when there is none or it is unusable. */
export function loadSaved(storage: Storage | null): {
  experiment: Experiment | null;
  problem: string | null;
} {
  let text: string | null;
  try {
    text = storage?.getItem(KEY) ?? null;
  } catch {
    return { experiment: null, problem: 'saved experiments are unavailable in this browser' };
  }
  if (text === null) return { experiment: null, problem: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { experiment: null, problem: 'the saved experiment was corrupted and has been ignored' };
  }
  const checked = checkExperimentJson(value);
  return checked.ok
    ? { experiment: checked.experiment, problem: null }
    : {
        experiment: null,
        problem: `the saved experiment is no longer valid (${checked.error}) and has been ignored`,
      };
}

/** Save; returns false (and keeps the page running) when storage refuses. */
export function save(storage: Storage | null, experiment: Experiment): boolean {
  try {
    storage?.setItem(KEY, JSON.stringify(experiment));
    return storage !== null;
  } catch {
    return false;
  }
}

/** `window.localStorage`, or null where touching it throws (sandboxed iframes, disabled cookies). */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
