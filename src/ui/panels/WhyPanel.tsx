/**
 * A scene's "Why?" panel: its key equations (KaTeX), what the plots show, and the papers
 * to read (state/scene-why.ts). A modal dialog: Escape or the Close button closes it.
 */
import { useEffect, useRef } from 'react';
import type { Scene } from '../../state/scenes';
import { sceneWhy } from '../../state/scene-why';
import { Tex, TexText } from '../math/Tex';

export function WhyPanel({ scene, onClose }: { scene: Scene; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const why = sceneWhy[scene.id];
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  if (!why) return null;
  const titleId = `why-title-${scene.id}`;
  return (
    <dialog ref={ref} className="why-panel" aria-labelledby={titleId} onClose={onClose} data-scene={scene.id}>
      <h2 id={titleId}>Why? {scene.title}</h2>
      {why.equations.map((tex, i) => (
        <Tex key={i} tex={tex} display />
      ))}
      <ul className="why-lines">
        {why.lines.map((line, i) => (
          <li key={i}>
            <TexText text={line} />
          </li>
        ))}
      </ul>
      <p className="why-read">
        Read:{' '}
        {why.papers.map((p, i) => (
          <span key={p.arxiv}>
            {i > 0 ? '; ' : ''}
            {p.authors ? `${p.authors}, ` : ''}
            {p.quoted === false ? p.title : `“${p.title}”`},{' '}
            <a href={`https://arxiv.org/abs/${p.arxiv}`} target="_blank" rel="noreferrer">
              arXiv {p.arxiv}
            </a>
          </span>
        ))}
        .
      </p>
      <p className="hint">In the repository: docs/theory.md {why.theory}.</p>
      <button type="button" className="small" onClick={() => ref.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
