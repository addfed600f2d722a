/**
 * The soak's numbers: one sample every interval, a fixed-width table, and the verdict on
 * growth. Trajectories are stored as they grow (that is the figure), so the heap is judged
 * where the stored data is the same: right after each reset, after a forced GC.
 */

export interface Sample {
  /** Seconds since training started. */
  t: number;
  /** Reset cycles completed so far. */
  cycle: number;
  step: number;
  /** Worker: live tensors and their bytes (tf.memory()). */
  numTensors: number;
  tensorBytes: number;
  /** Page: performance.memory.usedJSHeapSize (Chromium), before GC. */
  jsHeap: number;
  /** Page: used heap right after a forced GC (CDP Runtime.getHeapUsage). */
  heapAfterGc: number;
  domNodes: number;
}

/** The page's heap right after a reset (and a GC): the same stored data each time. */
export interface Baseline {
  cycle: number;
  heapAfterGc: number;
  numTensors: number;
  domNodes: number;
}

const mb = (b: number): string => (b / 2 ** 20).toFixed(2);

export function table(samples: readonly Sample[]): string {
  const header = [
    't (s)',
    'cycle',
    'step',
    'tensors',
    'tensor MB',
    'JS heap MB',
    'heap after GC MB',
    'DOM nodes',
  ];
  const rows = samples.map((s) => [
    String(Math.round(s.t)),
    String(s.cycle),
    String(s.step),
    String(s.numTensors),
    mb(s.tensorBytes),
    mb(s.jsHeap),
    mb(s.heapAfterGc),
    String(s.domNodes),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => cell.padStart(widths[c] ?? 0)).join('  ')).join('\n');
}

export interface Verdict {
  grew: boolean;
  lines: string[];
}

/** Growth of `values` from the first half of the soak to the second, beyond `noise`. */
function trend(name: string, first: number[], second: number[], noise: number, unit = ''): [boolean, string] {
  if (first.length === 0 || second.length === 0) return [false, `${name}: too few samples to judge`];
  const a = Math.max(...first);
  const b = Math.max(...second);
  const grew = b > a + noise;
  return [
    grew,
    `${name}: max ${a}${unit} in the first half, ${b}${unit} in the second (noise ${noise}${unit}): ${grew ? 'GREW' : 'flat'}`,
  ];
}

/** Least-squares slope of y on x (0 with fewer than two distinct x). */
function slope(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  x.forEach((xi, i) => {
    sxx += (xi - mx) ** 2;
    sxy += (xi - mx) * ((y[i] ?? 0) - my);
  });
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Tensors are compared over all samples (their count must not depend on anything). The DOM
 * must not grow with the number of steps (paths get longer, nodes do not multiply): its
 * slope against the step within a cycle is judged, and its count after each reset. The heap
 * holds the trajectories, so it is judged after each reset, from the first reset on (the
 * first cycle also warms up code and caches); within a cycle its growth per step is shown.
 */
export function verdict(samples: readonly Sample[], baselines: readonly Baseline[]): Verdict {
  const half = Math.ceil(samples.length / 2);
  const lines: string[] = [];
  let grew = false;
  const check = ([g, line]: [boolean, string]): void => {
    grew ||= g;
    lines.push(line);
  };
  check(
    trend(
      'worker tensors',
      samples.slice(0, half).map((s) => s.numTensors),
      samples.slice(half).map((s) => s.numTensors),
      0,
    ),
  );
  const domAt = (c: number): number => baselines.find((b) => b.cycle === c)?.domNodes ?? NaN;
  const within = samples.filter((s) => Number.isFinite(domAt(s.cycle)));
  const domSlope = slope(
    within.map((s) => s.step),
    within.map((s) => s.domNodes - domAt(s.cycle)),
  );
  const domGrows = domSlope > 0.01;
  grew ||= domGrows;
  lines.push(
    `DOM nodes per training step: ${domSlope.toFixed(3)} (0 expected; noise 0.01): ${domGrows ? 'GREW' : 'flat'}`,
  );
  const heapSlope = slope(
    samples.map((s) => s.step),
    samples.map((s) => s.heapAfterGc),
  );
  lines.push(
    `page heap per training step within a cycle (the stored trajectories): ${(heapSlope / 1024).toFixed(2)} KB`,
  );
  const judged = baselines.length >= 3 ? baselines.slice(1) : baselines;
  if (judged.length >= 2) {
    const first = judged[0] as Baseline;
    const last = judged[judged.length - 1] as Baseline;
    const noise = Math.max(0.1 * first.heapAfterGc, 2 * 2 ** 20);
    const g = last.heapAfterGc > first.heapAfterGc + noise;
    grew ||= g;
    lines.push(
      `page heap after reset + GC: ${mb(first.heapAfterGc)} MB after reset ${first.cycle}, ` +
        `${mb(last.heapAfterGc)} MB after reset ${last.cycle} (noise ${mb(noise)} MB): ${g ? 'GREW' : 'flat'}`,
    );
    check(trend('DOM nodes after reset', [first.domNodes], [last.domNodes], 5));
    check(trend('worker tensors after reset', [first.numTensors], [last.numTensors], 0));
  } else {
    lines.push('page heap after reset: too few resets to judge (use a smaller --steps)');
  }
  return { grew, lines };
}
