/**
 * A cheap change detector for the charts that the store's `runsVersion` wakes up: series
 * are appended in place, so an array's identity and length say whether it changed.
 */

/** Returns a function that is true when `parts` differ (by identity, element-wise) from its last call's. */
export function changeDetector(): (parts: readonly unknown[]) => boolean {
  let last: readonly unknown[] | null = null;
  return (parts) => {
    const same = last !== null && last.length === parts.length && parts.every((p, i) => p === last?.[i]);
    last = parts;
    return !same;
  };
}

/** The parts of a series for `changeDetector`: the array and its length. */
export const seriesParts = (values: readonly unknown[]): unknown[] => [values, values.length];
