/** "SVG" and "PNG" buttons for one plot. */
import type { RefObject } from 'react';
import { download, plotPng, plotSvg } from './export-figure';
import { useHidden } from '../lab-context';

export function ExportButtons({ box, name }: { box: RefObject<HTMLElement | null>; name: string }) {
  const hidden = useHidden('share');
  if (hidden) return null;
  return (
    <span className="export-buttons">
      <button
        type="button"
        className="small"
        aria-label={`Download ${name} as SVG`}
        onClick={() => {
          const text = box.current ? plotSvg(box.current) : null;
          if (text) download(`${name}.svg`, text, 'image/svg+xml');
        }}
      >
        SVG
      </button>
      <button
        type="button"
        className="small"
        aria-label={`Download ${name} as PNG`}
        onClick={() => {
          if (box.current)
            void plotPng(box.current).then((blob) => {
              if (blob) download(`${name}.png`, blob);
            });
        }}
      >
        PNG
      </button>
    </span>
  );
}
