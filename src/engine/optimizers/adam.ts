/**
 * `adam` (Kingma & Ba 2015, Algorithm 1), elementwise on each row:
 *   m ← β₁ m + (1 − β₁) g,   v ← β₂ v + (1 − β₂) g²,
 *   m̂ = m / (1 − β₁ᵗ),   v̂ = v / (1 − β₂ᵗ),   p ← p − η m̂ / (√v̂ + ε),
 * t = 1, 2, … counting this instance's steps (all rows start together). The two bias
 * corrections keep their own counts t₁ (for m) and t₂ (for v), equal unless an imported
 * state restarted one (a coordinate change may reset v, transport.ts). ε is added after
 * the square root and after bias correction. The first step is sign descent,
 * −η g/(|g| + ε). Elementwise scaling commutes with coordinate permutations and sign
 * flips only, so Adam is natural exactly for signed permutations (docs/theory.md §3).
 *
 * Defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8 (the paper's), η = 0.01: each coordinate moves
 * about η per step, so 200 steps cross a couple of units of a 2-D plot window.
 */
import { tf, type Tensor2D } from '../tf';
import { gradient } from '../objective';
import type { OptimizerDef } from './optimizer';
import { checkState, counterOf, entryOf, keepTensorRows, rowsTensor, tensorRows } from './state';
import { optimizerCatalog } from './catalog';

export const adam: OptimizerDef = {
  ...optimizerCatalog.adam,
  gradientAtParams: true,
  create: (objective, hyper, rows) => {
    const { lr, beta1, beta2, eps } = hyper;
    let m: Tensor2D = tf.zeros([rows, objective.P]);
    let v: Tensor2D = tf.zeros([rows, objective.P]);
    let t1 = 0;
    let t2 = 0;
    return {
      step: (params) =>
        tf.tidy(() => {
          t1 += 1;
          t2 += 1;
          const g = gradient(objective, params);
          const m1 = tf.keep(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)) as Tensor2D);
          const v1 = tf.keep(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)) as Tensor2D);
          m.dispose();
          v.dispose();
          m = m1;
          v = v1;
          // Bias corrections are scalars computed in float64 on the CPU.
          const mHat = tf.div(m1, 1 - beta1 ** t1);
          const vHat = tf.div(v1, 1 - beta2 ** t2);
          return tf.sub(params, tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), eps)), lr)) as Tensor2D;
        }),
      // t is shared: every row started at the same step, so it stays right for the survivors.
      keepRows: (rows) => {
        m = keepTensorRows(m, rows);
        v = keepTensorRows(v, rows);
      },
      // m averages gradients (a covector); v averages g² elementwise (no transformation law).
      exportState: async () => {
        // Everything is taken before the first await, so the state is of one step.
        const counters = { t1, t2 };
        const rows = m.shape[0];
        const [mRows, vRows] = await Promise.all([tensorRows(m), tensorRows(v)]);
        return {
          optimizer: 'adam' as const,
          rows,
          P: objective.P,
          counters,
          entries: {
            m: { kind: 'covector' as const, rows: mRows, counter: 't1' },
            v: { kind: 'second-moment' as const, rows: vRows, counter: 't2' },
          },
        };
      },
      importState: (state) => {
        checkState(state, 'adam', m.shape[0], objective.P);
        const m1 = rowsTensor(entryOf(state, 'm').rows, objective.P);
        const v1 = rowsTensor(entryOf(state, 'v').rows, objective.P);
        m.dispose();
        v.dispose();
        m = m1;
        v = v1;
        t1 = counterOf(state, 't1');
        t2 = counterOf(state, 't2');
      },
      dispose: () => {
        m.dispose();
        v.dispose();
      },
    };
  },
};
