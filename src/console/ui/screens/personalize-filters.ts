// Filters and event trackers of a dataset group (`#/personalize-filters?group=…`): "Create filter"
// with an expression (AWS's message when the expression is refused), status, delete; the event tracker.
import { field, h, input, table, textarea, when } from '../dom.js';
import { createForm, deleteButton, describeAll, groupScreen, listAll, pz, section, statusCell } from '../personalize/common.js';
import { keepDrawn, settled } from '../personalize/live.js';
import { trackersPanel } from '../personalize/trackers-panel.js';

export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const datasetGroupArn = params.get('group');
  if (!await groupScreen(root, datasetGroupArn, 'personalize-filters', 'Filters and event trackers')) return;
  const listPanel = h('div', { 'aria-live': 'polite' });
  const load = async () => {
    const summaries = await listAll('ListFilters', 'Filters', { datasetGroupArn });
    // The expression is only in the full description.
    return describeAll('DescribeFilter', 'filter', summaries.map((f) => ({ filterArn: f.filterArn })));
  };
  const draw = () => keepDrawn(listPanel, load, (filters) => {
    listPanel.replaceChildren(table(filters, [
      { label: 'Filter name', value: (f) => f.name },
      { label: 'Filter expression', value: (f) => h('code', null, f.filterExpression ?? '') },
      { label: 'Status', value: statusCell },
      { label: 'Created', value: (f) => when(f.creationDateTime) },
      { label: 'Actions', value: (f) => deleteButton(listPanel, `filter ${f.name}`, () => pz('DeleteFilter', { filterArn: f.filterArn }), draw) },
    ], 'Filters', 'No filters yet.'));
    return filters.some((f) => !settled(f.status));
  });
  const name = input({ name: 'filterName', required: true, autocomplete: 'off' });
  const expression = textarea({ name: 'filterExpression', rows: 3, required: true, maxlength: 2500 });
  const form = createForm('Create filter', 'Create filter', [
    field('Filter name', name),
    field('Filter expression', expression,
      'For example: EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase"), or INCLUDE ItemID WHERE Items.GENRES IN ($GENRES).'),
  ], () => pz('CreateFilter', { name: name.value.trim(), datasetGroupArn, filterExpression: expression.value.trim() }), draw);
  const trackers = trackersPanel(datasetGroupArn!);
  root.append(section('Filters', listPanel, form), trackers.el);
  await Promise.all([draw(), trackers.draw()]);
}
