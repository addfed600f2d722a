/**
 * Plot windows. θ: the experiment's view window or the problem's default. φ: the
 * bounding box of f⁻¹ over the θ window's boundary (points outside f's image skipped),
 * so the φ plot shows the same region of the landscape in the other coordinates.
 */
import type { Window, Session, Experiment } from '../engine';

export function thetaWindow(session: Session, view: Experiment['view'] | null): Window | null {
  if (session.problem.P !== 2) return null;
  return view?.window ?? session.problem.window;
}

export function phiWindow(session: Session, theta: Window): Window | null {
  // A φ plot needs a 2-D φ (weight-norm's φ is larger than θ; it only exists for networks).
  if (session.reparam.id === 'identity' || session.reparam.Q !== 2) return null;
  const [[x0, x1], [y0, y1]] = theta;
  const pts: number[][] = [];
  const n = 24;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    pts.push(
      [x0 + (x1 - x0) * t, y0],
      [x0 + (x1 - x0) * t, y1],
      [x0, y0 + (y1 - y0) * t],
      [x1, y0 + (y1 - y0) * t],
    );
  }
  const inv: number[][] = [];
  for (const p of pts) {
    if (session.reparam.domainError(p)) continue;
    try {
      const q = session.reparam.inverse64(p);
      if (q.every(Number.isFinite)) inv.push(q);
    } catch {
      // Outside the image of f: not part of the φ window.
    }
  }
  if (inv.length < 2) return null;
  const xs = inv.map((q) => q[0] as number);
  const ys = inv.map((q) => q[1] as number);
  return [
    [Math.min(...xs), Math.max(...xs)],
    [Math.min(...ys), Math.max(...ys)],
  ];
}
