// GetActionRecommendations: a PERSONALIZED_ACTIONS campaign recommends the actions its trained
// next-best-action model scores highest for the user, given the actions they took (Action_Interactions
// events of type Taken, imported then live, oldest first), leaving out those already taken; its
// scores are the model's take probabilities. Actions the model does not know follow at 0. A model
// without an engine (popularity-count) ranks by Taken counts, scored by their share.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { query } from '../personalize/authz.js';
import { hasBit, type ItemAttributes } from '../personalize/filter-language/index.js';
import { recordValue, subjectOf } from '../personalize/filter-inputs.js';
import { liveOf, type GroupLive, type LiveEvent } from '../personalize-events/live.js';
import { endpointOf, invalidInput } from './endpoints.js';
import type { Engine } from './personalized.js';
import { cell, eventsOf, interactionRows, keyedData } from './group-data.js';
import { compiledFilter } from './filters.js';

const DEFAULT_RESULTS = 5;
const MAX_RESULTS = 100;
const TAKEN = 'taken';

interface ActionsInput {
  campaignArn?: string;
  userId?: string;
  numResults?: number;
  filterArn?: string;
  filterValues?: Record<string, string>;
}

/** Every action the group knows (Actions data and PutActions records), each with a zero count. */
function knownActions(app: App, groupArn: string, live: GroupLive | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of keyedData(app, groupArn, 'Actions')?.rowOf.keys() ?? []) counts.set(id, 0);
  for (const id of live?.actions.keys() ?? []) if (!counts.has(id)) counts.set(id, 0);
  return counts;
}

/** Action ids with their scores, best first. */
interface Ranked {
  ids: string[];
  scores: number[];
}

/** Action ids ranked by Taken counts, scored by their share. */
function byCounts(app: App, groupArn: string, live: GroupLive | undefined): Ranked {
  const counts = knownActions(app, groupArn, live);
  const rows = interactionRows(app, groupArn, 'Action_Interactions');
  if (rows) {
    for (let r = 0; r < rows.table.rows; r++) {
      if (String(cell(rows.types, r) ?? '').toLowerCase() !== TAKEN) continue;
      const id = cell(rows.items, r);
      if (id !== undefined) counts.set(String(id), (counts.get(String(id)) ?? 0) + 1);
    }
  }
  for (const list of live?.actionEvents.values() ?? []) {
    for (const e of list) if (e.type === TAKEN) counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
  }
  const ids = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1));
  let total = 0;
  for (const c of counts.values()) total += c;
  return { ids, scores: ids.map((id) => (total ? counts.get(id)! / total : 0)) };
}

/** The user's action interactions of every type (imported, then live), types lower-cased. */
function actionEvents(app: App, groupArn: string, userId: string | undefined, live: GroupLive | undefined): LiveEvent[] {
  return userId === undefined ? [] : eventsOf(interactionRows(app, groupArn, 'Action_Interactions'), userId, live?.actionEvents.get(userId));
}

/** The actions the user took (imported, then live), oldest first, as the model's action indexes. */
function takenHistory(app: App, groupArn: string, g: Engine, userId: string | undefined, live: GroupLive | undefined): Int32Array {
  const out: number[] = [];
  // A stable sort: imported rows before live events of the same second.
  for (const e of actionEvents(app, groupArn, userId, live).filter((x) => x.type === TAKEN).sort((a, b) => a.t - b.t)) {
    const i = g.indexOf(e.itemId);
    if (i !== undefined) out.push(i);
  }
  return Int32Array.from(out);
}

/** Action ids ranked by the trained model for the user, actions already taken left out; unknown actions follow at 0. */
function byModel(app: App, groupArn: string, g: Engine, userId: string | undefined, live: GroupLive | undefined): Ranked {
  const history = takenHistory(app, groupArn, g, userId, live);
  g.model.score(history, g.scores);
  const taken = new Set(history);
  const order = g.itemIds.map((_, i) => i).filter((i) => !taken.has(i)).sort((a, b) => g.scores[b] - g.scores[a] || a - b);
  const ids = order.map((i) => g.itemIds[i]);
  const scores = order.map((i) => g.scores[i]);
  const rest = knownActions(app, groupArn, live);
  for (const id of g.itemIds) rest.delete(id);
  for (const id of [...rest.keys()].sort()) {
    ids.push(id);
    scores.push(0);
  }
  return { ids, scores };
}

function actionAttributes(app: App, groupArn: string, ids: string[], live: GroupLive | undefined): ItemAttributes {
  const bulk = keyedData(app, groupArn, 'Actions');
  return {
    size: ids.length,
    column: (field) => {
      const values = ids.map((id) => live?.actions.get(id)?.[field] ?? (bulk?.rowOf.has(id) ? cell(bulk.column(field), bulk.rowOf.get(id)!) : undefined));
      if (values.some((v) => typeof v === 'number')) return { numbers: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) };
      const dict = [...new Set(values.filter((v) => v !== undefined && v !== null).map(String))];
      const code = new Map(dict.map((d, i) => [d, i]));
      return { dict, codes: Uint32Array.from(values, (v) => (v === undefined || v === null ? 0xffffffff : code.get(String(v))!)) };
    },
  };
}

export function actionRecommendations(input: ActionsInput, ctx: RequestContext) {
  ctx.authorize(query(ctx, input.campaignArn ?? '*'));
  if (!input.campaignArn) throw invalidInput('campaignArn is required.');
  const e = endpointOf(ctx.app, input.campaignArn, ctx);
  if (e.recipe?.recipeType !== 'PERSONALIZED_ACTIONS') throw invalidInput(`${input.campaignArn} does not serve action recommendations.`);
  const n = input.numResults ? input.numResults : DEFAULT_RESULTS;
  if (n > MAX_RESULTS) throw invalidInput(`numResults must be at most ${MAX_RESULTS}; got ${n}.`);
  const live = liveOf(ctx.app, e.groupArn);
  const { ids, scores } = e.engine ? byModel(ctx.app, e.groupArn, e.engine, input.userId, live) : byCounts(ctx.app, e.groupArn, live);
  let allowed: Uint32Array | undefined;
  if (input.filterArn) {
    const filter = compiledFilter(ctx.app, input.filterArn, e.groupArn);
    const index = new Map(ids.map((id, i) => [id, i]));
    const users = keyedData(ctx.app, e.groupArn, 'Users');
    // The user's imported and live action interactions and Users record, as item filters read theirs.
    const subject = subjectOf(() => actionEvents(ctx.app, e.groupArn, input.userId, live), (id) => index.get(id),
      (field) => recordValue(input.userId, field, users, live?.users), () => undefined);
    allowed = filter.allowed(actionAttributes(ctx.app, e.groupArn, ids, live), subject, input.filterValues);
  }
  const actionList: { actionId: string; score: number }[] = [];
  for (let i = 0; i < ids.length && actionList.length < n; i++) {
    if (allowed && !hasBit(allowed, i)) continue;
    actionList.push({ actionId: ids[i], score: scores[i] });
  }
  return { actionList, recommendationId: `RID-${randomUUID()}` };
}
