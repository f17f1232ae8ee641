// A dataset group's import jobs: "Create dataset import job" from an s3:// path with a service role,
// and each job's status read again until it settles (ACTIVE, or CREATE FAILED with its reason).
import { field, h, input, select, table, when } from '../dom.js';
import { compact, createForm, listAll, pz, section, statusCell, unlessGone, type Panel } from './common.js';
import { keepDrawn, settled } from './live.js';
import type { Group } from './datasets-panel.js';

export function importsPanel(group: Group & { roleArn?: string }): Panel {
  const listPanel = h('div', { 'aria-live': 'polite' });
  const dataset = select([], { name: 'datasetArn', required: true });
  const load = async () => {
    const datasets = await listAll('ListDatasets', 'datasets', { datasetGroupArn: group.datasetGroupArn });
    const jobs = await Promise.all(datasets.map(async (d) =>
      (await unlessGone(listAll('ListDatasetImportJobs', 'datasetImportJobs', { datasetArn: d.datasetArn }), [])).map((j) => ({ ...j, dataset: d.name }))));
    return { datasets, jobs: jobs.flat().sort((a, b) => Number(b.creationDateTime) - Number(a.creationDateTime)) };
  };
  const draw = () => keepDrawn(listPanel, load, ({ datasets, jobs }) => {
    const chosen = dataset.value;
    dataset.replaceChildren(...datasets.map((d) => h('option', { value: d.datasetArn }, `${d.name} (${d.datasetType})`)));
    if (chosen) dataset.value = chosen;
    listPanel.replaceChildren(table(jobs, [
      { label: 'Job name', value: (j) => j.jobName },
      { label: 'Dataset', value: (j) => j.dataset },
      { label: 'Import mode', value: (j) => j.importMode ?? 'FULL' },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (j) => when(j.creationDateTime) },
      { label: 'Last updated', value: (j) => when(j.lastUpdatedDateTime) },
    ], 'Dataset import jobs', 'No import jobs yet.'));
    return jobs.some((j) => !settled(j.status));
  });

  const jobName = input({ name: 'jobName', required: true, autocomplete: 'off' });
  const location = input({ name: 'dataLocation', required: true, autocomplete: 'off', placeholder: 's3://bucket-name/folder-name/file.csv', pattern: 's3://.+' });
  const roleArn = input({ name: 'roleArn', autocomplete: 'off', placeholder: 'arn:aws:iam::111122223333:role/…' });
  roleArn.defaultValue = group.roleArn ?? '';
  const mode = select([['FULL', 'Replace existing data (FULL)'], ['INCREMENTAL', 'Append to existing data (INCREMENTAL)']], { name: 'importMode' });
  const form = createForm('Create dataset import job', 'Start import', [
    field('Dataset', dataset),
    field('Dataset import job name', jobName),
    field('Data location', location, 'The S3 path of a CSV file, or of a folder of CSV files.'),
    field('IAM service role ARN', roleArn, 'A role Amazon Personalize assumes to read the bucket.'),
    field('Import mode', mode),
  ], () => {
    // The role stays for the next job (the form resets to defaults): it is the same role nearly every time.
    roleArn.defaultValue = roleArn.value;
    return pz('CreateDatasetImportJob', compact({
      jobName: jobName.value.trim(), datasetArn: dataset.value, dataSource: { dataLocation: location.value.trim() },
      roleArn: roleArn.value.trim(), importMode: mode.value,
    }));
  }, draw);

  return { el: section('Import jobs', listPanel, form), draw };
}

