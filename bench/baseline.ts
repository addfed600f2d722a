/**
 * (b) The plain-JavaScript float64 baseline on the same network and data, timed in rounds
 * interleaved with one `gd` run through the session on the current backend, with a check
 * that its gradient at θ₀ equals the engine's (so both do the same work).
 */
import { tf, type Tensor2D } from '../src/engine/tf';
import { createProblem, createSession } from '../src/engine/experiment';
import { gradient, makeObjective } from '../src/engine/objective';
import { jsMlp } from './js-mlp';
import { batchExperiment, mlpProblem } from './problems';
import { interleaved, median } from './stats';

export interface BaselineResult {
  /** Median steps per second of the JS loop (wall clock). */
  stepsPerSec: number;
  /** Median run-steps per second of one session run, timed alongside. */
  oneRunPerSec: number;
  /** Median over rounds of (session rate / JS rate). */
  ratio: number;
  /** max |g_js − g_engine| / max |g_engine| at θ₀ (engine in float32). */
  gradientMismatch: number;
}

export async function jsBaseline(rounds: number, targetMs: number): Promise<BaselineResult> {
  const { experiment } = batchExperiment(mlpProblem, { id: 'gd', lr: 0.1 }, 1);
  const prob = createProblem(experiment);
  const session = createSession(experiment);
  try {
    const x = prob.x.arraySync();
    const y1 = prob.y.arraySync().map((row) => row[1] as number);
    const net = jsMlp([2, ...mlpProblem.hidden, 1], x, y1);
    if (net.P !== prob.P) throw new Error(`JS net has ${net.P} parameters, the problem ${prob.P}`);
    const theta = Float64Array.from(prob.init);
    const g = new Float64Array(net.P);
    net.lossGrad(theta, g);
    const p = tf.tensor2d([[...prob.init]]) as Tensor2D;
    const gT = gradient(makeObjective(prob, null), p);
    const ge = Array.from(gT.dataSync());
    tf.dispose([p, gT]);
    const scale = Math.max(...ge.map(Math.abs));
    const gradientMismatch = Math.max(...ge.map((v, i) => Math.abs(v - (g[i] as number)))) / scale;
    const [js, one] = await interleaved(
      [
        (n) => {
          for (let i = 0; i < n; i++) net.step(theta, 0.1);
        },
        async (n) => {
          await session.advance(n);
        },
      ],
      { rounds, targetMs },
    );
    if (!js || !one) throw new Error('missing timing');
    return {
      stepsPerSec: 1000 / median(js.wall),
      oneRunPerSec: 1000 / median(one.wall),
      ratio: median(one.wall.map((ms, r) => (js.wall[r] as number) / ms)),
      gradientMismatch,
    };
  } finally {
    session.dispose();
    prob.dispose();
  }
}
