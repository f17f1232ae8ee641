import { call, list } from '../api.js';
import { h, header, replace, table, when, button, run, showNotice, pretty, badge } from '../dom.js';
import { policyEditor, policyText } from '../policy-editor.js';

/** One managed policy: its versions (view any, set default, delete), the default document, a new version, attachments. */
export async function render(root: HTMLElement, params: URLSearchParams): Promise<void> {
  const arn = params.get('arn') ?? '';
  const { Policy: p } = await call('iam', 'GetPolicy', { PolicyArn: arn });
  const versions = list(await call('iam', 'ListPolicyVersions', { PolicyArn: arn }).then((r) => r.Versions));
  const shown = params.get('version') ?? p.DefaultVersionId;
  const { PolicyVersion: v } = await call('iam', 'GetPolicyVersion', { PolicyArn: arn, VersionId: shown });
  const entities = await call('iam', 'ListEntitiesForPolicy', { PolicyArn: arn });
  const customer = !arn.startsWith('arn:aws:iam::aws:');
  const redraw = () => render(root, params);
  const attachedTo = [
    ...list(entities.PolicyUsers).map((u: any) => ['User', u.UserName]),
    ...list(entities.PolicyGroups).map((g: any) => ['Group', g.GroupName]),
    ...list(entities.PolicyRoles).map((r: any) => ['Role', r.RoleName]),
  ];
  const editor = policyEditor('Policy editor', 'identity', pretty(policyText(v.Document)));
  replace(root,
    header(p.PolicyName, customer && button('Delete', async (e) => {
      if (!confirm(`Delete policy ${p.PolicyName}?`)) return;
      if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeletePolicy', { PolicyArn: arn }))) location.hash = '#/policies';
    })),
    h('dl', null, h('dt', null, 'Policy ARN'), h('dd', null, h('code', null, arn)),
      h('dt', null, 'Description'), h('dd', null, p.Description || '—'), h('dt', null, 'Created'), h('dd', null, when(p.CreateDate))),
    h('h2', null, `Policy document — version ${v.VersionId}`, v.IsDefaultVersion ? ' (default)' : ''),
    h('pre', { tabindex: '0', 'aria-label': `Policy document version ${v.VersionId}` }, pretty(policyText(v.Document))),
    table(versions, [
      { label: 'Version', value: (x: any) => h('a', { href: `#/policy?${new URLSearchParams({ arn, version: x.VersionId })}` }, x.VersionId) },
      { label: 'Default', value: (x: any) => (x.IsDefaultVersion ? badge('Default') : '') },
      { label: 'Created', value: (x: any) => when(x.CreateDate) },
      { label: 'Actions', value: (x: any) => customer && !x.IsDefaultVersion ? [
        button('Set as default', async (e) => { if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'SetDefaultPolicyVersion', { PolicyArn: arn, VersionId: x.VersionId }))) await redraw(); }, { 'aria-label': `Set ${x.VersionId} as default` }),
        ' ',
        button('Delete', async (e) => { if (await run(root, e.currentTarget as HTMLButtonElement, () => call('iam', 'DeletePolicyVersion', { PolicyArn: arn, VersionId: x.VersionId }))) await redraw(); }, { 'aria-label': `Delete version ${x.VersionId}` }),
      ] : '' },
    ], 'Policy versions'),
    table(attachedTo, [{ label: 'Entity type', value: (x) => x[0] }, { label: 'Name', value: (x) => x[1] }], 'Entities attached'),
    customer && h('section', { class: 'panel' }, h('h2', null, 'Edit policy'), editor.element,
      button('Save changes', async (e) => {
        const ok = await run(root, e.currentTarget as HTMLButtonElement,
          () => call('iam', 'CreatePolicyVersion', { PolicyArn: arn, PolicyDocument: editor.textarea.value, SetAsDefault: true }));
        if (ok) { await redraw(); showNotice(root, 'Saved a new default version.'); }
      }, { class: 'primary' })));
}
