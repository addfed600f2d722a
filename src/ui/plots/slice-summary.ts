/**
 * The network slice in one plain sentence: how much of the runs' movement the plane holds
 * (PCA slices), how far off the plane the paths go on average, and which runs the picture
 * cannot show — off the plane, or too small to see at the plot's scale.
 */
import { traj, type Experiment, type Trajectory } from '../../engine/page';
import { runLabel } from '../panels/optimizer-label';

/** A run with more than this share of its distance from the start off the plane is "off the plane". */
export const OFF_PLANE = 0.5;
/** A run whose projected path spans less than this fraction of the plot's window is "too small to see". */
export const TOO_SMALL = 0.02;

export interface SliceRunNote {
  id: string;
  label: string;
  /** Distance-weighted mean of the run's relative off-plane distance (0 … 1). */
  off: number;
  /** Largest extent of the projected path, as a fraction of the window's span. */
  extent: number;
  status: 'shown' | 'off the plane' | 'too small to see';
}

export interface SliceSummary {
  kind: string;
  /** PCA: fraction of Σ‖θ_k − θ₀‖² in the plane. */
  explained: number | null;
  /** All runs' off-plane distance as a fraction of their distance from the start (distance-weighted). */
  off: number;
  runs: SliceRunNote[];
}

interface Input {
  experiment: Experiment | null;
  slice: { kind: string; explained?: number } | null;
  windows: { theta: [[number, number], [number, number]] | readonly (readonly number[])[] } | null;
  runs: readonly {
    id: string;
    optimizer: number;
    space: string;
    switchAt?: number;
    theta: Trajectory;
    slice: Trajectory;
    sliceError: readonly number[];
  }[];
}

/** Distance between points k and 0 of `t` (NaN when either is missing). */
function fromStart(t: Trajectory, k: number): number {
  if (k >= t.length) return Number.NaN;
  let s = 0;
  for (let i = 0; i < t.dim; i++) s += ((t.data[k * t.dim + i] as number) - (t.data[i] as number)) ** 2;
  return Math.sqrt(s);
}

/**
 * Running sums per run's `sliceError` array: the store appends points in place and replaces
 * the array when the slice is refitted, so the sums of the points seen so far stay valid
 * while the array is the same one and still holds them (checked by its length and newest
 * summed value). Each point costs a P-dimensional distance; without this a network's
 * summary re-summed every point of every run on every frame.
 */
const sums = new WeakMap<readonly number[], { n: number; last: number; off: number; moved: number }>();

function offPlaneSums(r: Input['runs'][number]): { off: number; moved: number } {
  let c = sums.get(r.sliceError);
  if (!c || r.sliceError.length < c.n || (c.n > 0 && !Object.is(r.sliceError[c.n - 1], c.last)))
    c = { n: 0, last: Number.NaN, off: 0, moved: 0 };
  const upTo = Math.min(r.sliceError.length, r.theta.length);
  for (let k = c.n; k < upTo; k++) {
    const e = r.sliceError[k] as number;
    if (!Number.isFinite(e)) continue;
    const d = fromStart(r.theta, k);
    if (!Number.isFinite(d)) continue;
    c.off += e * d;
    c.moved += d;
  }
  if (upTo > c.n) {
    c.n = upTo;
    c.last = r.sliceError[upTo - 1] as number;
  }
  sums.set(r.sliceError, c);
  return c;
}

export function sliceSummary(s: Input): SliceSummary | null {
  if (!s.slice || !s.windows) return null;
  const w = s.windows.theta;
  const span = Math.max(
    ((w[0]?.[1] as number) ?? 1) - ((w[0]?.[0] as number) ?? 0),
    ((w[1]?.[1] as number) ?? 1) - ((w[1]?.[0] as number) ?? 0),
  );
  let offAll = 0;
  let movedAll = 0;
  const runs = s.runs
    .filter((r) => r.slice.length > 0)
    .map((r): SliceRunNote => {
      const { off, moved } = offPlaneSums(r);
      offAll += off;
      movedAll += moved;
      const { point } = traj;
      let extent = 0;
      for (let k = 0; k < r.slice.length; k++) {
        const e = Math.max(
          Math.abs((point(r.slice, k, 0) as number) - (point(r.slice, 0, 0) as number)),
          Math.abs((point(r.slice, k, 1) as number) - (point(r.slice, 0, 1) as number)),
        );
        if (Number.isFinite(e)) extent = Math.max(extent, e / span);
      }
      const share = moved > 0 ? off / moved : 0;
      return {
        id: r.id,
        label: runLabel(s.experiment, r),
        off: share,
        extent,
        status: share > OFF_PLANE ? 'off the plane' : extent < TOO_SMALL ? 'too small to see' : 'shown',
      };
    });
  return {
    kind: s.slice.kind,
    explained: s.slice.explained ?? null,
    off: movedAll > 0 ? offAll / movedAll : 0,
    runs,
  };
}

const pct = (f: number): string => (f < 0.005 && f > 0 ? '< 1%' : `${Math.round(100 * f)}%`);

/** The sentence under the plot. */
export function sliceSentence(m: SliceSummary): string {
  const plane =
    m.kind === 'pca' && m.explained !== null
      ? `The plane of the runs’ two main directions holds ${pct(m.explained)} of their movement`
      : 'The plane goes along two random filter-normalized directions';
  const parts = [`${plane}; off the plane the paths are on average ${pct(m.off)} as far as they moved.`];
  const off = m.runs.filter((r) => r.status === 'off the plane');
  const small = m.runs.filter((r) => r.status === 'too small to see');
  if (off.length > 0)
    parts.push(
      `Off the plane: ${off.map((r) => `${r.label} (${pct(r.off)} of its distance from the start is off the plane)`).join(', ')}.`,
    );
  if (small.length > 0)
    parts.push(`Too small to see at this scale: ${small.map((r) => r.label).join(', ')}.`);
  return parts.join(' ');
}
