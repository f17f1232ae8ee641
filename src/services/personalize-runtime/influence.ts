// A semantic-similarity campaign's rankingInfluence (personalize/ranking-influence.ts), built once
// per change of the live counts and of the catalogue's metadata.
import type { ItemAttributes } from '../personalize/filter-language/index.js';
import { influenceOf, RANKING_INFLUENCE_RECIPE } from '../personalize/ranking-influence.js';
import type { GroupLive } from '../personalize-events/live.js';
import type { Endpoint } from './endpoints.js';
import { countOf } from './ranking.js';

const built = new WeakMap<Endpoint, { version: number; attrs: ItemAttributes; lift: Float32Array | undefined }>();

/** Each model item's addition to its scaled similarity, undefined when the campaign sets no influence. */
export function rankingInfluence(e: Endpoint, live: GroupLive | undefined): Float32Array | undefined {
  const weights = e.config.rankingInfluence as Record<string, unknown> | undefined;
  if (!e.engine || !weights || e.recipe?.name !== RANKING_INFLUENCE_RECIPE) return undefined;
  const version = live?.countsVersion ?? -1;
  const attrs = e.catalogue.attributes();
  const hit = built.get(e);
  if (hit && hit.version === version && hit.attrs === attrs) return hit.lift;
  const lift = influenceOf(e.engine.model.nItems, weights, (i) => countOf(e, live, i), attrs.column('CREATION_TIMESTAMP')?.numbers);
  built.set(e, { version, attrs, lift });
  return lift;
}
