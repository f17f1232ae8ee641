// Batch inference as GetRecommendations answers, against a live server with SDK v3 and boto3, in a
// KMS-keyed dataset group: the job's filter applies to every line with that line's filterValues;
// itemExplorationConfig brings new items in; PutEvents count in users' histories; the config and
// THEME_GENERATION are checked at create. The events journal holds the group's records sealed, and
// a restart reads them back through KMS.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, CreateBatchInferenceJobCommand, DescribeBatchInferenceJobCommand, CreateFilterCommand, DescribeFilterCommand,
  CreateEventTrackerCommand, DescribeEventTrackerCommand, CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand,
  type CreateBatchInferenceJobCommandInput,
} from '@aws-sdk/client-personalize';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { start, type Running } from '../../src/main.js';
import { plantedData } from '../../src/training/testing.js';
import { historyOf } from '../../src/training/data.js';
import { python, PYTHON, ROOT, ACCOUNT, PERSONALIZE_TRUST, until, rejectsWith } from './support.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tailor-batch-filters-'));
let server: Running;
const cfg = () => ({ endpoint: server.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const pz = () => new PersonalizeClient(cfg());
const s3 = () => new S3Client({ ...cfg(), forcePathStyle: true });
const ROLE = `arn:aws:iam::${ACCOUNT}:role/FilterBatchRole`;
const BUCKET = 'batch-filters';

// Items 0..95 are 8 genres of 12, 96..101 popular noise; cold0..cold3 are new, only in the Items data.
const data = plantedData({ users: 200 });
const genreOf = (i: number) => (i < 96 ? `g${Math.floor(i / 12)}` : 'popular');
const genreOfId = (id: string) => (id.startsWith('cold') ? `g${id.slice(4)}` : genreOf(Number(id.slice(4))));
const LAST = 1_700_000_000 + 100;

function interactionsCsv(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < data.nUsers; u++) historyOf(data, u).forEach((i, p) => rows.push(`user${u},item${i},${1_700_000_000 + p}`));
  return rows.join('\n');
}

function itemsCsv(): string {
  const rows = ['ITEM_ID,GENRES,CREATION_TIMESTAMP,TITLE,DESCRIPTION'];
  for (let i = 0; i < data.nItems; i++) rows.push(`item${i},${genreOf(i)},${1_600_000_000 + i},Title ${i},"Item ${i}, of ${genreOf(i)}"`);
  for (let c = 0; c < 4; c++) rows.push(`cold${c},g${c},${LAST - 86_400},Cold ${c},A new item`);
  return rows.join('\n');
}

const schema = (name: string, fields: object[]) => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

async function serve(): Promise<void> {
  server = await start({ dataDir, accountId: ACCOUNT, host: '127.0.0.1', port: 0 }, {
    env: { TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey }, log: () => {}, jobs: { stepMs: 20 },
  });
}

let group: string;
let version: string;
let filterArn: string;
let trackingId: string;

async function dataset(type: string, fields: object[], key: string): Promise<void> {
  const c = pz();
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `bf-${type}`, schema: schema(type, fields) }));
  const { datasetArn } = await c.send(new CreateDatasetCommand({ name: `bf-${type}`, schemaArn, datasetGroupArn: group, datasetType: type }));
  await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
  const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({ jobName: `bf-${type}`, datasetArn, roleArn: ROLE, dataSource: { dataLocation: `s3://${BUCKET}/${key}` } }));
  const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!));
  assert.equal(job.datasetImportJob!.status, 'ACTIVE', job.datasetImportJob!.failureReason);
}

before(async () => {
  await serve();
  const { KeyMetadata: key } = await new KMSClient(cfg()).send(new CreateKeyCommand({}));
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'FilterBatchRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'FilterBatchRole', PolicyName: 'data',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: key!.Arn },
      ],
    }),
  }));
  await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ix.csv', Body: interactionsCsv() }));
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'items.csv', Body: itemsCsv() }));
  const c = pz();
  group = (await c.send(new CreateDatasetGroupCommand({ name: 'batch-filters', roleArn: ROLE, kmsKeyArn: key!.Arn }))).datasetGroupArn!;
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })), (d) => d.datasetGroup!.status === 'ACTIVE');
  await dataset('Interactions', [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }], 'ix.csv');
  await dataset('Items', [
    { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true }, { name: 'CREATION_TIMESTAMP', type: 'long' },
    { name: 'TITLE', type: 'string' }, { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
  ], 'items.csv');
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: 'bf-up', datasetGroupArn: group, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization', performAutoTraining: false }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  version = (await c.send(new CreateSolutionVersionCommand({ solutionArn }))).solutionVersionArn!;
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn: version })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  filterArn = (await c.send(new CreateFilterCommand({ name: 'bf-genres', datasetGroupArn: group, filterExpression: 'INCLUDE ItemID WHERE Items.GENRES IN ($GENRES)' }))).filterArn!;
  await until(() => c.send(new DescribeFilterCommand({ filterArn })), (d) => d.filter!.status === 'ACTIVE');
  const tracker = await c.send(new CreateEventTrackerCommand({ name: 'bf-tracker', datasetGroupArn: group }));
  trackingId = tracker.trackingId!;
  await until(() => c.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn })), (d) => d.eventTracker!.status === 'ACTIVE');
});
after(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let jobs = 0;
/** Runs a batch inference job over `lines` and returns its output lines. */
async function batch(lines: object[], more: Partial<CreateBatchInferenceJobCommandInput> = {}): Promise<any[]> {
  const d = await runJob(lines, more);
  assert.equal(d.status, 'ACTIVE', d.failureReason);
  const body = await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: `out/${d.jobName}/${d.jobName}.json.out` }))).Body!.transformToString();
  return body.trim().split('\n').map((l) => JSON.parse(l));
}

/** Runs a batch inference job over `lines` to its end; its description. */
async function runJob(lines: object[], more: Partial<CreateBatchInferenceJobCommandInput>) {
  const name = `bf-${++jobs}`;
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: `in/${name}.json`, Body: lines.map((l) => JSON.stringify(l)).join('\n') }));
  const c = pz();
  const { batchInferenceJobArn } = await c.send(new CreateBatchInferenceJobCommand({
    jobName: name, solutionVersionArn: version, roleArn: ROLE, numResults: 10,
    jobInput: { s3DataSource: { path: `s3://${BUCKET}/in/${name}.json` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/${name}/` } }, ...more,
  }));
  const d = await until(() => c.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn })), (x) => ['ACTIVE', 'CREATE FAILED'].includes(x.batchInferenceJob!.status!));
  return d.batchInferenceJob!;
}

test('the job\'s filter applies to every line with that line\'s filterValues; a line missing an INCLUDE value fails alone', async () => {
  const users = Array.from({ length: 10 }, (_, u) => `user${u}`);
  const plain = await batch(users.map((userId) => ({ userId })));
  const g3 = (out: any[]) => out.flatMap((l) => l.output.recommendedItems as string[]).filter((id) => genreOfId(id) !== 'g3');
  assert.ok(g3(plain).length > 50, 'unfiltered, most items are of other genres');
  const filtered = await batch([
    ...users.map((userId) => ({ userId, filterValues: { GENRES: '"g3"' } })),
    { userId: 'user0', filterValues: { GENRES: '"g3","g5"' } },
    { userId: 'user0' },
  ], { filterArn });
  assert.deepEqual(g3(filtered.slice(0, 10)), [], 'every item of the filtered lines is g3');
  assert.ok(filtered.slice(0, 10).every((l) => l.error === null && l.output.recommendedItems.length > 0));
  assert.ok(filtered[10].output.recommendedItems.every((id: string) => ['g3', 'g5'].includes(genreOfId(id))));
  assert.equal(filtered[11].output, null);
  assert.match(filtered[11].error, /requires a value for parameter GENRES/);
});

test('itemExplorationConfig is accepted and brings new items in, with score 0; bad configs and modes are refused', async () => {
  const lines = Array.from({ length: 5 }, (_, u) => ({ userId: `user${u}` }));
  const cold = (out: any[]) => out.map((l) => (l.output.recommendedItems as string[]).filter((id) => id.startsWith('cold')).length);
  const plain = await batch(lines);
  const explored = await batch(lines, { batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '30' } } });
  assert.ok(cold(plain).every((n) => n === 0), JSON.stringify(cold(plain)));
  assert.deepEqual(cold(explored), [3, 3, 3, 3, 3]);
  for (const l of explored) {
    const items = l.output.recommendedItems as string[];
    items.forEach((id, p) => id.startsWith('cold') && assert.equal(l.output.scores[p], 0));
  }
  // The cut-off counts back from the latest imported interaction: items created a day before it are
  // not new within half a day (and the model was trained knowing them from the Items data).
  const narrow = await batch(lines.slice(0, 1), { batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '0.3', explorationItemAgeCutOff: '0.5' } } });
  assert.equal(cold(narrow)[0], 0);

  const c = pz();
  const io = { solutionVersionArn: version, roleArn: ROLE, jobInput: { s3DataSource: { path: `s3://${BUCKET}/in/x.json` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/x/` } } };
  const refused = async (jobName: string, more: Partial<CreateBatchInferenceJobCommandInput>, message: RegExp) => {
    const e = await rejectsWith(c.send(new CreateBatchInferenceJobCommand({ jobName, ...io, ...more })), 'InvalidInputException', 400);
    assert.match(e.message, message);
  };
  await refused('bad-weight', { batchInferenceJobConfig: { itemExplorationConfig: { explorationWeight: '2' } } }, /explorationWeight must be between 0 and 1/);
  await refused('bad-key', { batchInferenceJobConfig: { itemExplorationConfig: { explorationWieght: '0.1' } } }, /unknown parameter explorationWieght/);
  await refused('ranking', { batchInferenceJobConfig: { rankingInfluence: { POPULARITY: 0.5 } } }, /only supported for the aws-semantic-similarity recipe/);
  await refused('themed', { batchInferenceJobMode: 'THEME_GENERATION', themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'GENRES' } } }, /aws-similar-items/);
  await refused('theme-config', { themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'GENRES' } } }, /only valid when batchInferenceJobMode is THEME_GENERATION/);
  await rejectsWith(c.send(new CreateBatchInferenceJobCommand({ jobName: 'no-filter', ...io, filterArn: `${filterArn}-nope` })), 'ResourceNotFoundException', 404);
});

test('THEME_GENERATION: Similar-Items jobs name each line\'s items from the Items data; more than 100 lines fail the job', async () => {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: 'bf-similar', datasetGroupArn: group, recipeArn: 'arn:aws:personalize:::recipe/aws-similar-items', performAutoTraining: false }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const similar = (await c.send(new CreateSolutionVersionCommand({ solutionArn }))).solutionVersionArn!;
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn: similar })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  const themed = { solutionVersionArn: similar, batchInferenceJobMode: 'THEME_GENERATION' as const, themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'TITLE' } } };
  const [line] = await batch([{ itemId: 'item13' }], { ...themed, numResults: 5 });
  assert.equal(line.output.theme, 'More like Title 13');
  assert.equal(line.output.recommendedItems.length, 5);
  assert.equal(line.output.itemsThemeRelevanceScores.length, 5);
  assert.ok(line.output.itemsThemeRelevanceScores.every((s: number, p: number, all: number[]) => p === 0 || s <= all[p - 1]));
  const many = await runJob(Array.from({ length: 101 }, (_, i) => ({ itemId: `item${i}` })), themed);
  assert.equal(many.status, 'CREATE FAILED');
  assert.match(many.failureReason!, /at most 100 items/);
  const e = await rejectsWith(c.send(new CreateBatchInferenceJobCommand({
    jobName: 'bad-name-field', ...themed, themeGenerationConfig: { fieldsForThemeGeneration: { itemName: 'NOPE' } }, roleArn: ROLE,
    jobInput: { s3DataSource: { path: `s3://${BUCKET}/in/x.json` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/x/` } },
  })), 'InvalidInputException', 400);
  assert.match(e.message, /itemName NOPE must be a string field of the Items dataset/);
});

test('a segment job\'s UserID filter keeps the users it allows, with each line\'s filterValues', async () => {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: 'bf-affinity', datasetGroupArn: group, recipeArn: 'arn:aws:personalize:::recipe/aws-item-attribute-affinity', performAutoTraining: false }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const affinity = (await c.send(new CreateSolutionVersionCommand({ solutionArn }))).solutionVersionArn!;
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn: affinity })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  const users = (await c.send(new CreateFilterCommand({ name: 'bf-fans', datasetGroupArn: group, filterExpression: 'INCLUDE UserID WHERE Items.GENRES IN ($G)' }))).filterArn!;
  await until(() => c.send(new DescribeFilterCommand({ filterArn: users })), (d) => d.filter!.status === 'ACTIVE');
  const lines = ['{"itemAttributes":"ITEMS.GENRES = \\"g2\\"","filterValues":{"G":"\\"g5\\""}}', '{"itemAttributes":"ITEMS.GENRES = \\"g2\\""}'];
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'in/segments.json', Body: lines.join('\n') }));
  const { batchSegmentJobArn } = await c.send(new CreateBatchSegmentJobCommand({
    jobName: 'bf-segments', solutionVersionArn: affinity, roleArn: ROLE, numResults: 5, filterArn: users,
    jobInput: { s3DataSource: { path: `s3://${BUCKET}/in/segments.json` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/segments/` } },
  }));
  const d = await until(() => c.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn })), (x) => ['ACTIVE', 'CREATE FAILED'].includes(x.batchSegmentJob!.status!));
  assert.equal(d.batchSegmentJob!.status, 'ACTIVE', d.batchSegmentJob!.failureReason);
  const out = (await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'out/segments/segments.json.out' }))).Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l));
  const list = out[0].output.usersList as string[];
  assert.ok(list.length > 0);
  const touchedG5 = (id: string) => Array.from(historyOf(data, Number(id.slice(4)))).some((i) => genreOf(i) === 'g5');
  assert.deepEqual(list.filter((id) => !touchedG5(id)), [], 'every user listed interacted with a g5 item');
  assert.match(out[1].error, /requires a value for parameter G/);
  // An item filter cannot filter user segments.
  const e = await rejectsWith(c.send(new CreateBatchSegmentJobCommand({
    jobName: 'bf-item-filter', solutionVersionArn: affinity, roleArn: ROLE, filterArn,
    jobInput: { s3DataSource: { path: `s3://${BUCKET}/in/segments.json` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/x/` } },
  })), 'InvalidInputException', 400);
  assert.match(e.message, /filters items; it cannot filter the user segments/);
});

test('PutEvents count in batch histories, and survive a restart sealed in the journal of a KMS-keyed group', async () => {
  const before = await batch([{ userId: 'user7' }]);
  const top = (before[0].output.recommendedItems as string[]).slice(0, 4);
  const events = new PersonalizeEventsClient(cfg());
  await events.send(new PutEventsCommand({ trackingId, userId: 'user7', sessionId: 'bf-s7', eventList: top.map((itemId, i) => ({ eventType: 'click', itemId, sentAt: new Date((LAST + 10 + i) * 1000) })) }));
  const after = await batch([{ userId: 'user7' }]);
  assert.deepEqual((after[0].output.recommendedItems as string[]).filter((id) => top.includes(id)), [], 'items sent through PutEvents are seen, so not recommended');

  const journal = readFileSync(join(dataDir, 'personalize-events', 'journal.jsonl'), 'utf8');
  assert.ok(journal.length > 0);
  for (const id of [...top, 'user7', 'bf-s7', 'click']) assert.ok(!journal.includes(id), `${id} is not on disk in plaintext`);

  await server.close();
  await serve();
  const restarted = await batch([{ userId: 'user7' }]);
  assert.deepEqual(restarted[0].output.recommendedItems, after[0].output.recommendedItems, 'the events were read back through KMS');
});

test('boto3: a filtered batch job with filterValues and an exploration config', { skip: PYTHON ? false : 'boto3 not installed' }, async () => {
  const script = `
import boto3, json, os, time
from botocore.config import Config
endpoint = os.environ['AWS_ENDPOINT_URL']  # Debian's boto3 predates AWS_ENDPOINT_URL
pz = boto3.client('personalize', endpoint_url=endpoint)
s3 = boto3.client('s3', endpoint_url=endpoint, config=Config(s3={'addressing_style': 'path'}))
s3.put_object(Bucket='${BUCKET}', Key='boto/in.json', Body=b'{"userId": "user3", "filterValues": {"GENRES": "\\\\"g1\\\\",\\\\"g2\\\\""}}\\n')
io = dict(jobInput={'s3DataSource': {'path': 's3://${BUCKET}/boto/in.json'}}, jobOutput={'s3DataDestination': {'path': 's3://${BUCKET}/boto/out/'}})
arn = pz.create_batch_inference_job(jobName='boto-filtered', solutionVersionArn='${version}', roleArn='${ROLE}', numResults=6, filterArn='${filterArn}',
    batchInferenceJobConfig={'itemExplorationConfig': {'explorationWeight': '0.5'}}, **io)['batchInferenceJobArn']
while True:
    job = pz.describe_batch_inference_job(batchInferenceJobArn=arn)['batchInferenceJob']
    if job['status'] in ('ACTIVE', 'CREATE FAILED'):
        break
    time.sleep(0.05)
line = json.loads(s3.get_object(Bucket='${BUCKET}', Key='boto/out/in.json.out')['Body'].read().decode())
try:
    pz.create_batch_inference_job(jobName='boto-bad', solutionVersionArn='${version}', roleArn='${ROLE}', batchInferenceJobConfig={'itemExplorationConfig': {'explorationWeight': 'lots'}}, **io)
    refused = None
except pz.exceptions.InvalidInputException as e:
    refused = e.response['Error']['Code']
print(json.dumps({'status': job['status'], 'config': job.get('batchInferenceJobConfig'), 'line': line, 'refused': refused}))
`;
  const { status, out, stderr } = await python(server.url, ROOT, script);
  assert.equal(status, 0, stderr);
  assert.equal(out.status, 'ACTIVE');
  assert.deepEqual(out.config, { itemExplorationConfig: { explorationWeight: '0.5' } });
  const items = out.line.output.recommendedItems as string[];
  assert.equal(items.length, 6);
  assert.ok(items.every((id) => ['g1', 'g2'].includes(genreOfId(id))), JSON.stringify(items));
  assert.deepEqual(items.filter((id) => id.startsWith('cold')).sort(), ['cold1', 'cold2'], 'the explored half: new items the filter allows');
  assert.equal(out.refused, 'InvalidInputException');
});
