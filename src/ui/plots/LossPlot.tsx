/**
 * React wrapper of the loss chart (loss-draw.ts), updated at most once per animation frame
 * from transient store updates, and only when a run's losses (or the size) changed.
 */
import { useEffect, useRef } from 'react';
import { useLabContext } from '../lab-context';
import { createLossChart } from './loss-draw';
import { runStroke } from './colors';
import { optimizerLabel } from '../panels/optimizer-label';
import { useSize } from './use-size';
import { drawOnFrames } from './frame-draw';
import { ExportButtons } from './ExportButtons';
import { changeDetector, seriesParts } from './change-key';

export function LossPlot() {
  const { store } = useLabContext();
  const box = useRef<HTMLDivElement>(null);
  const svg = useRef<SVGSVGElement>(null);
  const { width, height } = useSize(box);

  useEffect(() => {
    const el = svg.current;
    if (!el || width === 0) return;
    const changed = changeDetector();
    const chart = createLossChart(el);
    const draw = (): void => {
      const s = store.getState();
      if (!changed([s.experiment, ...s.runs.flatMap((r) => seriesParts(r.loss))])) return;
      chart.update(
        s.runs.map((r) => ({
          ...runStroke(s.experiment, r),
          label: optimizerLabel(s.experiment, r.optimizer),
          loss: r.loss,
        })),
        width,
        height,
      );
    };
    draw();
    return drawOnFrames(store, draw);
  }, [store, width, height]);

  return (
    <figure className="plot loss" aria-label="Loss over steps">
      <figcaption>
        Loss over steps
        <ExportButtons box={box} name="loss" />
      </figcaption>
      <div className="plot-box" ref={box}>
        <svg ref={svg} role="img" aria-label="Loss against step for every run" />
      </div>
    </figure>
  );
}
