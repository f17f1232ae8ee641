import type { Provider } from '../../gateway/context.js';
import { operations as users } from './users.js';
import { operations as groups } from './groups.js';
import { operations as accessKeys } from './access-keys.js';
import { operations as loginProfiles } from './login-profiles.js';
import { operations as tags } from './tags.js';
import { operations as account } from './account.js';
import { operations as policies } from './policies.js';
import { operations as attachments } from './attachments.js';
import { operations as inlinePolicies } from './inline-policies.js';
import { operations as roles } from './roles.js';
import { operations as boundaries } from './boundaries.js';
import { operations as simulate } from './simulate.js';

/** IAM (awsQuery): one table of operations, each a function of (input, ctx). */
export const iamProvider: Provider = {
  model: 'iam',
  operations: {
    ...users, ...groups, ...accessKeys, ...loginProfiles, ...tags, ...account,
    ...policies, ...attachments, ...inlinePolicies, ...roles, ...boundaries, ...simulate,
  },
};
