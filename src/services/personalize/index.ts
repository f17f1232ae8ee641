import type { Provider } from '../../gateway/context.js';
import { operations as datasetGroups } from './dataset-groups.js';
import { operations as tags } from './tags.js';

export { startPersonalize } from './lifecycle.js';

/** Amazon Personalize control plane (awsJson1_1, AmazonPersonalize). */
export const personalizeProvider: Provider = {
  model: 'personalize',
  operations: { ...datasetGroups, ...tags },
};
