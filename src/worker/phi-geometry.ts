/**
 * What the φ plot draws over its landscape, computed here because plots never compute
 * math: the image under f⁻¹ of a regular grid of θ coordinate lines (the deformed
 * coordinate lines), and det J_f over the φ plot's grid (how f stretches area).
 */
import { gridPoint, type Window, type Session } from '../engine';
import type { PhiGeometry } from '../protocol/messages';

/** Coordinate lines per direction, and points sampled along each. */
export const GRID_LINES = 9;
const SAMPLES = 64;

/** f⁻¹(θ), or null when θ is outside the image of f (or the inverse is not finite). */
function preimage(reparam: Session['reparam'], theta: number[]): number[] | null {
  if (reparam.domainError(theta)) return null;
  try {
    const phi = reparam.inverse64(theta);
    return phi.every(Number.isFinite) ? phi : null;
  } catch {
    return null;
  }
}

/** Map one θ segment to φ point by point, splitting it where f⁻¹ is undefined. */
function imageOf(reparam: Session['reparam'], from: number[], to: number[]): number[][][] {
  const pieces: number[][][] = [];
  let piece: number[][] = [];
  for (let k = 0; k < SAMPLES; k++) {
    const t = k / (SAMPLES - 1);
    const q = preimage(
      reparam,
      from.map((v, i) => v + ((to[i] as number) - v) * t),
    );
    if (q) piece.push(q);
    else {
      if (piece.length >= 2) pieces.push(piece);
      piece = [];
    }
  }
  if (piece.length >= 2) pieces.push(piece);
  return pieces;
}

function determinant2(J: number[][]): number {
  const [a = NaN, b = NaN] = J[0] ?? [];
  const [c = NaN, d = NaN] = J[1] ?? [];
  return a * d - b * c;
}

/**
 * The φ plot's geometry for a 2-parameter map (only `session.reparam` is read): the θ
 * grid of `lines` × `lines` coordinate lines over `theta` mapped into φ, and det J_f on an
 * n × n grid over `phi`. Float64 throughout; det is stored as float32.
 */
export function phiGeometry(
  session: Pick<Session, 'reparam'>,
  theta: Window,
  phi: Window,
  n: number,
  lines = GRID_LINES,
): PhiGeometry {
  const { reparam } = session;
  const [[x0, x1], [y0, y1]] = theta;
  const out: number[][][] = [];
  for (let k = 0; k < lines; k++) {
    const x = x0 + ((x1 - x0) * k) / (lines - 1);
    out.push(...imageOf(reparam, [x, y0], [x, y1]));
  }
  for (let k = 0; k < lines; k++) {
    const y = y0 + ((y1 - y0) * k) / (lines - 1);
    out.push(...imageOf(reparam, [x0, y], [x1, y]));
  }
  const detJ = new Float32Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let det = NaN;
      try {
        det = determinant2(reparam.jacobian64(gridPoint(phi, n, i, j)));
      } catch {
        // Outside f's domain: no determinant, drawn as "no data".
      }
      detJ[j * n + i] = Number.isFinite(det) ? det : NaN;
    }
  }
  return { lines: out, n, window: phi, detJ };
}
