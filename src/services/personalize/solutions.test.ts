import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { groupWithData, pzEnv } from './test-support.js';
import { KIND, type SolutionVersionDoc, type RecommenderDoc } from './schema.js';
import { loadModel } from './training.js';
import { servedVersion } from './campaigns.js';
import { campaignModel } from './serving.js';

const ACCOUNT = '000000000000';
const P = `arn:aws:personalize:us-east-1:${ACCOUNT}`;
const GROUP = `${P}:dataset-group/g`;
const POP = 'arn:aws:personalize:::recipe/aws-popularity-count';
test('solution → version that really counts → metrics → campaign; delete order is enforced', async () => {
  const env = pzEnv();
  try {
    await assert.rejects(env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP, recipeArn: POP }), { code: 'ResourceNotFoundException' });
    await groupWithData(env);
    await assert.rejects(env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP }), { code: 'InvalidInputException' });
    await assert.rejects(env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP, recipeArn: 'arn:aws:personalize:::recipe/aws-vod-most-popular' }), { code: 'InvalidInputException' });
    const { solutionArn } = await env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP, recipeArn: POP });
    await assert.rejects(env.call('CreateSolutionVersion', { solutionArn }), { code: 'ResourceInUseException' });
    await env.settle();
    const solution = (await env.call('DescribeSolution', { solutionArn })).solution;
    assert.equal(solution.performAutoTraining, true);
    assert.equal(solution.status, 'ACTIVE');

    const { solutionVersionArn } = await env.call('CreateSolutionVersion', { solutionArn });
    assert.match(solutionVersionArn, new RegExp(`^${solutionArn}/[0-9a-f]{8}$`));
    assert.equal(env.last.queries[0].resource, solutionArn);
    await assert.rejects(env.call('GetSolutionMetrics', { solutionVersionArn }), { code: 'ResourceInUseException' });
    await env.settle();
    const v = (await env.call('DescribeSolutionVersion', { solutionVersionArn })).solutionVersion;
    assert.equal(v.status, 'ACTIVE', v.failureReason);
    assert.equal(v.trainingType, 'MANUAL');
    assert.equal(v.trainingMode, 'FULL');
    const { metrics } = await env.call('GetSolutionMetrics', { solutionVersionArn });
    assert.deepEqual(Object.keys(metrics).sort(), ['coverage', 'mean_reciprocal_rank_at_25', 'normalized_discounted_cumulative_gain_at_10',
      'normalized_discounted_cumulative_gain_at_25', 'normalized_discounted_cumulative_gain_at_5', 'precision_at_10', 'precision_at_25', 'precision_at_5']);
    const doc = env.store.get<SolutionVersionDoc>(KIND.solutionVersion, solutionVersionArn)!;
    const model = loadModel(env.app, GROUP, doc.model!);
    assert.deepEqual(model.items.slice(0, 2), ['i0', 'i1']);
    assert.deepEqual(model.counts.slice(0, 2), [600, 300]);
    assert.equal((await env.call('DescribeSolution', { solutionArn })).solution.latestSolutionVersion.solutionVersionArn, solutionVersionArn);
    assert.equal((await env.call('ListSolutionVersions', { solutionArn })).solutionVersions.length, 1);
    await assert.rejects(env.call('CreateSolutionVersion', { solutionArn, trainingMode: 'UPDATE' }), { code: 'InvalidInputException' });

    const { campaignArn } = await env.call('CreateCampaign', { name: 'c', solutionVersionArn });
    await env.settle();
    const campaign = (await env.call('DescribeCampaign', { campaignArn })).campaign;
    assert.equal(campaign.status, 'ACTIVE');
    assert.equal(campaign.minProvisionedTPS, 1);
    assert.equal(servedVersion(env.app, `${solutionArn}/$LATEST`)?.solutionVersionArn, solutionVersionArn);
    assert.deepEqual(campaignModel(env.app, campaignArn)?.model.items.slice(0, 2), ['i0', 'i1']);
    await env.call('UpdateCampaign', { campaignArn, minProvisionedTPS: 2 });
    // The update moves through its own states; the campaign keeps its settings until it is ACTIVE.
    const updating = (await env.call('DescribeCampaign', { campaignArn })).campaign;
    assert.equal(updating.latestCampaignUpdate.status, 'CREATE PENDING');
    assert.equal(updating.latestCampaignUpdate.minProvisionedTPS, 2);
    assert.equal(updating.minProvisionedTPS, 1);
    await assert.rejects(env.call('UpdateCampaign', { campaignArn, minProvisionedTPS: 3 }), { code: 'ResourceInUseException' });
    await env.settle();
    const updated = (await env.call('DescribeCampaign', { campaignArn })).campaign;
    assert.equal(updated.latestCampaignUpdate.status, 'ACTIVE');
    assert.equal(updated.minProvisionedTPS, 2);
    assert.equal((await env.call('ListCampaigns', { solutionArn })).campaigns.length, 1);

    await assert.rejects(env.call('DeleteSolution', { solutionArn }), { code: 'ResourceInUseException' });
    await env.call('DeleteCampaign', { campaignArn });
    await env.settle();
    await env.call('DeleteSolution', { solutionArn });
    await env.settle();
    assert.equal(env.store.count(KIND.solutionVersion), 0);
    await assert.rejects(env.call('DescribeSolutionVersion', { solutionVersionArn }), { code: 'ResourceNotFoundException' });
  } finally {
    env.close();
  }
});

test('stopping a pending version stops it; a version without data fails with a reason', async () => {
  const env = pzEnv();
  try {
    await env.call('CreateDatasetGroup', { name: 'g' });
    await env.settle();
    const { solutionArn } = await env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP, recipeArn: POP, performAutoTraining: false });
    await env.settle();
    const a = (await env.call('CreateSolutionVersion', { solutionArn })).solutionVersionArn;
    await env.call('StopSolutionVersionCreation', { solutionVersionArn: a });
    const b = (await env.call('CreateSolutionVersion', { solutionArn })).solutionVersionArn;
    await env.settle();
    assert.equal((await env.call('DescribeSolutionVersion', { solutionVersionArn: a })).solutionVersion.status, 'CREATE STOPPED');
    const failed = (await env.call('DescribeSolutionVersion', { solutionVersionArn: b })).solutionVersion;
    assert.equal(failed.status, 'CREATE FAILED');
    assert.match(failed.failureReason, /no interactions data/);
    await assert.rejects(env.call('StopSolutionVersionCreation', { solutionVersionArn: b }), { code: 'ResourceInUseException' });
    await assert.rejects(env.call('CreateCampaign', { name: 'c', solutionVersionArn: b }), { code: 'ResourceInUseException' });
  } finally {
    env.close();
  }
});

test('recommenders: domain use cases only, trained on their event type, stop and start', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env, 'ECOMMERCE');
    await assert.rejects(env.call('CreateRecommender', { name: 'r', datasetGroupArn: GROUP, recipeArn: POP }), { code: 'InvalidInputException' });
    await assert.rejects(env.call('CreateRecommender', { name: 'r', datasetGroupArn: GROUP, recipeArn: 'arn:aws:personalize:::recipe/aws-vod-most-popular' }), { code: 'InvalidInputException' });
    const { recommenderArn } = await env.call('CreateRecommender', { name: 'r', datasetGroupArn: GROUP, recipeArn: 'arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views' });
    await env.settle();
    const r = (await env.call('DescribeRecommender', { recommenderArn })).recommender;
    assert.equal(r.status, 'ACTIVE', r.failureReason);
    assert.ok('precision_at_25' in r.modelMetrics);
    const doc = env.store.get<RecommenderDoc>(KIND.recommender, recommenderArn)!;
    assert.equal(loadModel(env.app, GROUP, doc.model!).counts.reduce((a, b) => a + b, 0), 1500);

    await env.call('StopRecommender', { recommenderArn });
    assert.equal((await env.call('DescribeRecommender', { recommenderArn })).recommender.status, 'STOP PENDING');
    await env.settle();
    assert.equal((await env.call('DescribeRecommender', { recommenderArn })).recommender.status, 'INACTIVE');
    await assert.rejects(env.call('StopRecommender', { recommenderArn }), { code: 'ResourceInUseException' });
    await env.call('StartRecommender', { recommenderArn });
    await env.settle();
    assert.equal((await env.call('DescribeRecommender', { recommenderArn })).recommender.status, 'ACTIVE');
    await env.call('UpdateRecommender', { recommenderArn, recommenderConfig: { minRecommendationRequestsPerSecond: 2 } });
    assert.equal((await env.call('DescribeRecommender', { recommenderArn })).recommender.latestRecommenderUpdate.status, 'CREATE PENDING');
    await env.settle();
    assert.equal((await env.call('DescribeRecommender', { recommenderArn })).recommender.latestRecommenderUpdate.status, 'ACTIVE');
    assert.equal((await env.call('ListRecommenders', { datasetGroupArn: GROUP })).recommenders[0].recommenderConfig.minRecommendationRequestsPerSecond, 2);
    const files = () => readdirSync(join(env.app.config.dataDir, 'personalize')).length;
    const before = files();
    await env.call('DeleteRecommender', { recommenderArn });
    await env.settle();
    assert.equal(files(), before - 1);
  } finally {
    env.close();
  }
});

test('automatic training: a first version within an hour of ACTIVE, then one per scheduling interval', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const { solutionArn } = await env.call('CreateSolution', {
      name: 's', datasetGroupArn: GROUP, recipeArn: POP, solutionConfig: { autoTrainingConfig: { schedulingExpression: 'rate(2 days)' } },
    });
    await env.settle();
    const versions = async () => (await env.call('ListSolutionVersions', { solutionArn })).solutionVersions;
    assert.equal((await versions()).length, 0);
    env.clock = new Date(env.clock.getTime() + 3_600_000);
    await env.settle();
    const [first] = await versions();
    assert.deepEqual([first.trainingType, first.status], ['AUTOMATIC', 'ACTIVE']);
    env.clock = new Date(env.clock.getTime() + 86_400_000);
    await env.settle();
    assert.equal((await versions()).length, 1);
    env.clock = new Date(env.clock.getTime() + 86_400_000);
    await env.settle();
    assert.equal((await versions()).length, 2);
    await env.call('UpdateSolution', { solutionArn, performAutoTraining: false });
    assert.equal((await env.call('DescribeSolution', { solutionArn })).solution.latestSolutionUpdate.status, 'CREATE PENDING');
    await env.settle();
    const afterUpdate = (await env.call('DescribeSolution', { solutionArn })).solution;
    assert.equal(afterUpdate.latestSolutionUpdate.status, 'ACTIVE');
    assert.equal(afterUpdate.performAutoTraining, false);
    env.clock = new Date(env.clock.getTime() + 10 * 86_400_000);
    await env.settle();
    assert.equal((await versions()).length, 2);
  } finally {
    env.close();
  }
});
