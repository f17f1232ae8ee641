// Worker-thread side of training: decodes the group's tables, checks Personalize's minimums and
// counts popularity, builds the engine's interactions and side data, trains (tuning first when
// HPO is on, or folding the data into the previous model for an UPDATE) and posts back the model
// file and its metrics. Started by trainRecipe (training.ts).
import { workerData } from 'node:worker_threads';
import { fromColumns, loadModel, trainSolution, type Interactions } from '../../training/index.js';
import { encodeArtifact } from '../../training/artifact.js';
import { updateModel } from '../../training/update.js';
import { toSequences } from '../../training/data.js';
import { tuneHyperparameters, type HpoConfig } from '../../training/hpo.js';
import { within } from '../../training/progress.js';
import type { Field } from './avro.js';
import { decodeModelFile, encodeModelFile } from './model-file.js';
import { selectRows, trainPopularity, type PopularityModel, type TrainOptions } from './popularity.js';
import { buildSideData, type SideTables } from './side-data.js';
import { IdIndex } from './id-index.js';
import { decodeTable, filterRows, NULL_CODE, type Table } from './table.js';
import { asBuffer, workerMain } from './workers.js';

export interface TrainJob {
  /** The engine recipe, or undefined to count popularity only. */
  recipe?: string;
  options: TrainOptions;
  params: Record<string, number>;
  /** Encoded tables (table.ts); interactions are Action_Interactions for actions. */
  interactions?: Uint8Array;
  /** The column interactions name their items by (ACTION_ID for actions). */
  itemField: 'ITEM_ID' | 'ACTION_ID';
  items?: { table: Uint8Array; fields: Field[] };
  users?: { table: Uint8Array; fields: Field[] };
  /** performHPO: the solution's hpoConfig, searched before the final training. */
  hpo?: HpoConfig;
  /** The model file an UPDATE builds on. */
  previous?: Uint8Array;
}

export interface TrainResult {
  model: Uint8Array;
  /** None for an update (it keeps those of the full training it builds on). */
  metrics?: Record<string, number>;
  /** With HPO: the hyperparameters chosen, as Personalize reports them (text). */
  tuned?: Record<string, string>;
}

/** The tuned values of the parameters the user named (ranged or fixed), as text. */
function tunedParams(hpo: HpoConfig, fixed: Record<string, number>, chosen: Record<string, number>): Record<string, string> {
  const r = hpo.algorithmHyperParameterRanges ?? {};
  const named = new Set([
    ...Object.keys(fixed),
    ...[...(r.integerHyperParameterRanges ?? []), ...(r.continuousHyperParameterRanges ?? []), ...(r.categoricalHyperParameterRanges ?? [])].map((x) => x.name ?? ''),
  ]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(chosen)) if (named.has(k)) out[k] = String(Number(v.toPrecision(6)));
  return out;
}

/** Action interactions as interactions: ACTION_ID is the item, and actions not taken are no signal. */
function asItemInteractions(t: Table, itemField: string): Table {
  if (itemField === 'ITEM_ID') return t;
  const type = t.columns.find((c) => c.name === 'EVENT_TYPE');
  const notTaken = new Set((type?.dict ?? []).flatMap((v, code) => (v.toLowerCase() === 'not taken' ? [code] : [])));
  const kept = notTaken.size ? filterRows(t, (r) => !notTaken.has(type!.codes![r])) : t;
  return { ...kept, columns: kept.columns.map((c) => (c.name === itemField ? { ...c, name: 'ITEM_ID' } : c)) };
}

const NO_POPULARITY: { model: PopularityModel; metrics: Record<string, number> } = { model: { recipe: 'aws-popularity-count', items: [], counts: [] }, metrics: {} };

/** The rows the solution trains on, with items and users as engine indexes. */
function engineInteractions(t: Table | undefined, options: TrainOptions, items: IdIndex, users: IdIndex) {
  if (!t) return () => fromColumns({ users: new Uint32Array(0), items: new Uint32Array(0), times: new Float64Array(0), nUsers: 0, nItems: items.size });
  const col = (name: string) => t.columns.find((c) => c.name === name)!;
  const userCol = col('USER_ID');
  const itemCol = col('ITEM_ID');
  const userOf = users.codes(userCol.dict!);
  const itemOf = items.codes(itemCol.dict!);
  const remap = (codes: Uint32Array, to: Int32Array) => codes.map((c) => (c === NULL_CODE ? NULL_CODE : to[c]));
  const rows = selectRows(t, options);
  const userCodes = remap(userCol.codes!, userOf);
  const itemCodes = remap(itemCol.codes!, itemOf);
  // Built once the catalogue is complete (side data may add items only the Items data knows).
  return (): Interactions => fromColumns({
    users: userCodes, items: itemCodes, times: col('TIMESTAMP').numbers!, nUsers: users.size, nItems: items.size, rows, nullCode: NULL_CODE,
  });
}

function train(job: TrainJob, progress: (phase: string, fraction: number) => void): TrainResult {
  progress('preparing', 0);
  const ix = job.interactions && asItemInteractions(decodeTable(asBuffer(job.interactions)), job.itemField);
  // Popularity checks Personalize's minimums and gives the order cold users are served in.
  const popular = ix ? trainPopularity(ix, job.options) : NO_POPULARITY;
  if (!job.recipe) return { model: encodeModelFile(popular.model), metrics: popular.metrics };
  const previous = job.previous ? decodeModelFile(asBuffer(job.previous)).engine : undefined;
  // An UPDATE keeps the previous model's user and item indexes and appends new ones after them.
  const items = new IdIndex(previous?.header.itemIds);
  const users = new IdIndex(previous?.header.userIds);
  const interactions = engineInteractions(ix, job.options, items, users);
  const tables: SideTables = {
    items: job.items && { table: decodeTable(asBuffer(job.items.table)), fields: job.items.fields, idField: job.itemField },
    users: job.users && { table: decodeTable(asBuffer(job.users.table)), fields: job.users.fields },
  };
  const side = buildSideData(tables, items, users);
  let last = { phase: '', fraction: -1 };
  side.onProgress = (phase, fraction) => {
    // Posting every step would flood the parent; a percent is resolution enough.
    if (phase === last.phase && fraction - last.fraction < 0.01) return;
    last = { phase, fraction };
    progress(phase, fraction);
  };
  const data = interactions();
  const file = (artifact: Uint8Array) => encodeModelFile(popular.model, { itemIds: items.ids, userIds: users.ids, artifact });
  if (previous) {
    // An UPDATE folds the new data into the previous model (which retrains where its kind has no
    // cheaper update).
    const updated = updateModel(loadModel(previous.artifact), toSequences(data), side);
    progress('saving', 1);
    return { model: file(encodeArtifact(updated.toArtifact())) };
  }
  let params = job.params;
  let tuned: Record<string, string> | undefined;
  if (job.hpo) {
    // The search takes the first half of the job; the final training (with metrics) the second.
    params = tuneHyperparameters(job.recipe, toSequences(data), job.hpo, within(side, 0, 0.5), job.params).params;
    tuned = tunedParams(job.hpo, job.params, params);
  }
  const trained = trainSolution(job.recipe, data, params, undefined, job.hpo ? within(side, 0.5, 1) : side);
  progress('saving', 1);
  return { model: file(trained.model), metrics: trained.metrics, tuned };
}

void workerMain<TrainResult>((progress) => train(workerData as TrainJob, progress));
