// One dataset group (`#/personalize-dataset-group?group=…`): its overview, schemas and datasets,
// import jobs and event tracker.
import { h, when, type Child } from '../dom.js';
import { arnName, describedGroup, pz, section, statusCell } from '../personalize/common.js';
import { datasetsPanel } from '../personalize/datasets-panel.js';
import { importsPanel } from '../personalize/imports-panel.js';
import { trackersPanel } from '../personalize/trackers-panel.js';
import { keepDrawn, settled } from '../personalize/live.js';

const row = (term: string, value: Child) => [h('dt', null, term), h('dd', null, value || '—')];

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const arn = params.get('group');
  const group = await describedGroup(root, arn, 'personalize-dataset-group', arn ? `Dataset group: ${arnName(arn)}` : 'Dataset group');
  if (!group) return;
  const datasetGroupArn = arn!;

  const overview = h('dl', { class: 'panel details', 'aria-live': 'polite' });
  const drawOverview = () => keepDrawn(overview, async () => (await pz('DescribeDatasetGroup', { datasetGroupArn })).datasetGroup, (g) => {
    overview.replaceChildren(...[
      row('Status', statusCell(g)),
      row('Domain', g.domain ?? 'Custom'),
      row('Dataset group ARN', h('code', null, g.datasetGroupArn)),
      row('IAM service role', g.roleArn),
      row('KMS key', g.kmsKeyArn),
      row('Created', when(g.creationDateTime)),
    ].flat());
    return !settled(g.status);
  });

  const imports = importsPanel(group);
  const datasets = datasetsPanel(group, () => imports.draw());
  const trackers = trackersPanel(datasetGroupArn);
  root.append(section('Overview', overview), datasets.el, imports.el, trackers.el);
  await Promise.all([drawOverview(), datasets.draw(), imports.draw(), trackers.draw()]);
}
