// GetActionRecommendations: a PERSONALIZED_ACTIONS campaign recommends the actions users take most
// (Action_Interactions events of type Taken, imported and live), scored by their share; actions in
// the Actions dataset nobody took yet follow. The trained model's own action scoring is issue 6's.
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import type { App } from '../../app.js';
import { query } from '../personalize/authz.js';
import { KIND } from '../personalize/schema.js';
import type { StoredFilter } from '../personalize/filters.js';
import { CompiledFilter, hasBit, parseFilter, type ItemAttributes } from '../personalize/filter-language/index.js';
import { liveOf, type GroupLive } from '../personalize-events/live.js';
import { endpointOf, invalidInput, notFound } from './endpoints.js';
import { cell, interactionRows, keyedData } from './group-data.js';

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

/** Action ids with their Taken counts, most taken first. */
function ranked(app: App, groupArn: string, live: GroupLive | undefined): { ids: string[]; counts: number[] } {
  const counts = new Map<string, number>();
  const bulk = keyedData(app, groupArn, 'Actions');
  for (const id of bulk?.rowOf.keys() ?? []) counts.set(id, 0);
  for (const id of live?.actions.keys() ?? []) if (!counts.has(id)) counts.set(id, 0);
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
  return { ids, counts: ids.map((id) => counts.get(id)!) };
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
  const { ids, counts } = ranked(ctx.app, e.groupArn, live);
  let allowed: Uint32Array | undefined;
  if (input.filterArn) {
    const f = ctx.app.store.get<StoredFilter>(KIND.filter, input.filterArn);
    if (!f) throw notFound(input.filterArn);
    if (f.status !== 'ACTIVE' || f.datasetGroupArn !== e.groupArn) throw invalidInput(`Filter ${input.filterArn} is not ACTIVE in dataset group ${e.groupArn}.`);
    const compiled = new CompiledFilter(f.parsed ?? parseFilter(f.filterExpression));
    const index = new Map(ids.map((id, i) => [id, i]));
    const mine = (list: { itemId: string; type: string }[] | undefined, keep: (t: string) => boolean) =>
      (list ?? []).filter((x) => keep(x.type)).map((x) => index.get(x.itemId)).filter((i): i is number => i !== undefined);
    const events = input.userId === undefined ? undefined : live?.actionEvents.get(input.userId);
    allowed = compiled.allowed(actionAttributes(ctx.app, e.groupArn, ids, live), {
      interacted: (types) => mine(events, (t) => types === '*' || types.includes(t)),
      interactedExcept: (types) => mine(events, (t) => !types.includes(t)),
      user: (field) => live?.users.get(input.userId ?? '')?.[field] as string | number | undefined,
      item: () => undefined,
    }, input.filterValues);
  }
  const total = counts.reduce((a, b) => a + b, 0);
  const actionList: { actionId: string; score: number }[] = [];
  for (let i = 0; i < ids.length && actionList.length < n; i++) {
    if (allowed && !hasBit(allowed, i)) continue;
    actionList.push({ actionId: ids[i], score: total ? counts[i] / total : 0 });
  }
  return { actionList, recommendationId: `RID-${randomUUID()}` };
}
