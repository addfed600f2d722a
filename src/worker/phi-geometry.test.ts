import { describe, expect, it } from 'vitest';
import { cubicMap } from '../engine/reparam/cubic';
import { scaleMap } from '../engine/reparam/linear-maps';
import { elementwiseMap, expScalar } from '../engine/reparam/elementwise';
import type { Reparam } from '../engine/reparam/reparam';
import { gridPoint, type Window } from '../engine/landscape/grid';
import type { WorkerEvent } from '../protocol/messages';
import { createRunLoop } from './run-loop';
import { loadedOf } from './loaded-event';
import { phiGeometry } from './phi-geometry';

const theta: Window = [
  [-2, 2],
  [-1, 3],
];

describe('phiGeometry: the image of a θ grid and det J over the φ window', () => {
  it('a linear scale map gives straight, scaled lines and |det J| = 1', () => {
    const g = phiGeometry(
      { reparam: scaleMap(2, { factors: [2, 0.5] }) },
      theta,
      [
        [-1, 1],
        [-2, 6],
      ],
      8,
    );
    expect(g.lines.length).toBe(18);
    for (const line of g.lines) {
      expect(line.length).toBeGreaterThan(10);
      const first = line[0] as number[];
      const last = line[line.length - 1] as number[];
      // Every point lies on the segment first–last (cross product ≈ 0).
      for (const p of line) {
        const cross =
          ((last[0] as number) - (first[0] as number)) * ((p[1] as number) - (first[1] as number)) -
          ((last[1] as number) - (first[1] as number)) * ((p[0] as number) - (first[0] as number));
        expect(Math.abs(cross)).toBeLessThan(1e-12);
      }
    }
    // φ = (θ₁ / 2, θ₂ / 0.5): the first vertical line θ₁ = −2 maps to φ₁ = −1, spanning φ₂ ∈ [−2, 6].
    const v0 = g.lines[0] as number[][];
    expect(v0.every((p) => Math.abs((p[0] as number) + 1) < 1e-12)).toBe(true);
    expect(v0[0]?.[1]).toBeCloseTo(-2, 12);
    expect(v0[v0.length - 1]?.[1]).toBeCloseTo(6, 12);
    expect(g.detJ.length).toBe(64);
    for (const d of g.detJ) expect(Math.abs(Math.log(Math.abs(d)))).toBeLessThan(1e-6);
  });

  it('cubic a = 0.3: det J = Π(1 + 0.9 φᵢ²) at the φ grid points; lines invert f', () => {
    const reparam = cubicMap(2, 0.3);
    const phiWin: Window = [
      [-1.5, 1.5],
      [-1, 2],
    ];
    const n = 9;
    const g = phiGeometry({ reparam }, theta, phiWin, n);
    let worst = 0;
    for (let j = 0; j < n; j++)
      for (let i = 0; i < n; i++) {
        const [x, y] = gridPoint(phiWin, n, i, j);
        const want = (1 + 0.9 * x * x) * (1 + 0.9 * y * y);
        worst = Math.max(worst, Math.abs((g.detJ[j * n + i] as number) / want - 1));
      }
    expect(worst).toBeLessThan(1e-6); // float32 storage
    // Each line point maps forward onto its θ grid line (a vertical θ line keeps θ₁ fixed).
    const v3 = g.lines[3] as number[][];
    const t1 = reparam.forward64(v3[0] as number[])[0] as number;
    expect(t1).toBeCloseTo(-2 + (4 * 3) / 8, 12);
    for (const p of v3) expect(reparam.forward64(p)[0]).toBeCloseTo(t1, 10);
  });

  it('splits lines where θ leaves the image of f; det J is NaN where J cannot be formed', () => {
    // θ₁ = e^φ₁: only θ₁ > 0 has a preimage, so vertical lines at θ₁ ≤ 0 vanish and
    // horizontal lines keep their θ₁ > 0 part.
    const g = phiGeometry(
      { reparam: elementwiseMap('exp', 2, [0], expScalar) },
      theta,
      [
        [-3, 1],
        [-1, 3],
      ],
      4,
    );
    for (const line of g.lines) for (const p of line) expect(p.every(Number.isFinite)).toBe(true);
    const vertical = g.lines.filter((l) => l.every((p) => p[0] === l[0]?.[0]));
    expect(vertical.length).toBe(4); // θ₁ = 0.5, 1, 1.5, 2
    expect(g.lines.length).toBe(4 + 9);
    const cubic = cubicMap(2, 0.3);
    const partial: Reparam = {
      ...cubic,
      jacobian64: (phi) => {
        if ((phi[0] as number) < 0) throw new Error('outside');
        return cubic.jacobian64(phi);
      },
    };
    const h = phiGeometry(
      { reparam: partial },
      theta,
      [
        [-1, 1],
        [-1, 1],
      ],
      5,
    );
    const nan = Array.from(h.detJ, (v, k) => [k % 5, Number.isNaN(v)] as const);
    expect(nan.every(([i, isNaN]) => isNaN === i < 2)).toBe(true);
  });
});

describe('the run loop sends the geometry after the φ landscape', () => {
  it('tiny-net with cubic a = 0.3: a phi-geometry event over the φ window', async () => {
    const events: WorkerEvent[] = [];
    const loop = createRunLoop((e) => events.push(e));
    const reply = await loop.load({
      version: 1,
      problem: { id: 'tiny-net' },
      reparam: { id: 'cubic', a: 0.3 },
      optimizers: [{ id: 'gd', lr: 0.05 }],
      steps: 5,
      seed: 1,
      view: { grid: 12 },
    });
    if (!reply.ok) throw new Error(reply.error);
    const info = loadedOf(events);
    const t0 = Date.now();
    while (!events.some((e) => e.type === 'phi-geometry') && Date.now() - t0 < 10_000)
      await new Promise((r) => setTimeout(r, 10));
    const kinds = events.map((e) => (e.type === 'landscape' ? `landscape-${e.space}` : e.type));
    expect(kinds.indexOf('phi-geometry')).toBeGreaterThan(kinds.indexOf('landscape-phi'));
    const g = events.find((e) => e.type === 'phi-geometry');
    if (g?.type !== 'phi-geometry') throw new Error('no phi-geometry event');
    expect(g.window).toEqual(info.windows.phi);
    expect(g.n).toBe(12);
    expect(g.detJ.length).toBe(144);
    expect(g.lines.length).toBe(18);
    loop.dispose();
  });
});
