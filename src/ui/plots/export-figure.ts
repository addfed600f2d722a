/**
 * Export a plot as SVG or PNG. A plot is an SVG over an optional canvas (the heatmap):
 * the SVG export embeds the canvas as an image under the vector layers; the PNG export
 * rasterises both at twice the screen resolution.
 */

/** Self-contained SVG text of a plot box (canvas + svg). */
export function plotSvg(box: HTMLElement): string | null {
  const svg = box.querySelector('svg');
  if (!svg) return null;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('font-family', 'DejaVu Sans, Helvetica, Arial, sans-serif');
  clone.querySelectorAll('.hover-tip, .hover-area').forEach((n) => n.remove());
  const canvas = box.querySelector('canvas');
  if (canvas && canvas.width > 0) {
    const img = document.createElementNS('http://www.w3.org/2000/svg', 'image');
    img.setAttribute('href', canvas.toDataURL('image/png'));
    img.setAttribute('x', '0');
    img.setAttribute('y', '0');
    img.setAttribute('width', svg.getAttribute('width') ?? String(canvas.clientWidth));
    img.setAttribute('height', svg.getAttribute('height') ?? String(canvas.clientHeight));
    clone.insertBefore(img, clone.firstChild);
  }
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', 'white');
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** PNG blob of a plot box. */
export async function plotPng(box: HTMLElement, scale = 2): Promise<Blob | null> {
  const text = plotSvg(box);
  const svg = box.querySelector('svg');
  if (!text || !svg) return null;
  const width = Number(svg.getAttribute('width')) || svg.clientWidth;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight;
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const out = document.createElement('canvas');
    out.width = Math.round(width * scale);
    out.height = Math.round(height * scale);
    const ctx = out.getContext('2d');
    if (!ctx) return null;
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, width, height);
    return await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offer a file to the user. */
export function download(name: string, data: Blob | string, type = 'application/octet-stream'): void {
  const blob = typeof data === 'string' ? new Blob([data], { type }) : data;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
