// A dataset group's schemas and datasets: "Create schema" from Avro JSON (checked as you type, and
// AWS's own validation message when the service refuses it) and "Create dataset".
import { field, h, input, select, table, textarea, when } from '../dom.js';
import { createForm, deleteButton, listAll, pz, section, statusCell, type Panel } from './common.js';
import { keepDrawn, settled } from './live.js';

export const DATASET_TYPES = ['Interactions', 'Items', 'Users', 'Actions', 'Action_Interactions'];

const EXAMPLE = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
  version: '1.0',
}, null, 2);

/** What is wrong with an Avro schema's JSON before it is sent, or undefined (the service checks the rest). */
export function avroProblem(text: string): string | undefined {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'The schema must be a JSON object.';
  if (doc.type !== 'record') return 'The schema\'s "type" must be "record".';
  if (!Array.isArray(doc.fields) || doc.fields.length === 0) return 'The schema needs a "fields" array.';
  const bad = doc.fields.findIndex((f: any) => !f || typeof f.name !== 'string' || f.type === undefined);
  if (bad >= 0) return `Field ${bad + 1} needs a "name" and a "type".`;
  return undefined;
}

export interface Group {
  datasetGroupArn: string;
  domain?: string;
}

/** Draws the panel; `changed` tells sibling panels (imports) that the datasets changed. */
export function datasetsPanel(group: Group, changed: () => unknown): Panel {
  const listPanel = h('div', { 'aria-live': 'polite' });
  const schemaSelect = select([], { name: 'schemaArn', required: true });
  const draw = () => keepDrawn(listPanel, () => Promise.all([
    listAll('ListDatasets', 'datasets', { datasetGroupArn: group.datasetGroupArn }),
    listAll('ListSchemas', 'schemas'),
  ]), ([datasets, schemas]) => {
    const chosen = schemaSelect.value;
    schemaSelect.replaceChildren(...schemas.map((s) => h('option', { value: s.schemaArn }, s.name)));
    if (chosen) schemaSelect.value = chosen;
    listPanel.replaceChildren(
      table(datasets, [
        { label: 'Dataset name', value: (d) => d.name },
        { label: 'Dataset type', value: (d) => d.datasetType },
        { label: 'Status', value: statusCell },
        { label: 'Created', value: (d) => when(d.creationDateTime) },
        { label: 'Actions', value: (d) => deleteButton(listPanel, `dataset ${d.name}`, () => pz('DeleteDataset', { datasetArn: d.datasetArn }), refresh) },
      ], 'Datasets', 'No datasets yet: create a schema, then a dataset.'),
      table(schemas, [
        { label: 'Schema name', value: (s) => s.name },
        { label: 'Domain', value: (s) => s.domain ?? 'Custom' },
        { label: 'Created', value: (s) => when(s.creationDateTime) },
      ], 'Schemas'),
    );
    return datasets.some((d) => !settled(d.status));
  });
  const refresh = async () => {
    await draw();
    await changed();
  };

  const schemaName = input({ name: 'schemaName', required: true, autocomplete: 'off' });
  const schemaJson = textarea({ name: 'schema', required: true, 'aria-invalid': 'false' });
  // The example is the default: a reset after a create puts it back for the next schema.
  schemaJson.defaultValue = EXAMPLE;
  const problem = h('p', { class: 'validation bad', role: 'status' });
  const check = () => {
    const p = avroProblem(schemaJson.value);
    problem.textContent = p ?? '';
    schemaJson.setAttribute('aria-invalid', p ? 'true' : 'false');
    return p;
  };
  schemaJson.addEventListener('input', check);
  const schemaForm = createForm('Create schema', 'Create schema', [
    field('Schema name', schemaName),
    field('Schema definition (Avro JSON)', schemaJson, 'A record schema: one field per column of your data.'),
    problem,
  ], async () => {
    const p = check();
    if (p) throw new Error(p);
    await pz('CreateSchema', { name: schemaName.value.trim(), schema: schemaJson.value, ...(group.domain ? { domain: group.domain } : {}) });
  }, draw);
  schemaForm.addEventListener('reset', () => queueMicrotask(check));

  const datasetName = input({ name: 'datasetName', required: true, autocomplete: 'off' });
  const datasetType = select(DATASET_TYPES, { name: 'datasetType' });
  const datasetForm = createForm('Create dataset', 'Create dataset', [
    field('Dataset type', datasetType),
    field('Dataset name', datasetName),
    field('Schema', schemaSelect, 'The schema whose fields match the data you will import.'),
  ], () => pz('CreateDataset', {
    name: datasetName.value.trim(), datasetType: datasetType.value, schemaArn: schemaSelect.value, datasetGroupArn: group.datasetGroupArn,
  }), refresh);

  return { el: section('Schemas and datasets', listPanel, h('div', { class: 'forms' }, schemaForm, datasetForm)), draw };
}
