import type { OperationHandler, RequestContext } from '../../gateway/context.js';
import { globalArn } from './arns.js';
import { authorize } from './authz.js';
import { notFound } from './errors.js';
import { pageArray } from './paging.js';
import { RECIPES, type RecipeInfo } from './recipe-data.js';

const nameIn = (arn: string, type: string): string | undefined => {
  const prefix = globalArn(type as 'recipe', '');
  return arn.startsWith(prefix) ? arn.slice(prefix.length) : undefined;
};

function recipe(r: RecipeInfo) {
  return {
    name: r.name,
    recipeArn: globalArn('recipe', r.name),
    algorithmArn: r.algorithm ? globalArn('algorithm', r.algorithm) : undefined,
    featureTransformationArn: r.featureTransformation ? globalArn('feature-transformation', r.featureTransformation) : undefined,
    status: 'ACTIVE',
    description: r.description,
    recipeType: r.recipeType,
    domain: r.domain,
    creationDateTime: r.since,
    lastUpdatedDateTime: r.since,
  };
}

function listRecipes(input: { recipeProvider?: string; domain?: string; nextToken?: string; maxResults?: number }, ctx: RequestContext) {
  authorize(ctx, ['*']);
  const all = RECIPES.filter((r) => input.domain === undefined || r.domain === input.domain).map(recipe);
  const { items, nextToken } = pageArray(all, input, (r) => r.name);
  return { recipes: items.map(({ name, recipeArn, status, creationDateTime, lastUpdatedDateTime, domain }) => ({ name, recipeArn, status, creationDateTime, lastUpdatedDateTime, domain })), nextToken };
}

function describeRecipe(input: { recipeArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.recipeArn]);
  const name = nameIn(input.recipeArn, 'recipe');
  const r = RECIPES.find((x) => x.name === name);
  if (!r) throw notFound(input.recipeArn);
  return { recipe: recipe(r) };
}

function describeAlgorithm(input: { algorithmArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.algorithmArn]);
  const name = nameIn(input.algorithmArn, 'algorithm');
  const r = RECIPES.find((x) => x.algorithm !== undefined && x.algorithm === name);
  if (!r) throw notFound(input.algorithmArn);
  return {
    algorithm: {
      name: r.algorithm,
      algorithmArn: input.algorithmArn,
      algorithmImage: { name: r.algorithm, dockerURI: `tailor/${r.algorithm}` },
      defaultHyperParameters: {},
      defaultHyperParameterRanges: { integerHyperParameterRanges: [], continuousHyperParameterRanges: [], categoricalHyperParameterRanges: [] },
      defaultResourceConfig: {},
      trainingInputMode: 'File',
      creationDateTime: r.since,
      lastUpdatedDateTime: r.since,
    },
  };
}

function describeFeatureTransformation(input: { featureTransformationArn: string }, ctx: RequestContext) {
  authorize(ctx, [input.featureTransformationArn]);
  const name = nameIn(input.featureTransformationArn, 'feature-transformation');
  const r = RECIPES.find((x) => x.featureTransformation !== undefined && x.featureTransformation === name);
  if (!r) throw notFound(input.featureTransformationArn);
  return {
    featureTransformation: {
      name, featureTransformationArn: input.featureTransformationArn, defaultParameters: {}, status: 'ACTIVE',
      creationDateTime: r.since, lastUpdatedDateTime: r.since,
    },
  };
}

export const operations: Record<string, OperationHandler> = {
  ListRecipes: listRecipes,
  DescribeRecipe: describeRecipe,
  DescribeAlgorithm: describeAlgorithm,
  DescribeFeatureTransformation: describeFeatureTransformation,
};
