/**
 * Record a planned sequence of frames (schedule.ts) drawn by a FrameRenderer (render.ts):
 * as an animated GIF (gifenc), or as a WebM video (the browser's MediaRecorder on the
 * canvas's stream). Both draw frame i from step `plan.steps[i]` only — never from the
 * live page — so the GIF bytes depend on nothing but the data, the size and the browser's
 * 2-D canvas. Progress is reported per frame; an AbortSignal cancels between frames and
 * releases everything (recorder, stream tracks).
 */
import * as d3 from 'd3';
import { GIFEncoder, quantize } from 'gifenc';
import fixWebmDuration from 'fix-webm-duration';
import type { FrameRenderer } from './render';
import { FPS, gifDelays, type FramePlan } from './schedule';

export class RecordCancelled extends Error {
  constructor() {
    super('Recording cancelled.');
    this.name = 'RecordCancelled';
  }
}

export interface RecordOptions {
  signal: AbortSignal;
  /** Called after each frame with (frames done, frames in all). */
  onProgress: (done: number, total: number) => void;
}

/** A canvas of the renderer's size whose pixels are read back (a CPU canvas: same pixels every time). */
function frameCanvas(r: FrameRenderer): { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D } {
  const canvas = document.createElement('canvas');
  canvas.width = r.width;
  canvas.height = r.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
  if (!ctx) throw new Error('This browser cannot draw on a canvas.');
  return { canvas, ctx };
}

/** Let the page paint and take clicks (the progress bar, Cancel) between frames. */
const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Colours of the palette given to the heatmap's colour ramp (viridis), the rest quantized from the frames. */
const RAMP = 160;
/** The palette index that means "as in the previous frame" (transparent). */
const SAME = 255;

/**
 * The GIF's palette: 160 colours evenly along the heatmap's viridis ramp (so the
 * landscapes shade smoothly, not in bands) and 95 quantized from the first and last frames
 * (text, trajectories, contour lines; the last frame holds every trajectory at full
 * length); index 255 is kept for "unchanged".
 */
export function gifPalette(first: Uint8ClampedArray, last: Uint8ClampedArray): number[][] {
  const ramp = Array.from({ length: RAMP }, (_, i) => {
    const c = d3.rgb(d3.interpolateViridis(i / (RAMP - 1)));
    return [c.r, c.g, c.b];
  });
  const both = new Uint8ClampedArray(first.length + last.length);
  both.set(first);
  both.set(last, first.length);
  const rest = quantize(both, SAME - RAMP, { format: 'rgb565' });
  return [...ramp, ...rest];
}

/**
 * Palette indices of a frame, by the nearest palette colour of each pixel's full 24-bit
 * colour (gifenc's applyPalette rounds to 16 bits first, which bands the heatmap), cached
 * per colour. Pixels whose colour equals `prev`'s get SAME (transparent: the previous
 * frame shows through), so only what changed is looked up and stored.
 */
export function indexFrame(
  data: Uint8ClampedArray,
  prev: Uint8ClampedArray | null,
  palette: readonly number[][],
  cache: Map<number, number>,
): Uint8Array {
  const out = new Uint8Array(data.length / 4);
  for (let j = 0, o = 0; o < data.length; j++, o += 4) {
    const r = data[o] as number;
    const g = data[o + 1] as number;
    const b = data[o + 2] as number;
    if (prev && prev[o] === r && prev[o + 1] === g && prev[o + 2] === b) {
      out[j] = SAME;
      continue;
    }
    const key = (r << 16) | (g << 8) | b;
    let index = cache.get(key);
    if (index === undefined) {
      let best = Infinity;
      index = 0;
      for (let k = 0; k < palette.length; k++) {
        const c = palette[k] as number[];
        const d = ((c[0] as number) - r) ** 2 + ((c[1] as number) - g) ** 2 + ((c[2] as number) - b) ** 2;
        if (d < best) [best, index] = [d, k];
      }
      cache.set(key, index);
    }
    out[j] = index;
  }
  return out;
}

/**
 * The GIF: one palette for the whole file (gifPalette), delays of 3 or 4 hundredths so
 * that frame i starts at i/30 s. After the first frame, a pixel of the same colour as in
 * the previous frame is written as transparent over the kept previous frame (disposal 1),
 * so the unchanging landscapes cost almost nothing.
 */
export async function recordGif(r: FrameRenderer, plan: FramePlan, opts: RecordOptions): Promise<Blob> {
  const { ctx } = frameCanvas(r);
  const { width, height } = r;
  const total = plan.steps.length;
  const pixels = (step: number): Uint8ClampedArray => {
    r.draw(ctx, step, plan.to);
    return ctx.getImageData(0, 0, width, height).data;
  };
  const first = pixels(plan.steps[0] as number);
  const end = pixels(plan.steps[total - 1] as number);
  const palette = gifPalette(first, end);
  const written = [...palette];
  while (written.length <= SAME) written.push([255, 0, 255]);
  const delays = gifDelays(total, FPS);
  const gif = GIFEncoder({ initialCapacity: width * height });
  const cache = new Map<number, number>();
  let prev: Uint8ClampedArray | null = null;
  for (let i = 0; i < total; i++) {
    if (opts.signal.aborted) throw new RecordCancelled();
    const data = i === 0 ? first : i === total - 1 ? end : pixels(plan.steps[i] as number);
    const index = indexFrame(data, prev, palette, cache);
    prev = data;
    gif.writeFrame(index, width, height, {
      ...(i === 0 ? { palette: written, repeat: 0 } : {}),
      delay: (delays[i] as number) * 10,
      transparent: i > 0,
      transparentIndex: SAME,
      dispose: 1,
    });
    opts.onProgress(i + 1, total);
    await yieldToPage();
  }
  if (opts.signal.aborted) throw new RecordCancelled();
  gif.finish();
  return new Blob([gif.bytes()], { type: 'image/gif' });
}

/** Why WebM cannot be recorded here, or null when it can. */
export function webmUnsupported(): string | null {
  if (typeof MediaRecorder === 'undefined')
    return 'This browser has no MediaRecorder, so it cannot record a WebM video; the GIF works.';
  const canvas = document.createElement('canvas');
  if (typeof canvas.captureStream !== 'function')
    return 'This browser cannot stream a canvas (no canvas.captureStream), so it cannot record a WebM video; the GIF works.';
  if (!webmType()) return 'This browser’s MediaRecorder cannot write WebM; the GIF works.';
  return null;
}

function webmType(): string | null {
  for (const t of ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'])
    if (MediaRecorder.isTypeSupported(t)) return t;
  return null;
}

const sleepUntil = (t: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, t - performance.now())));

/**
 * The WebM: the canvas's stream takes a frame only when asked (captureStream(0) and
 * requestFrame), frame i drawn at t₀ + i/30 s by a fixed clock, so the video has one frame
 * per planned frame and lasts frames/30 s; the file's duration field is then written
 * (MediaRecorder leaves it out). It takes as long as the video (real time).
 */
export async function recordWebm(r: FrameRenderer, plan: FramePlan, opts: RecordOptions): Promise<Blob> {
  const why = webmUnsupported();
  if (why) throw new Error(why);
  const { canvas, ctx } = frameCanvas(r);
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack | undefined;
  if (!track) throw new Error('The canvas gave no video track; the GIF works.');
  const type = webmType() as string;
  const recorder = new MediaRecorder(stream, {
    mimeType: type,
    videoBitsPerSecond: Math.round(Math.min(16e6, (r.width * r.height * FPS) / 3)),
  });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((resolve) => {
    recorder.onstop = () => resolve();
  });
  const total = plan.steps.length;
  const release = (): void => {
    if (recorder.state !== 'inactive') recorder.stop();
    for (const t of stream.getTracks()) t.stop();
  };
  try {
    // The first frame is on the canvas before the recorder starts.
    r.draw(ctx, plan.steps[0] as number, plan.to);
    const started = new Promise<void>((resolve) => {
      recorder.onstart = () => resolve();
    });
    recorder.start();
    await started;
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      if (opts.signal.aborted) throw new RecordCancelled();
      await sleepUntil(t0 + (i * 1000) / FPS);
      if (opts.signal.aborted) throw new RecordCancelled();
      if (i > 0) r.draw(ctx, plan.steps[i] as number, plan.to);
      track.requestFrame();
      opts.onProgress(i + 1, total);
    }
    // The last frame lasts its 1/30 s too.
    await sleepUntil(t0 + (total * 1000) / FPS);
    release();
    await stopped;
  } finally {
    release();
  }
  if (opts.signal.aborted) throw new RecordCancelled();
  const blob = new Blob(chunks, { type: 'video/webm' });
  return fixWebmDuration(blob, (total * 1000) / FPS, { logger: false });
}
