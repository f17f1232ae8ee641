// The recipes Personalize offers (AWS's built-in list), with the algorithm and feature
// transformation each one names. Static data: these resources are global and read-only.

export interface RecipeInfo {
  name: string;
  recipeType: string;
  /** Domain recipes (recommender use cases) name their domain. */
  domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND';
  /** Algorithm and feature transformation names (custom recipes only). */
  algorithm?: string;
  featureTransformation?: string;
  description: string;
  /** When AWS introduced it (reported as creation and last-update time). */
  since: string;
}

const custom = (name: string, recipeType: string, featureTransformation: string, description: string, since: string): RecipeInfo =>
  ({ name, recipeType, algorithm: name, featureTransformation, description, since });

const domain = (name: string, d: 'ECOMMERCE' | 'VIDEO_ON_DEMAND', description: string): RecipeInfo =>
  ({ name, recipeType: 'USER_PERSONALIZATION', domain: d, description, since: '2021-11-29T00:00:00Z' });

export const RECIPES: RecipeInfo[] = [
  custom('aws-hrnn', 'USER_PERSONALIZATION', 'JSON-percentile-filtering', 'Predicts items a user will interact with (legacy; use aws-user-personalization).', '2019-06-10T00:00:00Z'),
  custom('aws-hrnn-coldstart', 'USER_PERSONALIZATION', 'featurize_coldstart', 'HRNN with cold-start item exploration (legacy).', '2019-06-10T00:00:00Z'),
  custom('aws-hrnn-metadata', 'USER_PERSONALIZATION', 'featurize_metadata', 'HRNN using item and user metadata (legacy).', '2019-06-10T00:00:00Z'),
  custom('aws-item-affinity', 'USER_SEGMENTATION', 'item-affinity', 'Segments of users most likely to interact with given items.', '2022-05-26T00:00:00Z'),
  custom('aws-item-attribute-affinity', 'USER_SEGMENTATION', 'item-attribute-affinity', 'Segments of users most likely to interact with items of given attributes.', '2022-05-26T00:00:00Z'),
  custom('aws-next-best-action', 'PERSONALIZED_ACTIONS', 'next-best-action', 'Recommends the actions a user is most likely to take.', '2023-06-14T00:00:00Z'),
  custom('aws-personalized-ranking', 'PERSONALIZED_RANKING', 'personalized-ranking', 'Ranks a given list of items for a user.', '2019-06-10T00:00:00Z'),
  custom('aws-personalized-ranking-v2', 'PERSONALIZED_RANKING', 'personalized-ranking-v2', 'Transformer-based ranking of a given list of items for a user.', '2024-05-02T00:00:00Z'),
  custom('aws-popularity-count', 'USER_PERSONALIZATION', 'sims', 'Recommends the items with the most interactions.', '2019-06-10T00:00:00Z'),
  custom('aws-semantic-similarity', 'RELATED_ITEMS', 'semantic-similarity', 'Recommends items whose text is semantically similar to a given item.', '2025-11-20T00:00:00Z'),
  custom('aws-similar-items', 'RELATED_ITEMS', 'similar-items', 'Recommends items similar to a given item from interactions and metadata.', '2022-11-17T00:00:00Z'),
  custom('aws-sims', 'RELATED_ITEMS', 'sims', 'Recommends items that co-occur with a given item in user histories.', '2019-06-10T00:00:00Z'),
  custom('aws-trending-now', 'USER_PERSONALIZATION', 'trending-now', 'Recommends the items gaining popularity fastest.', '2022-05-24T00:00:00Z'),
  custom('aws-user-personalization', 'USER_PERSONALIZATION', 'user-personalization', 'Predicts the items a user will interact with, exploring new items.', '2020-08-17T00:00:00Z'),
  custom('aws-user-personalization-v2', 'USER_PERSONALIZATION', 'user-personalization-v2', 'Transformer-based prediction of the items a user will interact with.', '2024-05-02T00:00:00Z'),
  domain('aws-ecomm-customers-who-viewed-x-also-viewed', 'ECOMMERCE', 'Customers who viewed X also viewed.'),
  domain('aws-ecomm-frequently-bought-together', 'ECOMMERCE', 'Frequently bought together.'),
  domain('aws-ecomm-popular-items-by-purchases', 'ECOMMERCE', 'Best sellers.'),
  domain('aws-ecomm-popular-items-by-views', 'ECOMMERCE', 'Most viewed.'),
  domain('aws-ecomm-recommended-for-you', 'ECOMMERCE', 'Recommended for you.'),
  domain('aws-vod-because-you-watched-x', 'VIDEO_ON_DEMAND', 'Because you watched X.'),
  domain('aws-vod-more-like-x', 'VIDEO_ON_DEMAND', 'More like X.'),
  domain('aws-vod-most-popular', 'VIDEO_ON_DEMAND', 'Most popular.'),
  domain('aws-vod-top-picks', 'VIDEO_ON_DEMAND', 'Top picks for you.'),
  domain('aws-vod-trending-now', 'VIDEO_ON_DEMAND', 'Trending now.'),
];

export const recipeNamed = (name: string): RecipeInfo | undefined => RECIPES.find((r) => r.name === name);
