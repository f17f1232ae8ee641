// aws-popularity-count: counts each item's interactions (after the solution's event-type and
// event-value filters) and ranks items by that count. Metrics follow Personalize's split: 90% of
// users train, 10% are held out; each held-out user's oldest 90% of interactions are the input
// and the newest 10% the ground truth the top 25 recommendations are scored against.
import { NULL_CODE, type Column, type Table } from './table.js';
import { WorkFailure } from './lifecycle.js';

export interface PopularityModel {
  recipe: string;
  /** Item ids, most interactions first. */
  items: string[];
  counts: number[];
}

export interface TrainOptions {
  eventType?: string;
  eventValueThreshold?: number;
}

/** Fewest interactions, and fewest users with at least two of them, Personalize trains on. */
const MIN_INTERACTIONS = 1000;
const MIN_USERS = 25;
const K = [5, 10, 25];

const column = (t: Table, name: string): Column | undefined => t.columns.find((c) => c.name === name);

/** Row indexes that pass the event filters. */
export function selectRows(t: Table, o: TrainOptions): Int32Array {
  const type = column(t, 'EVENT_TYPE');
  const value = column(t, 'EVENT_VALUE');
  // Event types match case-insensitively (as in filters): every spelling's code is wanted.
  let wanted: Uint8Array | undefined;
  if (o.eventType !== undefined) {
    const want = o.eventType.toLowerCase();
    const dict = type?.dict ?? [];
    wanted = new Uint8Array(dict.length);
    dict.forEach((d, i) => (wanted![i] = d.toLowerCase() === want ? 1 : 0));
  }
  const keep = new Int32Array(t.rows);
  let n = 0;
  for (let r = 0; r < t.rows; r++) {
    if (wanted && !(type?.codes && wanted[type.codes[r]] === 1)) continue;
    if (o.eventValueThreshold !== undefined && !(value?.numbers && value.numbers[r] >= o.eventValueThreshold)) continue;
    keep[n++] = r;
  }
  return keep.subarray(0, n);
}

function rank(counts: Int32Array, dict: string[]): PopularityModel {
  const order = Array.from(counts.keys()).filter((i) => counts[i] > 0).sort((a, b) => counts[b] - counts[a] || a - b);
  return { recipe: 'aws-popularity-count', items: order.map((i) => dict[i]), counts: order.map((i) => counts[i]) };
}

/** Trains on an Interactions table; returns the model and its metrics. Throws WorkFailure below the minimums. */
export function trainPopularity(t: Table, o: TrainOptions = {}): { model: PopularityModel; metrics: Record<string, number> } {
  const users = column(t, 'USER_ID')!;
  const items = column(t, 'ITEM_ID')!;
  const times = column(t, 'TIMESTAMP')!;
  const rows = selectRows(t, o);
  if (rows.length < MIN_INTERACTIONS) {
    throw new WorkFailure(`There must be at least ${MIN_INTERACTIONS} interactions to train, but only ${rows.length} are present after filtering.`);
  }
  const perUser = new Int32Array(users.dict!.length);
  for (const r of rows) perUser[users.codes![r]]++;
  const active = perUser.reduce((n, c) => n + (c >= 2 ? 1 : 0), 0);
  if (active < MIN_USERS) throw new WorkFailure(`There must be at least ${MIN_USERS} users with at least 2 interactions each to train, but only ${active} are present.`);

  const nItems = items.dict!.length;
  const all = new Int32Array(nItems);
  const train = new Int32Array(nItems);
  // Held-out users: every tenth user (by first appearance), so the split is the same on every run.
  const held = (u: number) => u % 10 === 9;
  const heldRows = new Map<number, number[]>();
  for (const r of rows) {
    const u = users.codes![r];
    const i = items.codes![r];
    all[i]++;
    if (!held(u)) train[i]++;
    else {
      let list = heldRows.get(u);
      if (!list) heldRows.set(u, (list = []));
      list.push(r);
    }
  }
  const model = rank(all, items.dict!);
  const trained = rank(train, items.dict!);
  return { model, metrics: score(trained, heldRows, items, times, nItems) };
}

function score(model: PopularityModel, heldRows: Map<number, number[]>, items: Column, times: Column, nItems: number): Record<string, number> {
  const top = model.items.slice(0, 25);
  const code = new Map(items.dict!.map((d, i) => [d, i]));
  const topCodes = top.map((id) => code.get(id)!);
  const sums = { mrr: 0, ndcg: [0, 0, 0], precision: [0, 0, 0] };
  let n = 0;
  for (const rows of heldRows.values()) {
    if (rows.length < 2) continue;
    rows.sort((a, b) => times.numbers![a] - times.numbers![b]);
    const truthCount = Math.max(1, Math.ceil(rows.length * 0.1));
    const truth = new Set(rows.slice(rows.length - truthCount).map((r) => items.codes![r]));
    truth.delete(NULL_CODE);
    n++;
    const firstHit = topCodes.findIndex((c) => truth.has(c));
    if (firstHit >= 0) sums.mrr += 1 / (firstHit + 1);
    K.forEach((k, j) => {
      let dcg = 0;
      let hits = 0;
      for (let p = 0; p < Math.min(k, topCodes.length); p++) {
        if (truth.has(topCodes[p])) {
          hits++;
          dcg += 1 / Math.log(p + 2);
        }
      }
      let ideal = 0;
      for (let p = 0; p < Math.min(k, truth.size); p++) ideal += 1 / Math.log(p + 2);
      sums.ndcg[j] += ideal ? dcg / ideal : 0;
      sums.precision[j] += hits / k;
    });
  }
  const avg = (x: number) => (n ? Math.round((x / n) * 10000) / 10000 : 0);
  return {
    coverage: Math.round((top.length / Math.max(1, nItems)) * 10000) / 10000,
    mean_reciprocal_rank_at_25: avg(sums.mrr),
    normalized_discounted_cumulative_gain_at_5: avg(sums.ndcg[0]),
    normalized_discounted_cumulative_gain_at_10: avg(sums.ndcg[1]),
    normalized_discounted_cumulative_gain_at_25: avg(sums.ndcg[2]),
    precision_at_5: avg(sums.precision[0]),
    precision_at_10: avg(sums.precision[1]),
    precision_at_25: avg(sums.precision[2]),
  };
}
