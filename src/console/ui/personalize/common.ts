// What every Personalize screen shares: calls, paging, the dataset group's tabs, status cells and
// the "Create …" form pattern (a real <form>, so Enter submits and the keyboard reaches every field).
import { call, list } from '../api.js';
import { badge, button, h, header, link, run, showError, showNotice, table, type Child } from '../dom.js';

export const pz = <T = any>(operation: string, input: Record<string, unknown> = {}): Promise<T> => call<T>('personalize', operation, input);

/** Every page of a List* call (`key` is the result member: `datasetGroups`, `Filters`, …). */
export async function listAll<T = any>(operation: string, key: string, input: Record<string, unknown> = {}): Promise<T[]> {
  const out: T[] = [];
  let nextToken: string | undefined;
  do {
    const page = await pz(operation, { ...input, maxResults: 100, ...(nextToken ? { nextToken } : {}) });
    out.push(...list<T>(page[key]));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/**
 * A read about a resource found by a List call a moment ago, or `gone` if it has been deleted since
 * (deletes finish in the background, so a list and the reads after it can disagree).
 */
export async function unlessGone<T, G>(read: Promise<T>, gone: G): Promise<T | G> {
  try {
    return await read;
  } catch (e) {
    if ((e as { code?: string }).code === 'ResourceNotFoundException') return gone;
    throw e;
  }
}

/** Full descriptions of listed resources (`key` is the member: `campaign`, `filter`, …), leaving out any deleted meanwhile. */
export async function describeAll<T = any>(operation: string, key: string, inputs: Record<string, unknown>[]): Promise<T[]> {
  const found = await Promise.all(inputs.map((input) => unlessGone(pz(operation, input).then((r) => r[key] as T), undefined)));
  return found.filter((x): x is Awaited<T> => x !== undefined) as T[];
}

/** The last path part of an ARN (`…:dataset-group/movies` → movies). */
export const arnName = (arn: string | undefined) => String(arn ?? '').split('/').pop() ?? '';

/** The screens of one dataset group, as AWS's console lists them in its navigation pane. */
const TABS: [route: string, label: string][] = [
  ['personalize-dataset-group', 'Datasets'],
  ['personalize-solutions', 'Solutions and recipes'],
  ['personalize-campaigns', 'Campaigns and recommenders'],
  ['personalize-filters', 'Filters and event trackers'],
  ['personalize-test', 'Test'],
];

export function groupNav(groupArn: string, current: string): HTMLElement {
  return h('nav', { 'aria-label': `Dataset group ${arnName(groupArn)}`, class: 'tabs' },
    h('ul', { class: 'actions' },
      h('li', null, link('personalize-dataset-groups', null, 'All dataset groups')),
      TABS.map(([route, label]) => {
        const a = link(route, { group: groupArn }, label);
        if (route === current) a.setAttribute('aria-current', 'page');
        return h('li', null, a);
      })));
}

/**
 * A screen of one dataset group: its header and tabs. Without a group in the route (the side
 * navigation's link) it lists the dataset groups to choose from and resolves false.
 */
export async function groupScreen(root: HTMLElement, groupArn: string | null, route: string, title: string): Promise<boolean> {
  root.replaceChildren(header(title));
  if (groupArn) {
    if (route !== 'personalize-dataset-group') root.append(h('p', null, 'Dataset group: ', link('personalize-dataset-group', { group: groupArn }, arnName(groupArn))));
    root.append(groupNav(groupArn, route));
    return true;
  }
  try {
    const groups = await listAll('ListDatasetGroups', 'datasetGroups');
    root.append(table(groups, [
      { label: 'Dataset group', value: (g) => link(route, { group: g.datasetGroupArn }, g.name) },
      { label: 'Domain', value: (g) => g.domain ?? 'Custom' },
      { label: 'Status', value: statusCell },
    ], 'Choose a dataset group', 'No dataset groups yet: create one under Dataset groups.'));
  } catch (e) {
    showError(root, e);
  }
  return false;
}

/** groupScreen, then the chosen group described: undefined when the screen shows a chooser or an error instead. */
export async function describedGroup(root: HTMLElement, groupArn: string | null, route: string, title: string): Promise<any> {
  if (!await groupScreen(root, groupArn, route, title)) return undefined;
  try {
    return (await pz('DescribeDatasetGroup', { datasetGroupArn: groupArn })).datasetGroup;
  } catch (e) {
    showError(root, e);
    return undefined;
  }
}

/** Status as AWS shows it, with the failure reason beside a failed one. */
export function statusCell(r: { status?: string; failureReason?: string }): Child {
  return [badge(r.status), r.failureReason ? h('p', { class: 'failure-reason' }, r.failureReason) : null];
}

/** A part of a screen that draws itself once it is on the page (and again while what it shows moves). */
export interface Panel {
  el: HTMLElement;
  draw(): Promise<void>;
}

/** A titled section of a screen (an h2 names it for screen readers' heading lists). */
export function section(title: string, ...kids: Child[]): HTMLElement {
  const id = `section-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), kids);
}

/**
 * A "Create …" form: fields, then a submit button. On success the form resets, a notice says so and
 * `done` redraws; on failure AWS's message shows above the form, and the fields keep what was typed.
 */
export function createForm(title: string, submitLabel: string, fields: Child[], submit: () => Promise<unknown>, done: () => unknown): HTMLFormElement {
  const submitBtn = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form: HTMLFormElement = h('form', {
    class: 'create-form', 'aria-label': title,
    onsubmit: async (e: Event) => {
      e.preventDefault();
      if (await run(form, submitBtn, submit)) {
        form.reset();
        showNotice(form, `${title}: request accepted.`);
        await done();
      }
    },
  }, h('h3', null, title), fields, h('div', { class: 'actions' }, submitBtn));
  return form;
}

/**
 * A Delete button in a list `panel` that asks first (window.confirm is keyboard-operable and announced).
 * A refusal (say, the resource is in use) shows beside the panel, where redrawing the list keeps it.
 */
export function deleteButton(panel: Element, what: string, remove: () => Promise<unknown>, done: () => unknown): HTMLButtonElement {
  const btn: HTMLButtonElement = button('Delete', async () => {
    if (!confirm(`Delete ${what}?`)) return;
    if (await run(panel.parentElement ?? panel, btn, remove)) await done();
  }, { 'aria-label': `Delete ${what}` });
  return btn;
}

/** Optional inputs are left out of a request rather than sent empty (AWS validates empty strings). */
export function compact(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== '' && v !== undefined));
}
