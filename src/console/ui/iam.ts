import { call, list } from './api.js';
import { h, button, field, input, link, replace, run, select, table, showNotice } from './dom.js';

/** Every page of an IAM list operation (Marker / IsTruncated), up to a sane bound. */
export async function listAll<T = any>(operation: string, input: Record<string, unknown>, member: string, max = 2000): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const page = await call('iam', operation, { ...input, ...(marker ? { Marker: marker } : {}) });
    out.push(...list<T>(page[member]));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker && out.length < max);
  return out;
}

export type Entity = 'User' | 'Group' | 'Role';

const policyRoute = (arn: string) => link('policy', { arn }, arn.split('/').pop()!);

/**
 * "Permissions policies" of a user, group or role: the attached managed policies with Detach, and
 * "Attach policies" to pick more (filterable, customer managed first).
 */
export async function permissionsPanel(root: HTMLElement, entity: Entity, name: string): Promise<HTMLElement> {
  const panel = h('section', { class: 'panel', 'aria-labelledby': `perm-${entity}` });
  const nameKey = `${entity}Name`;
  async function draw() {
    const attached = await listAll(`ListAttached${entity}Policies`, { [nameKey]: name }, 'AttachedPolicies');
    replace(panel,
      h('h2', { id: `perm-${entity}` }, 'Permissions policies'),
      table(attached, [
        { label: 'Policy name', value: (p: any) => policyRoute(p.PolicyArn) },
        { label: 'Policy ARN', value: (p: any) => p.PolicyArn },
        { label: 'Actions', value: (p: any) => button('Detach', async (e) => {
          const ok = await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', `Detach${entity}Policy`, { [nameKey]: name, PolicyArn: p.PolicyArn }));
          if (ok) { await draw(); showNotice(root, `Detached ${p.PolicyName}.`); }
        }, { 'aria-label': `Detach ${p.PolicyName}` }) },
      ], `Policies attached to ${name}`),
      policyChooser(root, (arns) => Promise.all(arns.map((arn) => call('iam', `Attach${entity}Policy`, { [nameKey]: name, PolicyArn: arn }))).then(draw)).element);
  }
  await draw();
  return panel;
}

/**
 * The "Attach policies" chooser: a filter, a scope, checkboxes labelled by policy name, and (given
 * `attach`) the button; flows that attach later (Create role) read `chosen()`.
 */
export function policyChooser(root: HTMLElement, attach?: (arns: string[]) => Promise<unknown>): { element: HTMLElement; chosen(): string[] } {
  const box = h('div', { class: 'attach' });
  const filter = input({ type: 'search', placeholder: 'Filter by policy name' });
  const scope = select([['Local', 'Customer managed'], ['AWS', 'AWS managed'], ['All', 'All types']]);
  const results = h('fieldset', null);
  let policies: any[] = [];
  const chosen = new Set<string>();
  const drawList = () => {
    const q = filter.value.toLowerCase();
    const shown = policies.filter((p) => p.PolicyName.toLowerCase().includes(q)).slice(0, 50);
    replace(results, h('legend', null, 'Permissions policies'), shown.length ? shown.map((p) => h('label', { class: 'radio' },
      h('input', { type: 'checkbox', value: p.Arn, checked: chosen.has(p.Arn), onchange: (e: Event) => {
        const c = e.currentTarget as HTMLInputElement;
        if (c.checked) chosen.add(p.Arn); else chosen.delete(p.Arn);
      } }), ' ', p.PolicyName)) : h('p', null, 'No policies match.'));
  };
  const load = async () => {
    policies = await listAll('ListPolicies', { Scope: scope.value, OnlyAttached: false }, 'Policies');
    drawList();
  };
  filter.addEventListener('input', drawList);
  scope.addEventListener('change', () => void run(root, null, load));
  void run(root, null, load);
  replace(box, h('h3', null, 'Attach policies'), field('Filter policies', filter), field('Policy type', scope), results,
    attach && button('Attach policies', async (e) => {
      const n = chosen.size;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => attach([...chosen]))) {
        showNotice(root, `Attached ${n} ${n === 1 ? 'policy' : 'policies'}.`);
        chosen.clear();
      }
    }, { class: 'primary' }));
  return { element: box, chosen: () => [...chosen] };
}
