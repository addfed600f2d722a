/**
 * TeX rendered with KaTeX (HTML for the eye, MathML for screen readers). Display
 * equations with `Tex`, prose with inline `$…$` math with `TexText`. KaTeX's CSS and its
 * fonts are bundled by vite (the CSP allows same-origin and data: fonts).
 */
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useLayoutEffect, useRef } from 'react';

const options = (display: boolean) =>
  ({ displayMode: display, throwOnError: false, output: 'htmlAndMathml' }) as const;

/** KaTeX writes into the element itself (katex.render), so React never handles markup strings. */
export function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  const div = useRef<HTMLDivElement>(null);
  const span = useRef<HTMLSpanElement>(null);
  useLayoutEffect(() => {
    const el = display ? div.current : span.current;
    if (el) katex.render(tex, el, options(display));
  }, [tex, display]);
  return display ? <div className="tex-display" ref={div} /> : <span className="tex-inline" ref={span} />;
}

/** Text with inline math between single dollars. */
export function TexText({ text }: { text: string }) {
  const parts = text.split('$');
  return <>{parts.map((p, i) => (i % 2 === 1 ? <Tex key={i} tex={p} /> : p))}</>;
}

/** A "What is this?" disclosure: one paragraph with its formula, closed until asked. */
export function WhatIsThis({ formula, text }: { formula: string; text: string }) {
  return (
    <details className="what-is-this">
      <summary>What is this?</summary>
      <Tex tex={formula} display />
      <p>
        <TexText text={text} />
      </p>
    </details>
  );
}
