// Solution metrics as an inline SVG bar chart. The chart is an image with a text alternative; the
// same numbers sit in a table beside it, so a screen reader or a narrow screen reads them exactly.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Metrics Personalize reports as fractions (0–1) are drawn on one scale; counts would dwarf them. */
const fraction = (v: number) => v >= 0 && v <= 1;

export const formatMetric = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(4));

/** Charts on the page so far: each names its own title element. */
let charts = 0;

/**
 * A horizontal bar per metric, scaled 0–1 (AWS's metrics are fractions; other values are listed in
 * the table only). The page's stylesheet lets a chart shrink to a narrow screen; labels sit above their bars.
 */
export function metricsChart(metrics: Record<string, number>, title: string): SVGElement {
  const rows = Object.entries(metrics).filter(([, v]) => fraction(v)).sort(([a], [b]) => a.localeCompare(b));
  // Narrow enough that a phone shrinks it little: the longest metric name still fits above its bar.
  const width = 400;
  const bar = 12;
  const step = 38;
  const height = rows.length * step + 10;
  const id = `metrics-chart-${++charts}`;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': id, width, height, class: 'chart metrics-chart' });
  root.append(svg('title', { id }, `${title}: ${rows.map(([k, v]) => `${k} ${formatMetric(v)}`).join(', ')}`));
  rows.forEach(([name, value], i) => {
    const y = i * step + 4;
    const g = svg('g', { 'data-metric': name });
    g.append(svg('text', { x: 0, y: y + 11, 'font-size': 14, fill: 'currentColor' }, `${name}  ${formatMetric(value)}`));
    g.append(svg('rect', { x: 0, y: y + 16, width: width, height: bar, fill: '#e9ebed' }));
    g.append(svg('rect', { x: 0, y: y + 16, width: Math.max(1, value * width), height: bar, fill: '#0972d3' }));
    root.append(g);
  });
  return root;
}
