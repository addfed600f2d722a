/**
 * Network maps applied block by block, never as a P×P matrix: a diagonal map θ = d ⊙ φ
 * (`relu-rescale`) and the per-layer map [W; b] ↦ B̄ [W; b] C (`layer-scale`). Both are the
 * same linear maps a dense `affineMap` would build, but forward, inverse and pushing a
 * trajectory forward cost O(P) and O(Σ m·n·(m + n)) instead of O(P²) — the difference
 * between instant and tens of seconds at the P = 2,410 of `digits`. `jacobian64` still
 * returns the dense P×P matrix, for the measures that ask for it (P ≤ 50, or a switch).
 */
import { inverse as matInverse, Matrix } from 'ml-matrix';
import { tf, type Tensor2D } from '../tf';
import { transpose } from '../linalg/dense';
import { diagonalMatrix } from './linear';
import { ReparamError, type LayerMapBlock, type Reparam } from './reparam';

export type { LayerMapBlock };

/** θ = d ⊙ φ with every d_i ≠ 0. */
export function diagonalMap(id: string, d: readonly number[]): Reparam {
  if (d.length === 0 || d.some((v) => !Number.isFinite(v) || v === 0)) {
    throw new ReparamError(`${id}: the scale factors must be finite and nonzero`);
  }
  const P = d.length;
  // f is linear and J = diag(d) symmetric: f, rows·J and J·v are the same product.
  const scale = (rows: Tensor2D): Tensor2D => tf.tidy(() => tf.mul(rows, tf.tensor1d([...d]))) as Tensor2D;
  return {
    id,
    P,
    Q: P,
    affine: true,
    forward: scale,
    pullback: scale,
    pushforward: scale,
    forward64: (phi) => phi.map((v, i) => v * (d[i] as number)),
    inverse64: (theta) => theta.map((v, i) => v / (d[i] as number)),
    jacobian64: () => diagonalMatrix(d),
    domainError: () => null,
  };
}

/** Whether B̄ keeps the homogeneous (bias) coordinate: its last row and column are those of I. */
function keepsBiasRow(left: readonly (readonly number[])[]): boolean {
  const m = left.length;
  return left.every(
    (row, r) =>
      row[m - 1] === (r === m - 1 ? 1 : 0) && (r < m - 1 || row.every((v, s) => v === (s === m - 1 ? 1 : 0))),
  );
}

const mul = (A: readonly (readonly number[])[], B: readonly (readonly number[])[]): number[][] =>
  A.map((row) =>
    (B[0] ?? []).map((_, j) => row.reduce((s, a, k) => s + a * ((B[k] as number[])[j] as number), 0)),
  );

/** θ_block = B̄ Φ C for every block (Φ the block of φ as an m×n matrix). */
export function layerMap(id: string, P: number, blocks: readonly LayerMapBlock[]): Reparam {
  const inv = blocks.map((b) => ({
    left: matInverse(new Matrix(b.left.map((r) => [...r]))).to2DArray(),
    right: matInverse(new Matrix(b.right.map((r) => [...r]))).to2DArray(),
  }));
  const used = blocks.reduce((s, b) => s + b.left.length * b.right.length, 0);
  if (used !== P) throw new ReparamError(`${id}: the blocks hold ${used} parameters, the problem has ${P}`);
  const apply64 = (v: readonly number[], pick: (k: number) => { left: number[][]; right: number[][] }) => {
    const out = [...v];
    blocks.forEach((b, k) => {
      const { left, right } = pick(k);
      const [m, n] = [left.length, right.length];
      const X = Array.from({ length: m }, (_, r) => v.slice(b.offset + r * n, b.offset + (r + 1) * n));
      mul(mul(left, X), right).forEach((row, r) => row.forEach((x, c) => (out[b.offset + r * n + c] = x)));
    });
    return out;
  };
  /** Each block's m×n matrix X of every row ↦ L X R (L m×m, R n×n). */
  const sandwich = (rowsT: Tensor2D, pick: (b: LayerMapBlock) => [number[][], number[][]]): Tensor2D =>
    tf.tidy(() => {
      const rows = rowsT.shape[0];
      const parts = blocks.map((b) => {
        const [L, R] = pick(b);
        const [m, n] = [L.length, R.length];
        const X = tf.slice(rowsT, [0, b.offset], [rows, m * n]);
        // L X for every row at once: X as [m, rows·n] columns.
        const cols = tf.reshape(tf.transpose(tf.reshape(X, [rows, m, n]), [1, 0, 2]), [m, rows * n]);
        const left = tf.reshape(tf.matMul(tf.tensor2d(L), cols), [m, rows, n]);
        const back = tf.reshape(tf.transpose(left, [1, 0, 2]), [rows * m, n]);
        return tf.reshape(tf.matMul(back, tf.tensor2d(R)), [rows, m * n]);
      });
      return parts.length === 1 ? (parts[0] as Tensor2D) : (tf.concat(parts, 1) as Tensor2D);
    });
  const transposed = blocks.map((b) => ({ left: transpose(b.left), right: transpose(b.right) }));
  const forward = (phi: Tensor2D): Tensor2D => sandwich(phi, (b) => [b.left, b.right]);
  return {
    id,
    P,
    Q: P,
    affine: true,
    // ∂/∂Φ ⟨U, B̄ΦC⟩ = B̄ᵀ U Cᵀ.
    pullback: (rows) =>
      sandwich(rows, (b) => {
        const t = transposed[blocks.indexOf(b)] as { left: number[][]; right: number[][] };
        return [t.left, t.right];
      }),
    forward,
    // f is linear: J v is f(v).
    pushforward: forward,
    forward64: (phi) => apply64(phi, (k) => blocks[k] as LayerMapBlock),
    inverse64: (theta) => apply64(theta, (k) => inv[k] as { left: number[][]; right: number[][] }),
    jacobian64: () => {
      const J = Array.from({ length: P }, () => new Array<number>(P).fill(0));
      for (const { offset: o, left: B, right: C } of blocks) {
        const [m, n] = [B.length, C.length];
        // vec_row(B Φ C)[r·n + k] = Σ_{s,t} B[r][s] C[t][k] Φ[s][t].
        for (let r = 0; r < m; r++)
          for (let k = 0; k < n; k++)
            for (let s = 0; s < m; s++)
              for (let t = 0; t < n; t++)
                (J[o + r * n + k] as number[])[o + s * n + t] =
                  ((B[r] as number[])[s] as number) * ((C[t] as number[])[k] as number);
      }
      return J;
    },
    domainError: () => null,
    // K-FAC's φ-factors by transforming θ's need B̄ = diag(B, 1) (reparam/network.ts header).
    ...(blocks.every((b) => keepsBiasRow(b.left)) ? { layerFactors: blocks } : {}),
  };
}
