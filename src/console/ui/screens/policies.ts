import { h, header, link, replace, select, field, table, when } from '../dom.js';
import { listAll } from '../iam.js';

/** IAM › Policies: customer managed by default, AWS managed on request. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const scope = params.get('scope') ?? 'Local';
  const policies = await listAll('ListPolicies', { Scope: scope }, 'Policies');
  const type = select([['Local', 'Customer managed'], ['AWS', 'AWS managed'], ['All', 'All types']], {
    onchange: (e: Event) => { location.hash = `#/policies?scope=${(e.currentTarget as HTMLSelectElement).value}`; },
  });
  type.value = scope;
  replace(root,
    header('Policies', h('a', { class: 'button primary', href: '#/create-policy' }, 'Create policy')),
    field('Filter by type', type),
    table(policies, [
      { label: 'Policy name', value: (p: any) => link('policy', { arn: p.Arn }, p.PolicyName) },
      { label: 'Type', value: (p: any) => (p.Arn.startsWith('arn:aws:iam::aws:') ? 'AWS managed' : 'Customer managed') },
      { label: 'Attached entities', value: (p: any) => String(p.AttachmentCount ?? 0) },
      { label: 'Default version', value: (p: any) => p.DefaultVersionId },
      { label: 'Created', value: (p: any) => when(p.CreateDate) },
    ], `Policies (${policies.length})`));
}
