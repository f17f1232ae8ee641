// What CreateBatchInferenceJob and CreateBatchSegmentJob (and, for the recipe's config, CreateCampaign) check beyond the model's shapes: the
// filter (ACTIVE, of the solution's dataset group, filtering what the job returns), the
// batchInferenceJobConfig (item exploration for User-Personalization, ranking influence for
// Semantic-Similarity) and THEME_GENERATION mode (Similar-Items, in the regions Content Generator
// runs in, with an item-name field and a textual field in the Items schema). Refusals are
// InvalidInputException, and nothing is stored.
import type { RequestContext } from '../../gateway/context.js';
import { KIND, type DatasetGroupDoc } from './schema.js';
import type { StoredFilter } from './filters.js';
import { invalidInput } from './errors.js';
import { mustGet } from './common.js';
import { datasetFields } from './training.js';
import { parseFilter } from './filter-language/index.js';
import { EXPLORING } from './exploration.js';
import { RANKING_INFLUENCE_RECIPE } from './ranking-influence.js';

/** Regions Amazon Personalize Content Generator (theme generation) is offered in. */
const THEME_REGIONS = new Set(['us-east-1', 'us-west-2', 'ap-northeast-1']);
const EXPLORATION_KEYS = new Set(['explorationWeight', 'explorationItemAgeCutOff']);

/** The members of campaignConfig and batchInferenceJobConfig that depend on the recipe. */
export interface RecipeConfig {
  itemExplorationConfig?: Record<string, string>;
  rankingInfluence?: Record<string, number>;
}

export interface BatchConfigInput {
  filterArn?: string;
  batchInferenceJobConfig?: RecipeConfig;
  batchInferenceJobMode?: string;
  themeGenerationConfig?: { fieldsForThemeGeneration: { itemName: string } };
}

/** The job's filter, checked as the runtime checks a request's: `target` is what the job returns. */
export function checkFilter(ctx: RequestContext, filterArn: string, groupArn: string, target: 'ItemID' | 'UserID'): void {
  const f = mustGet<StoredFilter>(ctx, KIND.filter, filterArn);
  if (f.status !== 'ACTIVE') throw invalidInput(`Filter ${filterArn} is not ACTIVE (current status: ${f.status}).`);
  if (f.datasetGroupArn !== groupArn) throw invalidInput(`Filter ${filterArn} does not belong to the dataset group ${groupArn}.`);
  const parsed = f.parsed ?? parseFilter(f.filterExpression);
  const filters = parsed.target === 'UserID' ? 'users' : parsed.target === 'ActionID' ? 'actions' : 'items';
  if (parsed.target !== target) throw invalidInput(`Filter ${filterArn} filters ${filters}; it cannot filter the ${target === 'ItemID' ? 'recommendations' : 'user segments'} of this job.`);
}

function checkExploration(config: Record<string, string>, recipe: string): void {
  if (!EXPLORING.has(recipe)) throw invalidInput(`itemExplorationConfig is only supported for the aws-user-personalization and aws-user-personalization-v2 recipes, not ${recipe}.`);
  for (const [k, v] of Object.entries(config)) {
    if (!EXPLORATION_KEYS.has(k)) throw invalidInput(`Invalid itemExplorationConfig: unknown parameter ${k}. Valid parameters are explorationWeight and explorationItemAgeCutOff.`);
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw invalidInput(`Invalid itemExplorationConfig: ${k} must be a number, got "${v}".`);
    if (k === 'explorationWeight' && (x < 0 || x > 1)) throw invalidInput(`Invalid itemExplorationConfig: explorationWeight must be between 0 and 1, got ${v}.`);
    if (k === 'explorationItemAgeCutOff' && x <= 0) throw invalidInput(`Invalid itemExplorationConfig: explorationItemAgeCutOff must be greater than 0, got ${v}.`);
  }
}

/** A campaign's or batch job's itemExplorationConfig and rankingInfluence, against the recipe they are for. */
export function checkRecipeConfig(config: RecipeConfig | undefined, recipe: string): void {
  if (config?.itemExplorationConfig && Object.keys(config.itemExplorationConfig).length) checkExploration(config.itemExplorationConfig, recipe);
  if (config?.rankingInfluence && Object.keys(config.rankingInfluence).length && recipe !== RANKING_INFLUENCE_RECIPE) {
    throw invalidInput(`rankingInfluence is only supported for the ${RANKING_INFLUENCE_RECIPE} recipe, not ${recipe}.`);
  }
}

/** The Items field THEME_GENERATION names items by, once checked. */
function checkTheme(ctx: RequestContext, input: BatchConfigInput, recipe: string, group: DatasetGroupDoc): string {
  if (recipe !== 'aws-similar-items') throw invalidInput(`Batch inference jobs in THEME_GENERATION mode need a solution version of the aws-similar-items recipe; ${recipe} is not supported.`);
  if (!THEME_REGIONS.has(ctx.region)) throw invalidInput(`Theme generation is not available in ${ctx.region}.`);
  const itemName = input.themeGenerationConfig?.fieldsForThemeGeneration.itemName;
  if (itemName === undefined) throw invalidInput('themeGenerationConfig is required when batchInferenceJobMode is THEME_GENERATION.');
  const fields = datasetFields(ctx.app, group, 'Items');
  if (!fields) throw invalidInput('Theme generation needs an Items dataset with an item name field and a textual field.');
  const field = fields.find((f) => f.name === itemName);
  if (!field || field.type !== 'string') throw invalidInput(`Invalid themeGenerationConfig: itemName ${itemName} must be a string field of the Items dataset.`);
  if (!fields.some((f) => f.textual)) throw invalidInput('Theme generation needs a textual field (such as DESCRIPTION) in the Items dataset.');
  return itemName;
}

/**
 * Checks a batch inference job's filter, config and mode against its solution version's recipe
 * and dataset group; returns the theme's item-name field in THEME_GENERATION mode.
 */
export function checkInferenceConfig(ctx: RequestContext, input: BatchConfigInput, recipe: string, groupArn: string): string | undefined {
  if (input.filterArn) checkFilter(ctx, input.filterArn, groupArn, 'ItemID');
  checkRecipeConfig(input.batchInferenceJobConfig, recipe);
  if (input.batchInferenceJobMode !== 'THEME_GENERATION') {
    if (input.themeGenerationConfig) throw invalidInput('themeGenerationConfig is only valid when batchInferenceJobMode is THEME_GENERATION.');
    return undefined;
  }
  return checkTheme(ctx, input, recipe, mustGet<DatasetGroupDoc>(ctx, KIND.datasetGroup, groupArn));
}
