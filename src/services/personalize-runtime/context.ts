// Contextual metadata (`context` in GetRecommendations / GetPersonalizedRanking): fields of the
// Interactions dataset such as DEVICE or LOCATION that describe the situation of each interaction.
// For each field = value the request names, an item's lift is how much likelier its interactions
// are in that context than the context's share of all interactions predicts:
//   lift(i) = P̂(context | i) / P(context), with P̂(context | i) = (n_ctx(i) + M·P(context)) / (n(i) + M),
// so an item with few interactions stays near 1. Lifts of several fields multiply. Scores are
// scaled by the lift, so the model's order changes only as far as the context speaks for an item.
import type { Column } from '../personalize/table.js';
import { NULL_CODE } from '../personalize/table.js';
import { interactionRows, rowItems, type UserRows } from './group-data.js';
import type { Endpoint } from './endpoints.js';
import type { Ranked } from './ranking.js';

/** Interactions an item needs before its own context share outweighs the overall one. */
const PRIOR = 10;

/** An item's lift per catalogue index, and the largest of them (it bounds how far a context can move an item). */
export interface Lift {
  values: Float32Array;
  max: number;
}

/** Lifts by `field\0value` (and their products by the request's whole context), per imported interactions table. */
const lifts = new WeakMap<UserRows, WeakMap<Endpoint, Map<string, Lift | null>>>();

const withMax = (values: Float32Array): Lift => ({ values, max: values.reduce((m, v) => Math.max(m, v), 1) });

function columnOf(rows: UserRows, field: string): Column | undefined {
  const cols = rows.table.columns;
  return cols.find((c) => c.name === field) ?? cols.find((c) => c.name.toUpperCase() === field.toUpperCase());
}

function liftsOf(e: Endpoint, rows: UserRows): Map<string, Lift | null> {
  let byEndpoint = lifts.get(rows);
  if (!byEndpoint) lifts.set(rows, (byEndpoint = new WeakMap()));
  let byKey = byEndpoint.get(e);
  if (!byKey) byEndpoint.set(e, (byKey = new Map()));
  if (byKey.size >= 1000) byKey.clear();
  return byKey;
}

function liftFor(e: Endpoint, rows: UserRows, field: string, value: string): Lift | null {
  const byKey = liftsOf(e, rows);
  const key = `${field}\u0000${value}`;
  let lift = byKey.get(key);
  if (lift !== undefined) return lift;
  lift = null;
  const col = columnOf(rows, field);
  const target = col?.dict?.indexOf(value) ?? -1;
  if (col?.codes && target >= 0) {
    const index = rowItems(rows, (id) => e.catalogue.get(id));
    const size = e.catalogue.ids.length;
    const all = new Float64Array(size);
    const inContext = new Float64Array(size);
    let n = 0, nCtx = 0;
    for (let r = 0; r < index.length; r++) {
      const i = index[r];
      if (i < 0 || col.codes[r] === NULL_CODE) continue;
      all[i]++;
      n++;
      if (col.codes[r] === target) { inContext[i]++; nCtx++; }
    }
    if (nCtx > 0) {
      const share = nCtx / n;
      const values = new Float32Array(size);
      for (let i = 0; i < size; i++) values[i] = (inContext[i] + PRIOR * share) / (all[i] + PRIOR) / share;
      lift = withMax(values);
    }
  }
  byKey.set(key, lift);
  return lift;
}

/** The product of the lifts the request's context names (per catalogue index), undefined when none applies. */
export function contextLift(e: Endpoint, context: Record<string, string> | undefined): Lift | undefined {
  if (!context) return undefined;
  const rows = interactionRows(e.catalogue.app, e.groupArn);
  if (!rows) return undefined;
  const parts = Object.entries(context).map(([field, value]) => liftFor(e, rows, field, value)).filter((l): l is Lift => l !== null);
  if (parts.length <= 1) return parts[0];
  const byKey = liftsOf(e, rows);
  const key = JSON.stringify(Object.entries(context).sort());
  let product = byKey.get(key);
  if (!product) {
    const values = parts[0].values.slice();
    for (const p of parts.slice(1)) for (let i = 0; i < values.length; i++) values[i] *= p.values[i];
    byKey.set(key, (product = withMax(values)));
  }
  return product;
}

/** A score scaled by an item's lift: up when the context favours the item, whatever the score's sign. */
export function lifted(score: number, lift: Lift, index: number): number {
  const l = index < lift.values.length ? lift.values[index] : 1;
  return score >= 0 ? score * l : score / l;
}

/** Scales the first scores.length scores in place. */
export function liftScores(scores: Float32Array, lift: Lift): void {
  for (let i = 0; i < scores.length; i++) scores[i] = lifted(scores[i], lift, i);
}

/** Ranked items re-ordered by their lifted counts (best first). */
export function reorder(list: Ranked[], lift: Lift): Ranked[] {
  return list.map((r) => ({ index: r.index, count: lifted(r.count, lift, r.index) })).sort((a, b) => b.count - a.count || a.index - b.index);
}

/** Popularity orders re-ordered by a lift (lifts are per endpoint and data), with the live-counts version they saw. */
const orders = new WeakMap<Lift, { version: number; total: number; list: Ranked[] }>();

/** `ranked` (all of it, best first) re-ordered by the context's lift, with the lifted counts' total; kept while the live counts stay at `version`. */
export function liftedOrder(lift: Lift, version: number, ranked: () => Iterable<Ranked>): { total: number; list: Ranked[] } {
  let hit = orders.get(lift);
  if (hit?.version !== version) {
    const list = reorder([...ranked()], lift);
    orders.set(lift, (hit = { version, total: list.reduce((t, r) => t + r.count, 0), list }));
  }
  return hit;
}
