import { setupNode } from '/work/wt/digits/src/engine/setup-node';
import { createSession } from '/work/wt/digits/src/engine/experiment';
import { parseExperiment } from '/work/wt/digits/src/engine/schema';
import { asDigits } from '/work/wt/digits/src/engine/problems/digits';
import { testMetricsRows } from '/work/wt/digits/src/engine/problems/problem-testkit';
await setupNode((process.env.B ?? 'wasm') as 'wasm');
const opts = (process.env.OPT ?? 'gd:0.3,adam:0.01,kfac:0.1').split(',');
for (const o of opts) {
  const [id, lr] = o.split(':');
  const e = parseExperiment({ version: 1, problem: { id: 'digits' }, optimizers: [{ id, lr: Number(lr) }], steps: Number(process.env.STEPS ?? 200), seed: 0 });
  if (!e.ok) { console.log(e); continue; }
  const s = createSession(e.experiment);
  await s.ready;
  const t0 = performance.now();
  await s.advance(e.experiment.steps);
  const dt = performance.now() - t0;
  const r = s.runs[0]!;
  const m = await testMetricsRows(s.problem, [r.theta.at(-1)!]);
  console.log(id, lr, 'steps/s', (e.experiment.steps / dt * 1000).toFixed(1), 'loss', r.loss[0]?.toFixed(3), '->', r.loss.at(-1)?.toFixed(3), 'test acc', m?.accuracy?.[0]?.toFixed(3), asDigits(s.problem)?.digits.nTrain);
  s.dispose();
}
