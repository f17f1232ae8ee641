/**
 * How Personalize's resources are kept in the metadata store. Every document is stored under its
 * ARN in the shape DescribeX returns (the serialiser sends only modelled members, so internal
 * fields may sit beside them). Dates are ISO-8601 strings.
 */
export const KIND = {
  datasetGroup: 'personalize.dataset-group',
  schema: 'personalize.schema',
  dataset: 'personalize.dataset',
  importJob: 'personalize.dataset-import-job',
  eventTracker: 'personalize.event-tracker',
  filter: 'personalize.filter',
  solution: 'personalize.solution',
  solutionVersion: 'personalize.solution-version',
  campaign: 'personalize.campaign',
  recommender: 'personalize.recommender',
  metricAttribution: 'personalize.metric-attribution',
  exportJob: 'personalize.dataset-export-job',
  dataDeletionJob: 'personalize.data-deletion-job',
  batchInferenceJob: 'personalize.batch-inference-job',
  batchSegmentJob: 'personalize.batch-segment-job',
  /** id: resource ARN; value: Tag[] */
  tags: 'personalize.tags',
  /** A dataset's imported data (data-store.ts); id: dataset ARN. */
  data: 'personalize.data',
  /** Resources whose status still has to move (lifecycle.ts); id: resource ARN. */
  task: 'personalize.task',
  /** An update of a campaign, recommender or solution on its way (updates.ts); id: `${resource ARN}#update`. */
  update: 'personalize.update',
} as const;

export type Kind = (typeof KIND)[keyof typeof KIND];

export interface Tag {
  tagKey: string;
  tagValue: string;
}

/** Members every resource with a lifecycle has. */
export interface Lifecycle {
  name: string;
  status: string;
  failureReason?: string;
  creationDateTime: string;
  lastUpdatedDateTime: string;
}

export interface DatasetGroupDoc extends Lifecycle {
  datasetGroupArn: string;
  roleArn?: string;
  kmsKeyArn?: string;
  domain?: string;
}

export interface SchemaDoc {
  name: string;
  schemaArn: string;
  schema: string;
  domain?: string;
  creationDateTime: string;
  lastUpdatedDateTime: string;
}

export interface DatasetDoc extends Lifecycle {
  datasetArn: string;
  datasetGroupArn: string;
  datasetType: string;
  schemaArn: string;
  trackingId?: string;
  latestDatasetUpdate?: { schemaArn: string; status: string; failureReason?: string; creationDateTime: string; lastUpdatedDateTime: string };
}

export interface ImportJobDoc extends Lifecycle {
  jobName: string;
  datasetImportJobArn: string;
  datasetArn: string;
  dataSource: { dataLocation: string };
  roleArn?: string;
  importMode: 'FULL' | 'INCREMENTAL';
  publishAttributionMetricsToS3?: boolean;
}

export interface EventTrackerDoc extends Lifecycle {
  eventTrackerArn: string;
  accountId: string;
  trackingId: string;
  datasetGroupArn: string;
}

export interface FilterDoc extends Lifecycle {
  filterArn: string;
  datasetGroupArn: string;
  filterExpression: string;
}

export interface SolutionDoc extends Lifecycle {
  solutionArn: string;
  datasetGroupArn: string;
  recipeArn?: string;
  performHPO: boolean;
  performAutoML: boolean;
  performAutoTraining: boolean;
  performIncrementalUpdate?: boolean;
  eventType?: string;
  solutionConfig?: Record<string, unknown>;
}

export interface SolutionVersionDoc extends Lifecycle {
  solutionVersionArn: string;
  solutionArn: string;
  datasetGroupArn: string;
  recipeArn?: string;
  performHPO: boolean;
  performAutoML: boolean;
  eventType?: string;
  solutionConfig?: Record<string, unknown>;
  trainingMode: string;
  trainingType: 'MANUAL' | 'AUTOMATIC';
  trainingHours?: number;
  /** Metrics computed when training finished (GetSolutionMetrics). */
  metrics?: Record<string, number>;
  /** The trained model's file (data-store.ts). */
  model?: { file: string; sealedKey?: string };
  /** With performHPO: the hyperparameters the search chose, as DescribeSolutionVersion returns them. */
  tunedHPOParams?: { algorithmHyperParameters: Record<string, string> };
  /** Where training is (not an AWS member: kept for the console). */
  trainingProgress?: { phase: string; percent: number };
}

export interface CampaignDoc extends Lifecycle {
  campaignArn: string;
  solutionVersionArn: string;
  minProvisionedTPS: number;
  campaignConfig?: Record<string, unknown>;
}

export interface RecommenderDoc extends Lifecycle {
  recommenderArn: string;
  datasetGroupArn: string;
  recipeArn: string;
  recommenderConfig?: Record<string, unknown>;
  modelMetrics?: Record<string, number>;
  model?: { file: string; sealedKey?: string };
}

export interface MetricAttributionDoc extends Lifecycle {
  metricAttributionArn: string;
  datasetGroupArn: string;
  metricsOutputConfig: { s3DataDestination?: { path: string; kmsKeyArn?: string }; roleArn: string };
  metrics: { eventType: string; metricName: string; expression: string }[];
}

/** Members every job a role runs against S3 has. */
export interface S3JobDoc extends Lifecycle {
  jobName: string;
  roleArn: string;
}
