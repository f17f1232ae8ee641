// USER_SEGMENTATION and PERSONALIZED_ACTIONS recipes end to end against a live server, through
// the real SDK: item-affinity and item-attribute-affinity solution versions report the
// USER_SEGMENTATION metrics, and next-best-action learns from the actions users were shown but
// did not take.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, GetSolutionMetricsCommand, CreateCampaignCommand, DescribeCampaignCommand, CreateFilterCommand, DescribeFilterCommand,
} from '@aws-sdk/client-personalize';
import { PersonalizeRuntimeClient, GetActionRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { plantedData } from '../../src/training/testing.js';
import { historyOf } from '../../src/training/data.js';
import { startTailor, ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const cfg = () => ({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const pz = () => new PersonalizeClient(cfg());
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SegmentsRole`;

before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'SegmentsRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'SegmentsRole', PolicyName: 's3',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::segments', 'arn:aws:s3:::segments/*'] }] }),
  }));
  await new S3Client({ ...cfg(), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'segments' }));
});
after(async () => {
  await tailor?.stop();
});

const field = (name: string, type: string, extra: object = {}) => ({ name, type, ...extra });

/** A dataset group with each dataset imported from its CSV; returns the group's ARN. */
async function groupWith(name: string, datasets: Record<string, { fields: object[]; csv: string }>): Promise<string> {
  const c = pz();
  const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
  const group = (await c.send(new CreateDatasetGroupCommand({ name }))).datasetGroupArn!;
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })), (d) => d.datasetGroup!.status === 'ACTIVE');
  for (const [type, { fields, csv }] of Object.entries(datasets)) {
    await s3.send(new PutObjectCommand({ Bucket: 'segments', Key: `${name}/${type}.csv`, Body: csv }));
    const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `${name}-${type}`, schema: JSON.stringify({ type: 'record', name: type, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields }) }));
    const { datasetArn } = await c.send(new CreateDatasetCommand({ name: `${name}-${type}`, schemaArn, datasetGroupArn: group, datasetType: type }));
    await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
    const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({
      jobName: `${name}-${type}`, datasetArn, roleArn: ROLE, dataSource: { dataLocation: `s3://segments/${name}/${type}.csv` },
    }));
    const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!));
    assert.equal(job.datasetImportJob!.status, 'ACTIVE', job.datasetImportJob!.failureReason);
  }
  return group;
}

/** Trains `recipe` in `group` into an ACTIVE solution version. */
async function versionOf(group: string, recipe: string): Promise<string> {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: `${recipe}-${group.split('/').at(-1)}`, datasetGroupArn: group, recipeArn: `arn:aws:personalize:::recipe/${recipe}` }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  return solutionVersionArn!;
}

test('item affinity and item-attribute affinity: GetSolutionMetrics reports coverage, hit and recall on held-out interactions', async () => {
  const data = plantedData({ users: 600 });
  const ix = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < data.nUsers; u++) historyOf(data, u).forEach((i, p) => ix.push(`user${u},item${i},${1700000000 + p}`));
  const items = ['ITEM_ID,GENRE'];
  for (let i = 0; i < data.nItems; i++) items.push(`item${i},${i < 96 ? `g${Math.floor(i / 12)}` : 'hits'}`);
  const group = await groupWith('affinity', {
    Interactions: { fields: [field('USER_ID', 'string'), field('ITEM_ID', 'string'), field('TIMESTAMP', 'long')], csv: ix.join('\n') },
    Items: { fields: [field('ITEM_ID', 'string'), field('GENRE', 'string', { categorical: true })], csv: items.join('\n') },
  });
  // K is 1% of 600 users: 6. A segment of 6 users drawn at random would find about 1% of an
  // item's actual users; the planted clusters let the model find many times that.
  const floors = { 'aws-item-affinity': 0.06, 'aws-item-attribute-affinity': 0.3 };
  for (const [recipe, floor] of Object.entries(floors)) {
    const { metrics } = await pz().send(new GetSolutionMetricsCommand({ solutionVersionArn: await versionOf(group, recipe) }));
    const m = metrics as Record<string, number>;
    assert.deepEqual(Object.keys(m).sort(), ['coverage', 'hit', 'recall'], recipe);
    const say = `${recipe}: ${JSON.stringify(m)}`;
    assert.ok(m.recall > floor && m.recall <= 1, say);
    assert.ok(m.hit > 0 && m.hit <= 6, say);
    assert.ok(m.coverage > 0 && m.coverage <= 1, say);
  }
});

/**
 * Action interactions where "mass" is taken by 60 users and "niche" by 30 (with filler actions
 * for Personalize's minimums); `declined` adds those shown an action without taking it: mass is
 * declined by 240 users and niche by 3.
 */
function actionInteractions(declined: boolean): string {
  const rows = ['USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE'];
  for (let r = 0; r < 1200; r++) rows.push(`f${r % 200},filler${r % 4},${1700000000 + r},TAKEN`);
  for (let u = 0; u < 60; u++) rows.push(`m${u},mass,${1700002000 + u},TAKEN`);
  for (let u = 0; u < 30; u++) rows.push(`n${u},niche,${1700003000 + u},TAKEN`);
  if (declined) {
    for (let u = 0; u < 240; u++) rows.push(`d${u},mass,${1700004000 + u},NOT_TAKEN`);
    for (let u = 0; u < 3; u++) rows.push(`d${u},niche,${1700005000 + u},NOT_TAKEN`);
  }
  return rows.join('\n');
}

/** A next-best-action campaign over the action interactions. */
async function actionCampaign(name: string, declined: boolean): Promise<{ group: string; campaignArn: string }> {
  const group = await groupWith(name, {
    Actions: { fields: [field('ACTION_ID', 'string'), field('KIND', 'string', { categorical: true })], csv: ['ACTION_ID,KIND', 'mass,offer', 'niche,offer', 'filler0,ask', 'filler1,ask', 'filler2,ask', 'filler3,ask'].join('\n') },
    Action_Interactions: {
      fields: [field('USER_ID', 'string'), field('ACTION_ID', 'string'), field('TIMESTAMP', 'long'), field('EVENT_TYPE', 'string')],
      csv: actionInteractions(declined),
    },
  });
  const c = pz();
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name: `${name}-nba`, solutionVersionArn: await versionOf(group, 'aws-next-best-action') }));
  await until(() => c.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE');
  return { group, campaignArn: campaignArn! };
}

/** The offers (mass, niche) among the actions recommended to the user, in their order. */
async function offers(campaignArn: string, userId: string, filterArn?: string): Promise<string[]> {
  const out = await new PersonalizeRuntimeClient(cfg()).send(new GetActionRecommendationsCommand({ campaignArn, userId, numResults: 10, filterArn }));
  return out.actionList!.map((a) => a.actionId!).filter((id) => id === 'mass' || id === 'niche');
}

test('next-best-action: imported NOT_TAKEN rows change the actions recommended; filters read the imported action interactions', async () => {
  // Counting takes, mass leads; as take rates (60 of 300 shown against 30 of 33), niche does.
  assert.deepEqual(await offers((await actionCampaign('counts', false)).campaignArn, 'newcomer'), ['mass', 'niche']);
  const rates = await actionCampaign('rates', true);
  assert.deepEqual(await offers(rates.campaignArn, 'newcomer'), ['niche', 'mass']);
  const c = pz();
  const { filterArn } = await c.send(new CreateFilterCommand({ name: 'not-declined', datasetGroupArn: rates.group, filterExpression: 'EXCLUDE ActionID WHERE Action_Interactions.EVENT_TYPE IN ("NOT_TAKEN")' }));
  await until(() => c.send(new DescribeFilterCommand({ filterArn })), (d) => d.filter!.status === 'ACTIVE');
  // In the imported rows (no event since) d0 declined both offers and d5 only mass.
  assert.deepEqual(await offers(rates.campaignArn, 'd0', filterArn), []);
  assert.deepEqual(await offers(rates.campaignArn, 'd5', filterArn), ['niche']);
  assert.deepEqual(await offers(rates.campaignArn, 'newcomer', filterArn), ['niche', 'mass']);
});
