// Incremental update (trainingMode UPDATE / performIncrementalUpdate): a trained model takes in
// the interactions that came after it was trained, and new users and items, without a full
// retrain where its kind allows: iALS solves only the changed user and item rows against fixed
// factors, popularity and transitions add the new counts. Others train again.
import { toSequences, type Interactions, type Sequences, type SideData } from './data.js';
import type { Model } from './models/model.js';
import { retrain } from './registry.js';
import { Ials, updateIals } from './models/ials.js';
import { addUserCounts, horizonOf, Popularity } from './models/popularity.js';
import { addTransitions, Transition } from './models/transition.js';
import { Blend, updateBlend } from './models/blend.js';
import { EASE_MAX_ITEMS } from './models/ease.js';

/**
 * `model` brought up to date with `data`: all interactions as they now are, users and items
 * keeping the indexes the model was trained with (new ones appended). What is new is what comes
 * after the model's horizon (its latest interaction time).
 */
export function updateModel(model: Model, interactions: Interactions | Sequences, side?: SideData): Model {
  const data = 'offsets' in interactions ? interactions : toSequences(interactions);
  if (model instanceof Ials) return updateIals(model, data, side);
  if (model instanceof Popularity && model.horizon !== undefined) {
    return new Popularity(addUserCounts(model.counts, data, model.horizon), horizonOf(data));
  }
  if (model instanceof Transition && model.params.horizon !== undefined && 'totals' in model.rows) return addTransitions(model, data);
  if (model instanceof Blend && data.nItems <= EASE_MAX_ITEMS) return updateBlend(model, data, (seq, s) => updateModel(seq, data, s), side);
  return retrain(model, data, side);
}
