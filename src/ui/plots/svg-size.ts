/** Every plot's SVG is sized in CSS pixels with a matching viewBox (so exports keep the layout). */
import * as d3 from 'd3';

/** Size `svgEl` to width × height and return it as a d3 selection. */
export function sizedSvg(svgEl: SVGSVGElement, width: number, height: number) {
  return d3
    .select(svgEl)
    .attr('width', width)
    .attr('height', height)
    .attr('viewBox', `0 0 ${width} ${height}`);
}
