// Amazon Personalize → Dataset groups: the list, "Create dataset group" and delete.
import { field, h, header, input, link, select, table, when } from '../dom.js';
import { compact, createForm, deleteButton, listAll, pz, section, statusCell } from '../personalize/common.js';
import { keepDrawn, settled } from '../personalize/live.js';

export async function render(root: HTMLElement, _params: URLSearchParams): Promise<void> {
  const listPanel = h('div', { 'aria-live': 'polite' });
  const draw = () => keepDrawn(listPanel, () => listAll('ListDatasetGroups', 'datasetGroups'), (groups) => {
    listPanel.replaceChildren(table(groups, [
      { label: 'Name', value: (g) => link('personalize-dataset-group', { group: g.datasetGroupArn }, g.name) },
      { label: 'Domain', value: (g) => g.domain ?? 'Custom' },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (g) => when(g.creationDateTime) },
      { label: 'Actions', value: (g) => deleteButton(listPanel, `dataset group ${g.name}`, () => pz('DeleteDatasetGroup', { datasetGroupArn: g.datasetGroupArn }), draw) },
    ], 'Dataset groups'));
    return groups.some((g) => !settled(g.status));
  });

  const name = input({ name: 'name', required: true, autocomplete: 'off', pattern: '[a-zA-Z0-9][a-zA-Z0-9_\\-]*', maxlength: 63 });
  const domain = select([['', 'None (custom)'], ['ECOMMERCE', 'E-commerce'], ['VIDEO_ON_DEMAND', 'Video on demand']], { name: 'domain' });
  const kmsKeyArn = input({ name: 'kmsKeyArn', autocomplete: 'off', placeholder: 'arn:aws:kms:us-east-1:111122223333:key/…' });
  const roleArn = input({ name: 'roleArn', autocomplete: 'off', placeholder: 'arn:aws:iam::111122223333:role/…' });
  const form = createForm('Create dataset group', 'Create dataset group', [
    field('Dataset group name', name, 'Up to 63 letters, digits, hyphens and underscores.'),
    field('Domain', domain, 'A domain dataset group offers recommenders for its use cases.'),
    field('KMS key ARN (optional)', kmsKeyArn, 'Encrypts the imported data. Requires an IAM service role.'),
    field('IAM service role ARN (optional)', roleArn, 'A role Amazon Personalize assumes to use the KMS key.'),
  ], () => pz('CreateDatasetGroup', compact({ name: name.value.trim(), domain: domain.value, kmsKeyArn: kmsKeyArn.value.trim(), roleArn: roleArn.value.trim() })), draw);

  root.replaceChildren(
    header('Dataset groups'),
    h('p', null, 'A dataset group holds the datasets, solutions, campaigns, recommenders, filters and event trackers of one use case.'),
    section('Your dataset groups', listPanel),
    form,
  );
  await draw();
}
