/**
 * Measures the suggested hyper-parameters of every problem × optimizer (problems/suggested.ts):
 * each problem's default setup (identity map, default parameters) run for STEPS (200) steps
 * at every η of GRID (a log grid), for SEEDS, undamped and with the damping variants of the
 * curvature methods. Prints, per problem and optimizer, the worst final/initial loss at each
 * η (D: diverged) and the largest η that descends (ratio < 0.9) at every seed with the next
 * grid η also descending (a 3× margin to the edge that was measured).
 *   npx tsx bench/suggest.ts [problem…]
 *   env: STEPS, SEEDS=0,1,2, GRID=1e-4,…,3, OPT=id,… (only these optimizers),
 *        DAMPING=0 (undamped only) or DAMPING=lm:1,lmfixed:1,tr:0.1 (these variants),
 *        SKIP_NONE=1 (no undamped pass), VERBOSE=1 (time of each session).
 */
import { setupNode } from '../src/engine/setup-node';
import { createSession } from '../src/engine/experiment';
import { parseExperiment, type Damping, type OptimizerEntry } from '../src/engine/schema';
import { optimizerIds, type OptimizerId } from '../src/engine/optimizers/ids';
import { problemIds } from '../src/engine/problems/catalog';

await setupNode('cpu');

const STEPS = Number(process.env.STEPS ?? 200);
const seeds = (process.env.SEEDS ?? '0,1,2').split(',').map(Number);
const grid = (process.env.GRID ?? '1e-4,3e-4,1e-3,3e-3,0.01,0.03,0.1,0.3,1,3').split(',').map(Number);
const curvature: OptimizerId[] = [
  'newton',
  'ngd',
  'ggn',
  'empirical-fisher',
  'diag-fisher',
  'hessian-free',
  'kfac',
];
const variants: { name: string; damping: Damping; ids: readonly OptimizerId[] }[] = [
  ...(process.env.SKIP_NONE
    ? []
    : [{ name: 'none', damping: { type: 'none', value: 0 } as Damping, ids: optimizerIds }]),
  // DAMPING=0: undamped only; DAMPING=lm:1,lmfixed:1,tr:0.01 (adaptive λ, fixed λ, trust region): these variants.
  ...(process.env.DAMPING && process.env.DAMPING !== '0'
    ? process.env.DAMPING.split(',').map((v) => {
        const [type, value] = v.split(':');
        const damping = (
          type === 'lm'
            ? { type: 'lm', value: Number(value), adaptive: true }
            : type === 'lmfixed'
              ? { type: 'lm', value: Number(value) }
              : { type: 'trust-region', value: Number(value) }
        ) as Damping;
        return { name: v, damping, ids: curvature };
      })
    : []),
  ...(process.env.DAMPING
    ? []
    : [
        { name: 'tr 0.1', damping: { type: 'trust-region', value: 0.1 } as Damping, ids: curvature },
        {
          name: 'lm 1e-2 adaptive',
          damping: { type: 'lm', value: 1e-2, adaptive: true } as Damping,
          ids: curvature,
        },
      ]),
];
const only = (process.env.OPT ?? '').split(',').filter(Boolean);

/** final/initial loss per optimizer id (NaN: diverged) of one session. */
async function measure(problem: string, entries: OptimizerEntry[], seed: number) {
  const parsed = parseExperiment({
    version: 1,
    problem: { id: problem },
    optimizers: entries,
    steps: STEPS,
    seed,
  });
  if (!parsed.ok) throw new Error(parsed.error);
  const session = createSession(parsed.experiment);
  try {
    await session.advance(STEPS);
    return session.runs.map((r) => {
      const l0 = r.loss[0] as number;
      const l1 = r.loss[r.loss.length - 1] as number;
      return r.status === 'diverged' || !Number.isFinite(l1) ? NaN : l1 / l0;
    });
  } finally {
    session.dispose();
  }
}

const problemsToRun = process.argv.slice(2).length ? process.argv.slice(2) : problemIds;
for (const problem of problemsToRun) {
  for (const v of variants) {
    const ids = v.ids.filter((id) => !only.length || only.includes(id));
    if (!ids.length) continue;
    const t0 = performance.now();
    const ratios: Record<string, number[][]> = {}; // id -> [lr][seed]
    for (const id of ids) ratios[id] = grid.map(() => []);
    for (const [li, lr] of grid.entries()) {
      for (const seed of seeds) {
        const entries = ids.map((id) => ({ id, lr, damping: v.damping }) as OptimizerEntry);
        let res: number[];
        try {
          const t = performance.now();
          res = await measure(problem, entries, seed);
          if (process.env.VERBOSE)
            console.error(problem, v.name, lr, seed, `${((performance.now() - t) / 1000).toFixed(1)} s`);
        } catch (err) {
          console.log(`${problem} ${v.name} lr ${lr} seed ${seed}: ${(err as Error).message}`);
          continue;
        }
        ids.forEach((id, i) => (ratios[id] as number[][])[li]!.push(res[i] as number));
      }
    }
    const ok = (xs: number[]) => xs.length === seeds.length && xs.every((x) => x < 0.9);
    console.log(`\n## ${problem} — damping ${v.name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const id of ids) {
      const rows = ratios[id] as number[][];
      let pick: number | null = null;
      for (let i = grid.length - 1; i >= 0; i--) {
        // The top of the grid has no measured margin above it: never picked.
        if (i < grid.length - 1 && ok(rows[i]!) && ok(rows[i + 1]!)) {
          pick = grid[i] as number;
          break;
        }
      }
      const cells = rows.map((xs) =>
        xs.length === 0
          ? '  ?  '
          : xs.some(Number.isNaN)
            ? '  D  '
            : Math.max(...xs)
                .toPrecision(Number(process.env.DIGITS ?? 2))
                .padStart(5),
      );
      console.log(`${id.padEnd(17)} ${cells.join(' ')}  pick ${pick ?? '-'}`);
    }
  }
}
