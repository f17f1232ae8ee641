// Worker-thread side of training: decodes the group's tables, checks Personalize's minimums and
// counts popularity, builds the engine's interactions and side data, trains (tuning first when
// HPO is on, or folding the data into the previous model for an UPDATE) and posts back the model
// file and its metrics (USER_SEGMENTATION recipes are measured on their own split, with their own
// metrics). Started by trainRecipe (training.ts).
import { workerData } from 'node:worker_threads';
import { fromColumns, loadModel, trainSolution, type Interactions } from '../../training/index.js';
import { encodeArtifact } from '../../training/artifact.js';
import { updateModel } from '../../training/update.js';
import { toSequences, type Sequences, type SideData } from '../../training/data.js';
import { tuneHyperparameters, type HpoConfig } from '../../training/hpo.js';
import { within } from '../../training/progress.js';
import { segmentationSplit, segmentMetrics } from '../../training/metrics.js';
import { serializeModel, trainModel } from '../../training/registry.js';
import { itemsPerToken } from '../../training/models/affinity.js';
import type { ActionSideData } from '../../training/models/next-best-action.js';
import { recipeNamed } from './recipe-data.js';
import type { Field } from './avro.js';
import { decodeModelFile, encodeModelFile } from './model-file.js';
import { selectRows, trainPopularity, type PopularityModel, type TrainOptions } from './popularity.js';
import { buildSideData, type SideTables } from './side-data.js';
import { IdIndex } from './id-index.js';
import { decodeTable, filterRows, NULL_CODE, type Table } from './table.js';
import { asBuffer, workerMain } from './workers.js';
import { WorkFailure } from './lifecycle.js';
import { appendRows, overlayRecords, readRecorded, type RecordedSource } from './recorded-data.js';

/** A dataset: its schema's fields, and its imported table (encoded, table.ts) after its first import. */
export interface DatasetInput {
  table?: Uint8Array;
  fields: Field[];
}

export interface TrainJob {
  groupArn: string;
  /** The engine recipe, or undefined to count popularity only. */
  recipe?: string;
  options: TrainOptions;
  params: Record<string, number>;
  /** Interactions, Action_Interactions for actions; absent without the dataset. */
  interactions?: DatasetInput;
  /** The column interactions name their items by (ACTION_ID for actions). */
  itemField: 'ITEM_ID' | 'ACTION_ID';
  items?: DatasetInput;
  users?: DatasetInput;
  /** Where the events API's records of the group are (none recorded: absent). */
  recorded?: RecordedSource;
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

/** An action event type however spelled ("NOT_TAKEN", "Not taken"): lower case, words joined by '_'. */
const eventKind = (v: string) => v.trim().toLowerCase().replace(/[\s_-]+/g, '_');
/** Action event types that show an action without taking it: declined (Not Taken) or only seen (Viewed). */
const SHOWN = new Set(['not_taken', 'viewed']);

/**
 * Action interactions as interactions: ACTION_ID is the item, the TAKEN rows are the interactions
 * and the NOT_TAKEN and VIEWED rows come apart as `shown` (the model's exposures without a take).
 * Item interactions pass as they are.
 */
function asItemInteractions(t: Table, itemField: string): { taken: Table; shown?: Table } {
  if (itemField === 'ITEM_ID') return { taken: t };
  const renamed = { ...t, columns: t.columns.map((c) => (c.name === itemField ? { ...c, name: 'ITEM_ID' } : c)) };
  const type = t.columns.find((c) => c.name === 'EVENT_TYPE');
  const shownCode = Uint8Array.from(type?.dict ?? [], (v) => (SHOWN.has(eventKind(v)) ? 1 : 0));
  if (!shownCode.includes(1)) return { taken: renamed };
  const isShown = (r: number) => type!.codes![r] !== NULL_CODE && shownCode[type!.codes![r]] === 1;
  return { taken: filterRows(renamed, (r) => !isShown(r)), shown: filterRows(renamed, isShown) };
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

/**
 * USER_SEGMENTATION recipes: the metrics on Personalize's split for them (each user's newest 20%
 * held out), asked for every item or, for item-attribute affinity, every attribute value; then the
 * model on everything.
 */
function trainSegments(recipe: string, seq: Sequences, params: Record<string, number>, side: SideData): { model: Uint8Array; metrics: Record<string, number> } {
  const split = segmentationSplit(seq);
  const measured = trainModel(recipe, split.train, params, within(side, 0, 0.4, 'metrics'));
  const queries = recipe === 'aws-item-attribute-affinity' ? itemsPerToken(side.itemTokens, seq.nItems) : undefined;
  const all = segmentMetrics(measured, split, queries);
  side.onProgress?.('metrics', 0.5);
  const metrics = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, Math.round(v * 10000) / 10000]));
  return { model: serializeModel(trainModel(recipe, seq, params, within(side, 0.5, 1, 'training'))), metrics };
}

const decoded = (d: DatasetInput | undefined) => (d?.table ? decodeTable(asBuffer(d.table)) : undefined);

/**
 * The group's data as training reads it: each imported table with what the events API recorded
 * (events after the imported interactions; Put* records over the imported rows).
 */
function groupData(job: TrainJob): { interactions?: Table; items?: Table; users?: Table } {
  const actions = job.itemField === 'ACTION_ID';
  const imported = { interactions: decoded(job.interactions), items: decoded(job.items), users: decoded(job.users) };
  if (!job.recorded) return imported;
  const keyed = [
    job.items && { kind: actions ? 'action' as const : 'item' as const, idField: job.itemField, fields: job.items.fields },
    job.users && { kind: 'user' as const, idField: 'USER_ID', fields: job.users.fields },
  ].filter((x) => x !== undefined);
  const recorded = readRecorded(job.recorded, {
    events: job.interactions && { kind: actions ? 'actionEvent' : 'event', itemField: job.itemField, fields: job.interactions.fields },
    records: keyed,
  });
  const over = (d: DatasetInput | undefined, t: Table | undefined, kind: string, idField: string) =>
    d && overlayRecords(t, recorded.records.get(kind), d.fields, idField);
  return {
    interactions: appendRows(imported.interactions, recorded.interactions),
    items: over(job.items, imported.items, actions ? 'action' : 'item', job.itemField),
    users: over(job.users, imported.users, 'user', 'USER_ID'),
  };
}

/** Training's failure when the data a recipe needs is missing. */
function noData(job: TrainJob): WorkFailure {
  const [type, verb] = job.recipe === 'aws-semantic-similarity' ? ['items', 'Items']
    : job.itemField === 'ACTION_ID' ? ['action interactions', 'Action_Interactions'] : ['interactions', 'Interactions'];
  return new WorkFailure(`Dataset group ${job.groupArn} has no ${type} data. Import ${verb} data before training.`);
}

function train(job: TrainJob, progress: (phase: string, fraction: number) => void): TrainResult {
  progress('preparing', 0);
  const merged = groupData(job);
  if (job.recipe === 'aws-semantic-similarity' ? !merged.items : !merged.interactions) throw noData(job);
  const { taken, shown } = merged.interactions ? asItemInteractions(merged.interactions, job.itemField) : { taken: undefined, shown: undefined };
  // Popularity checks Personalize's minimums and gives the order cold users are served in.
  const popular = taken ? trainPopularity(taken, job.options) : NO_POPULARITY;
  if (!job.recipe) return { model: encodeModelFile(popular.model), metrics: popular.metrics };
  const previous = job.previous ? decodeModelFile(asBuffer(job.previous)).engine : undefined;
  // An UPDATE keeps the previous model's user and item indexes and appends new ones after them.
  const items = new IdIndex(previous?.header.itemIds);
  const users = new IdIndex(previous?.header.userIds);
  const interactions = engineInteractions(taken, job.options, items, users);
  const exposures = shown && engineInteractions(shown, {}, items, users);
  const tables: SideTables = {
    items: merged.items && job.items && { table: merged.items, fields: job.items.fields, idField: job.itemField },
    users: merged.users && job.users && { table: merged.users, fields: job.users.fields },
  };
  const side: ActionSideData = buildSideData(tables, items, users);
  let last = { phase: '', fraction: -1 };
  side.onProgress = (phase, fraction) => {
    // Posting every step would flood the parent; a percent is resolution enough.
    if (phase === last.phase && fraction - last.fraction < 0.01) return;
    last = { phase, fraction };
    progress(phase, fraction);
  };
  const data = interactions();
  if (exposures) side.notTaken = toSequences(exposures());
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
  const rest = job.hpo ? within(side, 0.5, 1) ?? side : side;
  const trained = recipeNamed(job.recipe)?.recipeType === 'USER_SEGMENTATION'
    ? trainSegments(job.recipe, toSequences(data), params, rest)
    : trainSolution(job.recipe, data, params, undefined, rest);
  progress('saving', 1);
  return { model: file(trained.model), metrics: trained.metrics, tuned };
}

void workerMain<TrainResult>((progress) => train(workerData as TrainJob, progress));
