// Training on a dataset group's data, shared by solution versions and recommenders. Every recipe
// the training engine knows trains through it, with the group's Items and Users data as side data
// (Actions and Action_Interactions for next-best-action); any other recipe trains popularity-count.
// The data is what was imported plus what the events API recorded before the training started
// (the worker reads the latter from the events journal, recorded-data.ts).
// The work runs on a worker thread; the model is a file, encrypted under the group's KMS key when
// it has one.
import { existsSync, statSync } from 'node:fs';
import type { App } from '../../app.js';
import { KIND, type DatasetDoc, type DatasetGroupDoc, type SchemaDoc } from './schema.js';
import { datasetArnOf } from './arns.js';
import { dataOf, readFile, writeFile, type FileRef, type KeyKeeper } from './data-store.js';
import { groupKeys } from './keys.js';
import { WorkFailure } from './lifecycle.js';
import type { PopularityModel, TrainOptions } from './popularity.js';
import { whereOf } from './service-role.js';
import { parseSchema } from './avro.js';
import { decodeModelFile } from './model-file.js';
import { asBuffer, offThread } from './workers.js';
import type { HpoConfig } from '../../training/hpo.js';
import type { TrainJob, TrainResult } from './training-worker.js';
import { loadModel as loadEngineModel, RECIPES, type Model } from '../../training/index.js';
import { groupKey } from '../personalize-events/live.js';
import { groupKeyLines } from '../personalize-events/journal-read.js';
import { journalPath } from '../personalize-events/journal.js';
import type { RecordedSource } from './recorded-data.js';

/** A served model: the popularity order (every recipe has it), and the engine's model when trained. */
export interface ServedModel extends PopularityModel {
  /** The engine model, which knows items (and users) by index only, with its dictionaries. */
  engine?: { model: Model; itemIds: string[]; userIds?: string[] };
}

function group(app: App, groupArn: string): DatasetGroupDoc {
  const g = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
  if (!g) throw new WorkFailure(`Dataset group ${groupArn} no longer exists.`);
  return g;
}

/** The fields of a group's dataset of `type`, or undefined when it has none. */
export function datasetFields(app: App, g: DatasetGroupDoc, type: string) {
  const ds = app.store.get<DatasetDoc>(KIND.dataset, datasetArnOf(whereOf(g.datasetGroupArn), g.name, type));
  const schema = ds && app.store.get<SchemaDoc>(KIND.schema, ds.schemaArn);
  return schema && parseSchema(schema.schema);
}

/** A dataset's imported table (still encoded) and its schema's fields, or undefined before its first import. */
export function datasetData(app: App, g: DatasetGroupDoc, type: string, keys: KeyKeeper | undefined) {
  const data = dataOf(app, datasetArnOf(whereOf(g.datasetGroupArn), g.name, type));
  const fields = datasetFields(app, g, type);
  if (!data || !fields) return undefined;
  return { table: new Uint8Array(readFile(app, data, keys)), fields };
}

export interface TrainRequest {
  /** The resource trained for (StopSolutionVersionCreation stops its worker by this ARN). */
  arn: string;
  /** A recipe name; one the engine does not know trains popularity-count. */
  recipe: string | undefined;
  options: TrainOptions;
  params?: Record<string, number>;
  /** performHPO: the solution's hpoConfig. */
  hpo?: HpoConfig;
  /** The model an UPDATE folds the new data into. */
  previous?: FileRef;
  onProgress?: (phase: string, fraction: number) => void;
}

/**
 * The part of the events journal a training reads: its length now (records that arrive later are
 * the next training's) and, for a KMS-keyed group, the group's data keys in it, opened through KMS
 * as the group's role.
 */
async function recordedSource(app: App, g: DatasetGroupDoc, keys: KeyKeeper | undefined): Promise<RecordedSource | undefined> {
  const at = groupKey(app, g.datasetGroupArn);
  const path = journalPath(app.config.dataDir);
  const length = existsSync(path) ? statSync(path).size : 0;
  if (at === undefined || length === 0) return undefined;
  const sealed = keys ? await groupKeyLines(path, length, at) : new Map<string, string>();
  return { path, length, g: at, keys: [...sealed].map(([id, k]) => [id, new Uint8Array(keys!.open(Buffer.from(k, 'base64')))]) };
}

/** Trains on a worker thread and stores the model file. */
export async function trainRecipe(app: App, groupArn: string, req: TrainRequest): Promise<{ model: FileRef; metrics?: Record<string, number>; tuned?: Record<string, string> }> {
  const g = group(app, groupArn);
  const keys = groupKeys(app, g);
  const engine = req.recipe !== undefined && RECIPES.has(req.recipe);
  const actions = req.recipe === 'aws-next-best-action';
  // Each dataset as imported (the table absent before its first import) with its schema's fields.
  const dataset = (type: string) => {
    const fields = datasetFields(app, g, type);
    return fields && { table: datasetData(app, g, type, keys)?.table, fields };
  };
  const job: TrainJob = {
    groupArn,
    recipe: engine ? req.recipe : undefined,
    options: req.options,
    params: req.params ?? {},
    hpo: engine ? req.hpo : undefined,
    interactions: dataset(actions ? 'Action_Interactions' : 'Interactions'),
    itemField: actions ? 'ACTION_ID' : 'ITEM_ID',
    items: engine ? dataset(actions ? 'Actions' : 'Items') : undefined,
    users: engine && !actions ? dataset('Users') : undefined,
    recorded: await recordedSource(app, g, keys),
    previous: engine && req.previous ? new Uint8Array(readFile(app, req.previous, keys)) : undefined,
  };
  const { model, metrics, tuned } = await offThread<TrainResult>({ arn: req.arn, script: './training-worker.js', data: job, onProgress: req.onProgress });
  return { model: writeFile(app, asBuffer(model), keys), metrics, tuned };
}

/** A trained model file's bytes (opened through the group's KMS key when it has one). */
export const readModelFile = (app: App, groupArn: string, ref: FileRef): Buffer => readFile(app, ref, groupKeys(app, group(app, groupArn)));

/** A trained model, for serving. */
export function loadModel(app: App, groupArn: string, ref: FileRef): ServedModel {
  const { popular, engine } = decodeModelFile(readModelFile(app, groupArn, ref));
  if (!engine) return popular;
  return { ...popular, engine: { model: loadEngineModel(engine.artifact), itemIds: engine.header.itemIds, userIds: engine.header.userIds } };
}

/** Personalize's hyperparameters arrive as text; the engine takes numbers (booleans as 0/1). */
export function numericParams(params: Record<string, unknown> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    const n = v === 'true' ? 1 : v === 'false' ? 0 : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/** eventValueThreshold arrives as text in solutionConfig. */
export function trainOptions(eventType: string | undefined, config: Record<string, unknown> | undefined): TrainOptions {
  const threshold = config?.eventValueThreshold;
  return { eventType, eventValueThreshold: typeof threshold === 'string' && threshold !== '' ? Number(threshold) : undefined };
}
