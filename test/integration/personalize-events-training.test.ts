// What the events API records is trained on, as on AWS (PutEvents join the Interactions dataset
// the next training reads): against a live server through the real SDK, 40 imported users each
// take three items no import has, via PutEvents; the next SIMS version relates those items to each
// other, and a user-personalization UPDATE learns them too. The same holds in a KMS-keyed group,
// whose journal records are sealed. Next-best-action trains on PutActionInteractions and leaves
// out the actions a user already took.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, CreateCampaignCommand, DescribeCampaignCommand, CreateEventTrackerCommand, DescribeEventTrackerCommand, ListDatasetsCommand,
} from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient, PutEventsCommand, PutActionInteractionsCommand } from '@aws-sdk/client-personalize-events';
import { PersonalizeRuntimeClient, GetRecommendationsCommand, GetActionRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { plantedData } from '../../src/training/testing.js';
import { historyOf } from '../../src/training/data.js';
import { startTailor, ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const cfg = () => ({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const pz = () => new PersonalizeClient(cfg());
const rt = () => new PersonalizeRuntimeClient(cfg());
const ROLE = `arn:aws:iam::${ACCOUNT}:role/EventsTrainingRole`;
const BUCKET = 'events-training';
const T0 = 1_700_000_000;
const NEW = ['newA', 'newB', 'newC'];
let keyArn: string;

before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
  keyArn = (await new KMSClient(cfg()).send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'EventsTrainingRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'EventsTrainingRole', PolicyName: 'data',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn },
      ],
    }),
  }));
  await new S3Client({ ...cfg(), forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: BUCKET }));
});
after(async () => {
  await tailor?.stop();
});

const field = (name: string, type: unknown) => ({ name, type });

/** A dataset group (KMS-keyed when asked) with each dataset imported from its CSV, and an event tracker. */
async function groupWith(name: string, kms: boolean, datasets: Record<string, { fields: object[]; csv: string }>) {
  const c = pz();
  const s3 = new S3Client({ ...cfg(), forcePathStyle: true });
  const group = (await c.send(new CreateDatasetGroupCommand({ name, ...(kms ? { roleArn: ROLE, kmsKeyArn: keyArn } : {}) }))).datasetGroupArn!;
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })), (d) => d.datasetGroup!.status === 'ACTIVE');
  for (const [type, { fields, csv }] of Object.entries(datasets)) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${name}/${type}.csv`, Body: csv }));
    const schema = JSON.stringify({ type: 'record', name: type, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });
    const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `${name}-${type}`, schema }));
    const { datasetArn } = await c.send(new CreateDatasetCommand({ name: `${name}-${type}`, schemaArn, datasetGroupArn: group, datasetType: type }));
    await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
    const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({
      jobName: `${name}-${type}`, datasetArn, roleArn: ROLE, dataSource: { dataLocation: `s3://${BUCKET}/${name}/${type}.csv` },
    }));
    const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!));
    assert.equal(job.datasetImportJob!.status, 'ACTIVE', job.datasetImportJob!.failureReason);
  }
  const tracker = await c.send(new CreateEventTrackerCommand({ name: `${name}-tracker`, datasetGroupArn: group }));
  await until(() => c.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn })), (d) => d.eventTracker!.status === 'ACTIVE');
  return { group, trackingId: tracker.trackingId! };
}

async function solutionOf(group: string, recipe: string, name: string): Promise<string> {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name, datasetGroupArn: group, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, performAutoTraining: false }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  return solutionArn!;
}

async function train(solutionArn: string, trainingMode: 'FULL' | 'UPDATE' = 'FULL'): Promise<string> {
  const c = pz();
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn, trainingMode }));
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  return solutionVersionArn!;
}

async function campaignOf(solutionVersionArn: string, name: string): Promise<string> {
  const c = pz();
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name, solutionVersionArn }));
  await until(() => c.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE');
  return campaignArn!;
}

const recommend = async (campaignArn: string, q: { userId?: string; itemId?: string }) =>
  (await rt().send(new GetRecommendationsCommand({ campaignArn, numResults: 10, ...q }))).itemList!.map((x) => x.itemId!);

/** Planted interactions (items in 8 clusters of 12, plus popular ones), as an Interactions CSV with event types. */
function interactionsCsv(): string {
  const data = plantedData({ users: 200 });
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < data.nUsers; u++) historyOf(data, u).forEach((i, p) => rows.push(`user${u},item${i},${T0 + p},click`));
  return rows.join('\n');
}

const INTERACTIONS = [field('USER_ID', 'string'), field('ITEM_ID', 'string'), field('TIMESTAMP', 'long'), field('EVENT_TYPE', 'string'), field('EVENT_VALUE', ['null', 'float'])];

/** Users user0..user39 each take newA, newB and newC (in that order), recorded with PutEvents. */
async function fansTakeNewItems(trackingId: string): Promise<void> {
  const events = new PersonalizeEventsClient(cfg());
  for (let u = 0; u < 40; u++) {
    await events.send(new PutEventsCommand({
      trackingId, userId: `user${u}`, sessionId: `s${u}`,
      eventList: NEW.map((itemId, k) => ({ itemId, eventType: 'click', eventValue: 1, sentAt: new Date((T0 + 1000 + k) * 1000) })),
    }));
  }
}

for (const kms of [false, true]) {
  test(`${kms ? 'KMS-keyed group' : 'plain group'}: PutEvents are trained on by the next SIMS version`, async () => {
    const name = kms ? 'sims-kms' : 'sims';
    const { group, trackingId } = await groupWith(name, kms, { Interactions: { fields: INTERACTIONS, csv: interactionsCsv() } });
    const solution = await solutionOf(group, 'aws-sims', `${name}-sims`);
    const before = await campaignOf(await train(solution), `${name}-before`);
    await fansTakeNewItems(trackingId);
    const after = await campaignOf(await train(solution), `${name}-after`);
    // Only the events relate the new items; the version trained before them does not know newA.
    assert.ok(!(await recommend(before, { itemId: 'newA' })).slice(0, 2).every((id) => NEW.includes(id)));
    assert.deepEqual((await recommend(after, { itemId: 'newA' })).slice(0, 2).sort(), ['newB', 'newC']);
    assert.deepEqual((await recommend(after, { itemId: 'newC' })).slice(0, 2).sort(), ['newA', 'newB']);
  });
}

test('user-personalization: an UPDATE folds the PutEvents in; a user who took newA is then offered newB and newC', async () => {
  const { group, trackingId } = await groupWith('update', false, { Interactions: { fields: INTERACTIONS, csv: interactionsCsv() } });
  const solution = await solutionOf(group, 'aws-user-personalization', 'update-up');
  const full = await campaignOf(await train(solution), 'update-full');
  await fansTakeNewItems(trackingId);
  await new PersonalizeEventsClient(cfg()).send(new PutEventsCommand({
    trackingId, userId: 'probe', sessionId: 'probe', eventList: [{ itemId: 'newA', eventType: 'click', sentAt: new Date((T0 + 2000) * 1000) }],
  }));
  const updated = await campaignOf(await train(solution, 'UPDATE'), 'update-updated');
  // Before the UPDATE the model knows none of probe's history: the new items come only as popular
  // ones. After it, they are what probe's newA predicts, scored many times higher.
  const scores = async (campaignArn: string) => (await rt().send(new GetRecommendationsCommand({ campaignArn, userId: 'probe', numResults: 10 }))).itemList!;
  const before = new Map((await scores(full)).map((x) => [x.itemId, x.score ?? 0]));
  const learned = (await scores(updated)).slice(0, 2);
  assert.deepEqual(learned.map((x) => x.itemId).sort(), ['newB', 'newC']);
  assert.ok(learned.every((x) => x.score! > 3 * (before.get(x.itemId) ?? 0)), JSON.stringify({ learned, before: [...before] }));
});

test('next-best-action: PutActionInteractions are trained on, and actions the user took are left out', async () => {
  const rows = ['USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE'];
  for (let r = 0; r < 1200; r++) rows.push(`f${r % 200},filler${r % 4},${T0 + r},TAKEN`);
  const { group } = await groupWith('nba', false, {
    Actions: { fields: [field('ACTION_ID', 'string'), field('KIND', 'string')], csv: ['ACTION_ID,KIND', 'join,offer', 'renew,offer', 'filler0,ask', 'filler1,ask', 'filler2,ask', 'filler3,ask'].join('\n') },
    Action_Interactions: { fields: [field('USER_ID', 'string'), field('ACTION_ID', 'string'), field('TIMESTAMP', 'long'), field('EVENT_TYPE', 'string')], csv: rows.join('\n') },
  });
  const c = pz();
  const { datasets } = await c.send(new ListDatasetsCommand({ datasetGroupArn: group }));
  const actionIx = datasets!.find((d) => d.datasetType === 'Action_Interactions')!;
  const trackingId = (await c.send(new DescribeDatasetCommand({ datasetArn: actionIx.datasetArn }))).dataset!.trackingId!;
  // 60 imported users each take "join" then "renew", only through the events API.
  const events = new PersonalizeEventsClient(cfg());
  for (let u = 0; u < 60; u++) {
    await events.send(new PutActionInteractionsCommand({
      trackingId, actionInteractions: ['join', 'renew'].map((actionId, k) => ({ actionId, userId: `f${u}`, sessionId: `s${u}`, eventType: 'TAKEN', timestamp: new Date((T0 + 5000 + k) * 1000) })),
    }));
  }
  await events.send(new PutActionInteractionsCommand({
    trackingId, actionInteractions: [{ actionId: 'join', userId: 'member', sessionId: 'member', eventType: 'TAKEN', timestamp: new Date((T0 + 6000) * 1000) }],
  }));
  const campaignArn = await campaignOf(await train(await solutionOf(group, 'aws-next-best-action', 'nba')), 'nba');
  const actions = async (userId: string) => (await rt().send(new GetActionRecommendationsCommand({ campaignArn, userId, numResults: 10 }))).actionList!;
  const member = await actions('member');
  assert.equal(member[0].actionId, 'renew', JSON.stringify(member));
  assert.ok(!member.some((a) => a.actionId === 'join'), 'join was taken already');
  assert.ok(member[0].score! > 0.5 && member[0].score! <= 1, JSON.stringify(member));
});
