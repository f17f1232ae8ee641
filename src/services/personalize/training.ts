// Training on a dataset group's interactions, shared by solution versions and recommenders. Every
// recipe trains popularity-count for now (the recipe interface replaces this); the model is a file,
// encrypted under the group's KMS key when it has one.
import type { App } from '../../app.js';
import { KIND, type DatasetGroupDoc } from './schema.js';
import { datasetArnOf } from './arns.js';
import { readData, readFile, writeFile, type FileRef } from './data-store.js';
import { groupKeys } from './keys.js';
import { WorkFailure } from './lifecycle.js';
import { trainPopularity, type PopularityModel, type TrainOptions } from './popularity.js';
import { whereOf } from './service-role.js';

function group(app: App, groupArn: string): DatasetGroupDoc {
  const g = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
  if (!g) throw new WorkFailure(`Dataset group ${groupArn} no longer exists.`);
  return g;
}

export function train(app: App, groupArn: string, opts: TrainOptions): { model: FileRef; metrics: Record<string, number> } {
  const g = group(app, groupArn);
  const keys = groupKeys(app, g);
  const interactions = datasetArnOf(whereOf(groupArn), g.name, 'Interactions');
  const table = readData(app, interactions, keys);
  if (!table) throw new WorkFailure(`Dataset group ${groupArn} has no interactions data. Import interactions before training.`);
  const { model, metrics } = trainPopularity(table, opts);
  return { model: writeFile(app, Buffer.from(JSON.stringify(model)), keys), metrics };
}

/** A trained model, for serving (opens the group's KMS key as its role when the group has one). */
export function loadModel(app: App, groupArn: string, ref: FileRef): PopularityModel {
  return JSON.parse(readFile(app, ref, groupKeys(app, group(app, groupArn))).toString('utf8')) as PopularityModel;
}

/** eventValueThreshold arrives as text in solutionConfig. */
export function trainOptions(eventType: string | undefined, config: Record<string, unknown> | undefined): TrainOptions {
  const threshold = config?.eventValueThreshold;
  return { eventType, eventValueThreshold: typeof threshold === 'string' && threshold !== '' ? Number(threshold) : undefined };
}
