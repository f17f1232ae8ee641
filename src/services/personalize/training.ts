// Training on a dataset group's interactions, shared by solution versions and recommenders. The
// user-personalization and personalized-ranking recipes train through the training engine; every
// other recipe trains popularity-count. The model is a file, encrypted under the group's KMS key
// when it has one.
import { Worker } from 'node:worker_threads';
import type { App } from '../../app.js';
import { KIND, type DatasetGroupDoc } from './schema.js';
import { datasetArnOf } from './arns.js';
import { readData, readFile, writeFile, type FileRef } from './data-store.js';
import { groupKeys } from './keys.js';
import { WorkFailure } from './lifecycle.js';
import { selectRows, trainPopularity, type PopularityModel, type TrainOptions } from './popularity.js';
import { whereOf } from './service-role.js';
import { NULL_CODE } from './table.js';
import { fromColumns, loadModel as loadEngineModel, type Interactions, type Model } from '../../training/index.js';

/** Recipes the training engine trains (the rest, for now, train popularity-count). */
const ENGINE_RECIPES = new Set(['aws-user-personalization', 'aws-user-personalization-v2', 'aws-personalized-ranking', 'aws-personalized-ranking-v2']);

/** A served model: the popularity order (every recipe has it), and the engine's model when trained. */
export interface ServedModel extends PopularityModel {
  /** The engine model, which knows items by index only, with its ITEM_ID dictionary. */
  engine?: { model: Model; itemIds: string[] };
}

// File layout of an engine-trained model: magic, header length (u32 LE), the JSON header (the
// popularity model and the ITEM_ID dictionary), then the engine artifact. Popularity-only models
// are plain JSON (they start with '{').
const MAGIC = Buffer.from('TLRM');

function group(app: App, groupArn: string): DatasetGroupDoc {
  const g = app.store.get<DatasetGroupDoc>(KIND.datasetGroup, groupArn);
  if (!g) throw new WorkFailure(`Dataset group ${groupArn} no longer exists.`);
  return g;
}

/** What the training worker posts back. */
export type TrainReply = { model: Uint8Array; metrics: Record<string, number> } | { error: string };

/** Trains on a worker thread, so the request loop keeps serving while the CPU works. */
function trainOffThread(recipe: string, data: Interactions): Promise<{ model: Uint8Array; metrics: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./training-worker.js', import.meta.url), { workerData: { recipe, data } });
    worker.once('message', (m: TrainReply) => {
      if ('error' in m) reject(new WorkFailure(`Training failed: ${m.error}`));
      else resolve(m);
    });
    worker.once('error', reject);
    // After a reply this changes nothing; without one the worker died.
    worker.once('exit', (code) => reject(new Error(`training worker exited with code ${code}`)));
  });
}

function interactionsOf(app: App, groupArn: string) {
  const g = group(app, groupArn);
  const keys = groupKeys(app, g);
  const table = readData(app, datasetArnOf(whereOf(groupArn), g.name, 'Interactions'), keys);
  if (!table) throw new WorkFailure(`Dataset group ${groupArn} has no interactions data. Import interactions before training.`);
  return { table, keys };
}

/** Trains popularity-count on the group's interactions. */
export function train(app: App, groupArn: string, opts: TrainOptions): { model: FileRef; metrics: Record<string, number> } {
  const { table, keys } = interactionsOf(app, groupArn);
  const { model, metrics } = trainPopularity(table, opts);
  return { model: writeFile(app, Buffer.from(JSON.stringify(model)), keys), metrics };
}

/** Trains `recipe` through the training engine when it is one the engine trains, else popularity-count. */
export async function trainRecipe(app: App, groupArn: string, opts: TrainOptions, recipe: string | undefined): Promise<{ model: FileRef; metrics: Record<string, number> }> {
  if (recipe === undefined || !ENGINE_RECIPES.has(recipe)) return train(app, groupArn, opts);
  const { table, keys } = interactionsOf(app, groupArn);
  // Popularity checks Personalize's minimums and gives the order cold users are served in.
  const popular = trainPopularity(table, opts).model;
  const col = (name: string) => table.columns.find((c) => c.name === name)!;
  const users = col('USER_ID');
  const items = col('ITEM_ID');
  const data = fromColumns({
    users: users.codes!, items: items.codes!, times: col('TIMESTAMP').numbers!,
    nUsers: users.dict!.length, nItems: items.dict!.length, rows: selectRows(table, opts), nullCode: NULL_CODE,
  });
  const { model, metrics } = await trainOffThread(recipe, data);
  const header = Buffer.from(JSON.stringify({ ...popular, itemIds: items.dict }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  return { model: writeFile(app, Buffer.concat([MAGIC, len, header, model]), keys), metrics };
}

/** A trained model, for serving (opens the group's KMS key as its role when the group has one). */
export function loadModel(app: App, groupArn: string, ref: FileRef): ServedModel {
  const buf = readFile(app, ref, groupKeys(app, group(app, groupArn)));
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) return JSON.parse(buf.toString('utf8')) as PopularityModel;
  const end = MAGIC.length + 4 + buf.readUInt32LE(MAGIC.length);
  const { itemIds, ...popular } = JSON.parse(buf.subarray(MAGIC.length + 4, end).toString('utf8')) as PopularityModel & { itemIds: string[] };
  return { ...popular, engine: { model: loadEngineModel(buf.subarray(end)), itemIds } };
}

/** eventValueThreshold arrives as text in solutionConfig. */
export function trainOptions(eventType: string | undefined, config: Record<string, unknown> | undefined): TrainOptions {
  const threshold = config?.eventValueThreshold;
  return { eventType, eventValueThreshold: typeof threshold === 'string' && threshold !== '' ? Number(threshold) : undefined };
}
