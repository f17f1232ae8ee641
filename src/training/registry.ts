// Recipe name → trainer, and artifact recipe → loader: explicit maps, so an unknown name is an
// error here rather than a silent fallback somewhere else.
import { toSequences, type Interactions, type Sequences, type SideData } from './data.js';
import { ArtifactError, decodeArtifact, encodeArtifact } from './artifact.js';
import type { Model, Recipe } from './models/model.js';
import { popularity } from './models/popularity.js';
import { ease } from './models/ease.js';
import { transition } from './models/transition.js';
import { blend } from './models/blend.js';
import { ials } from './models/ials.js';
import { trending } from './models/trending.js';
import { sims } from './models/sims.js';
import { similarItems } from './models/similar-items.js';
import { semantic } from './models/semantic.js';
import { itemAffinity, itemAttributeAffinity } from './models/affinity.js';
import { nextBestAction } from './models/next-best-action.js';

// Each recipe's parameter type differs; the map erases it and trainModel merges over defaults.
type AnyRecipe = Recipe<any>;

/** Personalize recipe names (and the engine's own building blocks) → how they train. */
export const RECIPES: ReadonlyMap<string, AnyRecipe> = new Map<string, AnyRecipe>([
  ['aws-popularity-count', popularity],
  ['aws-user-personalization', blend],
  ['aws-user-personalization-v2', blend],
  // Personalized-Ranking scores a given list with the same model (rankItems).
  ['aws-personalized-ranking', blend],
  ['aws-personalized-ranking-v2', blend],
  ['ease', ease],
  ['item-transition', transition],
  ['ials', ials],
  ['aws-trending-now', trending],
  ['aws-sims', sims],
  ['aws-similar-items', similarItems],
  ['aws-semantic-similarity', semantic],
  ['aws-item-affinity', itemAffinity],
  ['aws-item-attribute-affinity', itemAttributeAffinity],
  ['aws-next-best-action', nextBestAction],
]);

/** Artifact recipe field → loader: each recipe's own name, and the name the blend's models carry. */
const LOADERS: ReadonlyMap<string, AnyRecipe> = new Map<string, AnyRecipe>([...RECIPES, ['user-personalization', blend]]);

export class UnknownRecipe extends Error {}

/** Trains `recipe` on interactions (or prepared sequences); `params` override the recipe's defaults. */
export function trainModel(recipe: string, data: Interactions | Sequences, params: Record<string, number> = {}, side?: SideData): Model {
  const r = RECIPES.get(recipe);
  if (!r) throw new UnknownRecipe(`no trainer for recipe ${recipe}`);
  const seq = 'offsets' in data ? data : toSequences(data);
  return r.train(seq, { ...r.defaults, ...params }, side);
}

/** Trains a model's recipe again on `data`, with the parameters the model was trained with. */
export function retrain(model: Model, data: Sequences, side?: SideData): Model {
  const r = LOADERS.get(model.recipe);
  if (!r) throw new UnknownRecipe(`no trainer for model recipe ${model.recipe}`);
  return r.train(data, { ...r.defaults, ...model.toArtifact().params }, side);
}

export const serializeModel = (m: Model): Buffer => encodeArtifact(m.toArtifact());

/** Loads a model file; its arrays stay views into `buf` where alignment allows. */
export function loadModel(buf: Buffer): Model {
  const a = decodeArtifact(buf);
  const r = LOADERS.get(a.recipe);
  if (!r) throw new UnknownRecipe(`no loader for model recipe ${a.recipe}`);
  if (a.version !== r.version) throw new ArtifactError(`${a.recipe} model version ${a.version} is not ${r.version}`);
  return r.load(a);
}
