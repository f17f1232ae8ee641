// A request's filter: the stored filter (ACTIVE, of the endpoint's dataset group), compiled once
// from the tree CreateFilter stored, applied to the endpoint's catalogue for one user.
import type { App } from '../../app.js';
import { KIND } from '../personalize/schema.js';
import type { StoredFilter } from '../personalize/filters.js';
import { CompiledFilter, parseFilter } from '../personalize/filter-language/index.js';
import { invalidInput, notFound, type Endpoint } from './endpoints.js';
import { memo } from '../personalize/store-memo.js';

const compiled = new WeakMap<App, Map<string, CompiledFilter>>();

/** The request's stored filter, checked to be ACTIVE and of the group, compiled once per filter. */
export function compiledFilter(app: App, filterArn: string, groupArn: string): CompiledFilter {
  const f = memo(app, `filter ${filterArn}`, () => app.store.get<StoredFilter>(KIND.filter, filterArn));
  if (!f) throw notFound(filterArn);
  if (f.status !== 'ACTIVE') throw invalidInput(`Filter ${filterArn} is not ACTIVE (current status: ${f.status}).`);
  if (f.datasetGroupArn !== groupArn) throw invalidInput(`Filter ${filterArn} does not belong to the dataset group ${groupArn}.`);
  let m = compiled.get(app);
  if (!m) compiled.set(app, (m = new Map()));
  const key = `${filterArn}@${f.creationDateTime}`;
  let c = m.get(key);
  if (!c) m.set(key, (c = new CompiledFilter(f.parsed ?? parseFilter(f.filterExpression))));
  if (c.parsed.target !== 'ItemID' && c.parsed.target !== 'ActionID') throw invalidInput(`Filter ${filterArn} filters users; it cannot filter recommendations.`);
  return c;
}

/** The allowed-items bitset of a request's filter, or undefined when the request names none. */
export function allowedItems(app: App, e: Endpoint, filterArn: string | undefined, filterValues: Record<string, string> | undefined,
  userId: string | undefined, itemId: string | undefined): Uint32Array | undefined {
  if (filterArn === undefined) return undefined;
  const f = compiledFilter(app, filterArn, e.groupArn);
  const items = e.catalogue.attributes();
  return f.allowed(items, e.catalogue.subject(userId, itemId), filterValues);
}
