// Recipes trained by the training engine, end to end against a live server: planted-structure data
// imported through the API, aws-user-personalization-v2 and aws-popularity-count trained on it,
// and their campaigns compared on each user's held-out latest interaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, GetSolutionMetricsCommand, CreateCampaignCommand, DescribeCampaignCommand, CreateEventTrackerCommand,
  DescribeEventTrackerCommand,
} from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient, GetRecommendationsCommand, GetPersonalizedRankingCommand } from '@aws-sdk/client-personalize-runtime';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { plantedData } from '../../src/training/testing.js';
import { historyOf } from '../../src/training/data.js';
import { startTailor, ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const cfg = () => ({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const pz = () => new PersonalizeClient(cfg());
const rt = () => new PersonalizeRuntimeClient(cfg());

// Every user's latest interaction is held out; the rest are imported.
const data = plantedData({ users: 400 });
const held = new Map<string, string>();
function interactions(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < data.nUsers; u++) {
    const items = historyOf(data, u);
    items.subarray(0, -1).forEach((i, p) => rows.push(`user${u},item${i},${1700000000 + p}`));
    held.set(`user${u}`, `item${items.at(-1)}`);
  }
  return rows.join('\n');
}

let group: string;
let trackingId: string;

before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'RecipesRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'RecipesRole', PolicyName: 's3',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::recipes', 'arn:aws:s3:::recipes/*'] }] }),
  }));
  const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'recipes' }));
  await s3.send(new PutObjectCommand({ Bucket: 'recipes', Key: 'ix.csv', Body: interactions() }));
  const c = pz();
  group = (await c.send(new CreateDatasetGroupCommand({ name: 'recipes' }))).datasetGroupArn!;
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })), (d) => d.datasetGroup!.status === 'ACTIVE');
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: 'recipes-ix', schema: JSON.stringify({
    type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
    fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
  }) }));
  const { datasetArn } = await c.send(new CreateDatasetCommand({ name: 'recipes-ix', schemaArn, datasetGroupArn: group, datasetType: 'Interactions' }));
  await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
  const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({
    jobName: 'recipes-import', datasetArn, roleArn: `arn:aws:iam::${ACCOUNT}:role/RecipesRole`, dataSource: { dataLocation: 's3://recipes/ix.csv' },
  }));
  const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!));
  assert.equal(job.datasetImportJob!.status, 'ACTIVE', job.datasetImportJob!.failureReason);
  const tracker = await c.send(new CreateEventTrackerCommand({ name: 'recipes-tracker', datasetGroupArn: group }));
  trackingId = tracker.trackingId!;
  await until(() => c.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn })), (d) => d.eventTracker!.status === 'ACTIVE');
});
after(async () => {
  await tailor?.stop();
});

/** Trains `recipe` into a solution version and serves it from a campaign. */
async function campaignOf(recipe: string): Promise<{ campaignArn: string; metrics: Record<string, number> }> {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: recipe, datasetGroupArn: group, recipeArn: `arn:aws:personalize:::recipe/${recipe}` }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  const { metrics } = await c.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name: recipe, solutionVersionArn }));
  await until(() => c.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE');
  return { campaignArn: campaignArn!, metrics: metrics as Record<string, number> };
}

const recommended = async (campaignArn: string, userId: string, numResults = 10) =>
  (await rt().send(new GetRecommendationsCommand({ campaignArn, userId, numResults }))).itemList!.map((x) => x.itemId!);

async function hitRate(campaignArn: string): Promise<number> {
  let hits = 0;
  for (const [userId, item] of held) if ((await recommended(campaignArn, userId)).includes(item)) hits++;
  return hits / held.size;
}

test('aws-user-personalization-v2 beats aws-popularity-count on held-out interactions, in its metrics and its campaign', async () => {
  const v2 = await campaignOf('aws-user-personalization-v2');
  const pop = await campaignOf('aws-popularity-count');
  assert.ok(v2.metrics.normalized_discounted_cumulative_gain_at_10 > pop.metrics.normalized_discounted_cumulative_gain_at_10, JSON.stringify({ v2: v2.metrics, pop: pop.metrics }));
  const [learned, popular] = [await hitRate(v2.campaignArn), await hitRate(pop.campaignArn)];
  assert.ok(learned > 0.8 && learned > popular + 0.4, `v2 hit rate ${learned}, popularity ${popular}`);

  // The user's own events move their next recommendations, and what they interacted with leaves them.
  const before = await recommended(v2.campaignArn, 'user0');
  const fresh = Array.from({ length: 3 }, (_, j) => `item${(historyOf(data, 0)[0] + 40 + j) % 96}`);
  await new PersonalizeEventsClient(cfg()).send(new PutEventsCommand({
    trackingId, userId: 'user0', sessionId: 's0', eventList: fresh.map((itemId, j) => ({ eventType: 'click', itemId, sentAt: new Date(Date.now() + j * 1000) })),
  }));
  const after = await recommended(v2.campaignArn, 'user0');
  assert.notDeepEqual(after, before);
  assert.ok(!fresh.some((i) => after.includes(i)), 'items the user just interacted with are not recommended');
  // Another user's recommendations are unchanged.
  assert.deepEqual(await recommended(v2.campaignArn, 'user1'), await recommended(v2.campaignArn, 'user1'));
});

test('aws-personalized-ranking-v2 orders a list by the user\'s history', async () => {
  const { campaignArn } = await campaignOf('aws-personalized-ranking-v2');
  let first = 0;
  for (const [userId, item] of [...held].slice(0, 100)) {
    const others = [...held.values()].filter((i) => i !== item).slice(0, 9);
    const out = await rt().send(new GetPersonalizedRankingCommand({ campaignArn, userId, inputList: [...others, item, 'never-seen'] }));
    const ranked = out.personalizedRanking!.map((x) => x.itemId);
    assert.equal(ranked.at(-1), 'never-seen');
    if (ranked.indexOf(item) < 3) first++;
  }
  assert.ok(first > 50, `held-out item in the top 3 of 11 for ${first} of 100 users`);
});
