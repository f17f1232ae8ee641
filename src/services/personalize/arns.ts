// ARN formats of Personalize's resources (the IAM resource types' ARNs).
import type { App } from '../../app.js';

/** Resource types whose ARN is `…:<type>/<name>` in the caller's region and account. */
export type ResourceType =
  | 'dataset-group' | 'schema' | 'dataset' | 'dataset-import-job' | 'dataset-export-job' | 'data-deletion-job'
  | 'solution' | 'campaign' | 'recommender' | 'filter' | 'event-tracker' | 'metric-attribution'
  | 'batch-inference-job' | 'batch-segment-job';

export interface Where {
  region: string;
  accountId: string;
}

/** Where a request acts, with the app whose store holds the resources. */
export type Scope = Where & { app: App };

/** The start of every regional ARN in the caller's region and account. */
export const regionalPrefix = (where: Where): string => `arn:aws:personalize:${where.region}:${where.accountId}:`;

export const arnOf = (where: Where, type: ResourceType, name: string): string =>
  `arn:aws:personalize:${where.region}:${where.accountId}:${type}/${name}`;

/** Datasets are named by their group and upper-cased type: `dataset/<group>/INTERACTIONS`. */
export const datasetArnOf = (where: Where, groupName: string, datasetType: string): string =>
  arnOf(where, 'dataset', `${groupName}/${datasetType.toUpperCase()}`);

/** Solution versions live under their solution: `solution/<name>/<8 hex>`. */
export const solutionVersionArnOf = (solutionArn: string, versionId: string): string => `${solutionArn}/${versionId}`;

/** Recipes, algorithms and feature transformations are global: `arn:aws:personalize:::recipe/<name>`. */
export const globalArn = (type: 'recipe' | 'algorithm' | 'feature-transformation', name: string): string =>
  `arn:aws:personalize:::${type}/${name}`;

/** The resource type of a Personalize ARN (`solution` for a solution version), or undefined. */
export function typeOfArn(arn: string): string | undefined {
  const m = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:([a-z-]+)\//.exec(arn);
  return m?.[1];
}

/** The ARN of the solution a solution version belongs to. */
export const solutionOfVersion = (versionArn: string): string => versionArn.slice(0, versionArn.lastIndexOf('/'));
