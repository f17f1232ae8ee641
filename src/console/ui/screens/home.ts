import { h, header, link, replace } from '../dom.js';
import { session } from '../api.js';

export async function render(root: HTMLElement): Promise<void> {
  const s = session();
  replace(root,
    header('Console home'),
    h('p', null, 'Signed in as ', h('code', null, s.principalArn), ' in account ', h('code', null, s.accountId), '.'),
    h('p', null, 'Every page calls the same AWS APIs as the CLI and SDKs, with this session\'s credentials, so it is allowed exactly what the API allows.'),
    h('ul', { class: 'cards' },
      h('li', null, link('policies', null, 'IAM policies'), ' — create and view customer managed policies'),
      h('li', null, link('roles', null, 'IAM roles'), ' — a role Amazon Personalize can assume'),
      h('li', null, link('buckets', null, 'S3 buckets'), ' — upload training data'),
      h('li', null, link('keys', null, 'KMS keys'), ' — keys and key policies'),
      h('li', null, link('personalize-dataset-groups', null, 'Amazon Personalize'), ' — datasets, solutions, campaigns'),
      h('li', null, link('setup-assistant', null, 'Setup assistant'), ' — check the whole permission setup')));
}
