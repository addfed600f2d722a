import { setupNode } from '../src/engine/setup-node';
import { createSession } from '../src/engine/experiment';
import { parseExperiment } from '../src/engine/schema';
import { parameterDefect } from '../src/engine/measure/defect';
await setupNode((process.env.B ?? 'cpu') as 'cpu');
const h = Number(process.env.H ?? 6);
const steps = Number(process.env.STEPS ?? 20);
for (const o of (process.env.OPT ?? 'kfac:0.1:none,kfac:0.1:lm,gd:0.3,adam:0.01').split(',')) {
  const [id, lr, d] = o.split(':');
  const damping = d === 'none' ? { type: 'none', value: 0 } : d === 'tr' ? { type: 'trust-region', value: 0.1 } : undefined;
  const e = parseExperiment({ version: 1, seed: Number(process.env.SEED ?? 1), problem: { id: 'digits', hidden: [h], nTest: Number(process.env.NTEST ?? 297) }, reparam: { id: 'layer-scale', cond: 4 }, optimizers: [{ id, lr: Number(lr), ...(damping ? { damping } : {}) }], steps });
  if (!e.ok) throw new Error(e.error);
  const t0 = performance.now();
  const s = createSession(e.experiment);
  await s.ready;
  const t1 = performance.now();
  await s.advance(steps);
  const t2 = performance.now();
  const [a, b] = s.runs;
  const dk = parameterDefect(a!.theta, b!.theta);
  const gap = Math.max(...a!.loss.map((l, i) => Math.abs(l - (b!.loss[i] ?? NaN))));
  console.log(o, 'build', (t1 - t0).toFixed(0), 'ms; steps', (t2 - t1).toFixed(0), 'ms; D_K', dk.toExponential(2), 'loss gap', gap.toExponential(2), 'final', a!.loss.at(-1)?.toFixed(4), b!.loss.at(-1)?.toFixed(4));
  s.dispose();
}
