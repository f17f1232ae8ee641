// Values derived from Personalize documents (a campaign's endpoint, a filter, a group's key),
// remembered until any Personalize document changes: the hot calls (GetRecommendations, PutEvents)
// then read the metadata store only when something was created, updated or deleted.
import type { App } from '../../app.js';

const memos = new WeakMap<App, { generation: number; values: Map<string, unknown> }>();

/** `compute()`'s value for `key`, recomputed after any write to a personalize.* document. */
export function memo<T>(app: App, key: string, compute: () => T): T {
  const generation = app.store.generationOf('personalize');
  let m = memos.get(app);
  if (!m || m.generation !== generation) memos.set(app, (m = { generation, values: new Map() }));
  if (m.values.has(key)) return m.values.get(key) as T;
  const v = compute();
  m.values.set(key, v);
  return v;
}
