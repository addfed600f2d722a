/**
 * The plots' type scale: 1 on the page, larger in presentation mode, where styles.css sets
 * `--plot-type-scale` on `.app.present` (and the tick and axis-title sizes that go with it).
 * The margins around each plot area grow with it so the larger labels fit.
 */
export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Read once per element and size (a computed-style read per animation frame would force style work). */
const cache = new WeakMap<Element, { key: string; scale: number }>();

/** The type scale in effect for `el` (1 when the property is unset or not a positive number). */
export function typeScale(el: Element, width: number, height: number): number {
  const key = `${width}x${height}`;
  const hit = cache.get(el);
  if (hit && hit.key === key) return hit.scale;
  const v = Number.parseFloat(getComputedStyle(el).getPropertyValue('--plot-type-scale'));
  const scale = Number.isFinite(v) && v > 0 ? v : 1;
  cache.set(el, { key, scale });
  return scale;
}

/** `m` grown for type scale `k` (the left margin a little more: it holds tick labels and a title). */
export function scaledMargin(m: Margin, k: number): Margin {
  if (k === 1) return m;
  return {
    top: Math.round(m.top * k),
    right: Math.round(m.right * k),
    bottom: Math.round(m.bottom * k),
    left: Math.round(m.left * k * 1.1),
  };
}
