// A solution version's offline metrics (GetSolutionMetrics): the chart, and the same numbers as a table.
import { h, replace, showError, table } from '../dom.js';
import { arnName, pz } from './common.js';
import { formatMetric, metricsChart } from './chart.js';

/** A figure without the browser's default side margins, which a phone cannot spare (CSSOM: the CSP allows no style attributes). */
function figure(chart: SVGElement, caption: string): HTMLElement {
  const f = h('figure', null, chart, h('figcaption', null, caption));
  f.style.margin = '1rem 0';
  return f;
}

export async function showMetrics(region: HTMLElement, solutionVersionArn: string): Promise<void> {
  const title = `Solution metrics: ${arnName(solutionVersionArn.split('/').slice(-2, -1)[0])} version ${arnName(solutionVersionArn)}`;
  replace(region, h('h2', { id: 'metrics-title', tabindex: '-1' }, title), h('p', null, 'Loading metrics…'));
  try {
    const { metrics = {} } = await pz<{ metrics?: Record<string, number> }>('GetSolutionMetrics', { solutionVersionArn });
    const rows = Object.entries(metrics).sort(([a], [b]) => a.localeCompare(b));
    replace(region,
      h('h2', { id: 'metrics-title', tabindex: '-1' }, title),
      rows.length
        ? [figure(metricsChart(metrics, title), 'Each bar is a metric between 0 and 1; higher is better.'),
          table(rows, [{ label: 'Metric', value: ([k]) => k }, { label: 'Value', value: ([, v]) => formatMetric(v) }], 'Metric values')]
        : h('p', null, 'This solution version has no metrics.'));
  } catch (e) {
    showError(region, e);
  }
  (region.querySelector('h2') as HTMLElement | null)?.focus();
}
