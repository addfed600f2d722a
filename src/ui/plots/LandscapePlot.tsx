/**
 * React wrapper of `drawLandscape` for one coordinate system. It subscribes to the store
 * transiently and redraws at most once per animation frame; React renders it once.
 */
import { useEffect, useRef } from 'react';
import type { Space } from '../../engine/experiment';
import { useLabContext } from '../lab-context';
import type { LabState } from '../../state/store';
import { drawLandscape, type LandscapeView } from './landscape-draw';
import { optimizerColor } from './colors';
import { useSize } from './use-size';

function viewOf(s: LabState, space: Space): LandscapeView | null {
  const window = s.windows?.[space];
  if (!window) return null;
  const names = space === 'theta' ? s.paramNames : s.paramNames.map((n) => `φ(${n})`);
  const trajectories = s.runs
    .filter((r) => space === 'theta' || r.space === 'phi')
    .map((r) => ({
      id: r.id,
      label: `${s.experiment?.optimizers[r.optimizer]?.id ?? r.id} in ${r.space === 'theta' ? 'θ' : 'φ'}`,
      color: optimizerColor(s.experiment, r.optimizer),
      dashed: space === 'theta' && r.space === 'phi',
      points: space === 'theta' ? r.theta : (r.phi ?? []),
      diverged: r.status === 'diverged',
    }));
  return {
    grid: s.landscapes[space],
    window,
    axisNames: [names[0] ?? 'x', names[1] ?? 'y'],
    trajectories,
  };
}

export function LandscapePlot({ space, title }: { space: Space; title: string }) {
  const { store } = useLabContext();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);

  useEffect(() => {
    if (!canvas.current || !svg.current || width === 0) return;
    const el = { canvas: canvas.current, svg: svg.current };
    let raf = 0;
    const draw = (): void => {
      raf = 0;
      const view = viewOf(store.getState(), space);
      if (view) drawLandscape(el, view, width, height);
    };
    const request = (): void => {
      if (!raf) raf = requestAnimationFrame(draw);
    };
    draw();
    const unsubscribe = store.subscribe((s, prev) => {
      if (s.frame !== prev.frame || s.landscapes !== prev.landscapes || s.windows !== prev.windows) request();
    });
    return () => {
      unsubscribe();
      if (raf) cancelAnimationFrame(raf);
    };
  }, [store, space, width, height]);

  return (
    <figure className="plot landscape" aria-label={title} data-space={space}>
      <figcaption>{title}</figcaption>
      <div className="plot-box" ref={box}>
        <canvas ref={canvas} aria-hidden="true" />
        <svg ref={svg} role="img" aria-label={`${title}: loss landscape with trajectories`} />
      </div>
    </figure>
  );
}
