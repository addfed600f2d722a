/**
 * Constants of the lab's analyses, in a module with no imports so the page can read them
 * without pulling the tensor engine into the main thread's bundle.
 */

/** The learning-rate sweep's defaults (docs/theory.md §4): T = 0.5, K = 10, 20, 40, 80, η = T/K (as in optimizers/order.test.ts). */
export const defaultSweep = { horizon: 0.5, divisors: [10, 20, 40, 80] } as const;

/** Steps per cell of the naturality table (the engine's naturalizer tests use 50 too). */
export const defaultTableSteps = 50;

/** D_K below this counts as equivariant: float32 round-off after ≲ 100 steps (docs/theory.md §3). */
export const EQUIVARIANT_BELOW = 1e-4;

/**
 * Above this many parameters the live per-step metrics (κ*, κ(F)) are not computed: a
 * dense Fisher and its eigenvalues per point and per run (O(N·C·P² + P³) in plain JS)
 * would slow the run loop.
 */
export const STEP_METRICS_MAX_P = 50;

/**
 * The linear map classes of the naturalizer table's columns (docs/theory.md §3, §9): 'block'
 * mixes coordinates within the problem's parameter blocks only (`block-mixing`; for a
 * problem with one block it is a general linear map).
 */
export type MapClass = 'rotation' | 'signed-permutation' | 'diagonal' | 'general' | 'block';
export const mapClasses: readonly MapClass[] = [
  'rotation',
  'signed-permutation',
  'diagonal',
  'block',
  'general',
];

/** Short column labels for pages and reports. */
export const mapClassLabels: Record<MapClass, string> = {
  rotation: 'rotation',
  'signed-permutation': 'signed permutation',
  diagonal: 'diagonal',
  block: 'block-diagonal',
  general: 'general',
};

/** The curves beside the table (docs/theory.md §9.2, §9.3): the ranks k and CG iterations m measured. */
export const defectCurveSteps = 30;
