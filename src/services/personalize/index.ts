import type { Provider } from '../../gateway/context.js';
import { operations as datasetGroups } from './dataset-groups.js';
import { operations as schemas } from './schemas.js';
import { operations as datasets } from './datasets.js';
import { operations as eventTrackers } from './event-trackers.js';
import { operations as filters } from './filters.js';
import { operations as recipes } from './recipes.js';
import { operations as importJobs } from './import-jobs.js';
import { operations as solutions } from './solutions.js';
import { operations as solutionVersions } from './solution-versions.js';
import { operations as campaigns } from './campaigns.js';
import { operations as recommenders } from './recommenders.js';
import { operations as metricAttributions } from './metric-attributions.js';
import { operations as exportJobs } from './export-jobs.js';
import { operations as dataDeletionJobs } from './data-deletion-jobs.js';
import { operations as batchJobs } from './batch-jobs.js';
import { operations as tags } from './tags.js';

export { startPersonalize } from './start.js';
export { campaignModel, recommenderModel, type Served } from './serving.js';

/** Amazon Personalize control plane (awsJson1_1, AmazonPersonalize). */
export const personalizeProvider: Provider = {
  model: 'personalize',
  operations: { ...datasetGroups, ...schemas, ...datasets, ...eventTrackers, ...filters, ...recipes, ...importJobs, ...solutions, ...solutionVersions, ...campaigns, ...recommenders,
    ...metricAttributions, ...exportJobs, ...dataDeletionJobs, ...batchJobs, ...tags },
};
