// Batch jobs and training control against a live server with SDK v3: planted-structure interactions
// and an Items dataset (genres, creation time, a text field, items no one has interacted with yet)
// imported through the passed role; recipes trained with their hyperparameters; batch inference
// (users, rankings, related items) and batch segments written to the embedded S3 as the role; a
// solution version stopped mid-training.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, StopSolutionVersionCreationCommand, CreateBatchInferenceJobCommand, DescribeBatchInferenceJobCommand,
  CreateBatchSegmentJobCommand, DescribeBatchSegmentJobCommand, ListRecipesCommand,
} from '@aws-sdk/client-personalize';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { plantedData } from '../../src/training/testing.js';
import { historyOf } from '../../src/training/data.js';
import { KIND, type SolutionVersionDoc } from '../../src/services/personalize/schema.js';
import { loadModel } from '../../src/services/personalize/training.js';
import { startTailor, python, PYTHON, ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const cfg = () => ({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const pz = () => new PersonalizeClient(cfg());
const s3 = () => new S3Client({ ...cfg(), forcePathStyle: true });
const ROLE = `arn:aws:iam::${ACCOUNT}:role/BatchRole`;
const BUCKET = 'batch-data';

// Items 0..95 are 8 genres of 12; 96..101 are popular noise; cold0..cold3 are only in the Items data.
const data = plantedData({ users: 300 });
const genreOf = (i: number) => (i < 96 ? `g${Math.floor(i / 12)}` : 'popular');
const userGenre = (u: number) => {
  const counts = new Map<string, number>();
  for (const i of historyOf(data, u)) if (i < 96) counts.set(genreOf(i), (counts.get(genreOf(i)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
};

function interactionsCsv(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < data.nUsers; u++) historyOf(data, u).forEach((i, p) => rows.push(`user${u},item${i},${1700000000 + p}`));
  return rows.join('\n');
}

function itemsCsv(): string {
  const rows = ['ITEM_ID,GENRES,CREATION_TIMESTAMP,DESCRIPTION'];
  for (let i = 0; i < data.nItems; i++) rows.push(`item${i},${genreOf(i)}|all,${1600000000 + i},"Item ${i}, of ${genreOf(i)}"`);
  for (let c = 0; c < 4; c++) rows.push(`cold${c},g${c},1710000000,A new item`);
  return rows.join('\n');
}

const schema = (name: string, fields: object[]) => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

/** A dataset of `type` in `group`, imported from `key`. */
async function dataset(group: string, type: string, fields: object[], key: string): Promise<void> {
  const c = pz();
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `${group.split('/')[1]}-${type}`, schema: schema(type, fields) }));
  const { datasetArn } = await c.send(new CreateDatasetCommand({ name: `${type}-ds`, schemaArn, datasetGroupArn: group, datasetType: type }));
  await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
  const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({ jobName: `${group.split('/')[1]}-${type}`, datasetArn, roleArn: ROLE, dataSource: { dataLocation: `s3://${BUCKET}/${key}` } }));
  const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!));
  assert.equal(job.datasetImportJob!.status, 'ACTIVE', job.datasetImportJob!.failureReason);
}

async function datasetGroup(name: string): Promise<string> {
  const c = pz();
  const { datasetGroupArn } = await c.send(new CreateDatasetGroupCommand({ name }));
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
  return datasetGroupArn!;
}

/** The user-personalization-v2 version the first test trains (boto3 reuses it). */
let userVersion: string | undefined;
const IX_FIELDS = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];
let group: string;

before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'BatchRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'BatchRole', PolicyName: 's3',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }] }),
  }));
  await s3().send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'ix.csv', Body: interactionsCsv() }));
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'items.csv', Body: itemsCsv() }));
  group = await datasetGroup('batch');
  await dataset(group, 'Interactions', IX_FIELDS, 'ix.csv');
  await dataset(group, 'Items', [
    { name: 'ITEM_ID', type: 'string' }, { name: 'GENRES', type: 'string', categorical: true },
    { name: 'CREATION_TIMESTAMP', type: 'long' }, { name: 'DESCRIPTION', type: ['null', 'string'], textual: true },
  ], 'items.csv');
});
after(async () => {
  await tailor?.stop();
});

/** An ACTIVE solution version of `recipe` in `groupArn`. */
async function versionOf(recipe: string, config?: Record<string, any>, opts: { name?: string; performHPO?: boolean } = {}): Promise<string> {
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({
    name: opts.name ?? recipe, datasetGroupArn: group, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, performAutoTraining: false, solutionConfig: config, performHPO: opts.performHPO,
  }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(v.solutionVersion!.status, 'ACTIVE', v.solutionVersion!.failureReason);
  return solutionVersionArn!;
}

async function output(key: string): Promise<any[]> {
  const body = await (await s3().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();
  return body.trim().split('\n').map((l) => JSON.parse(l));
}

type Job = { kind: 'inference' | 'segment'; name: string; version: string; input: string; lines: string; numResults?: number };

/** Runs a batch job over `lines` (uploaded to `input`) and returns its output lines. */
async function batch(j: Job): Promise<any[]> {
  const c = pz();
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: j.input, Body: j.lines }));
  const io = { jobName: j.name, solutionVersionArn: j.version, roleArn: ROLE, numResults: j.numResults, jobInput: { s3DataSource: { path: `s3://${BUCKET}/${j.input}` } }, jobOutput: { s3DataDestination: { path: `s3://${BUCKET}/out/${j.name}/` } } };
  if (j.kind === 'inference') {
    const { batchInferenceJobArn } = await c.send(new CreateBatchInferenceJobCommand(io));
    const d = await until(() => c.send(new DescribeBatchInferenceJobCommand({ batchInferenceJobArn })), (x) => ['ACTIVE', 'CREATE FAILED'].includes(x.batchInferenceJob!.status!));
    assert.equal(d.batchInferenceJob!.status, 'ACTIVE', d.batchInferenceJob!.failureReason);
  } else {
    const { batchSegmentJobArn } = await c.send(new CreateBatchSegmentJobCommand(io));
    const d = await until(() => c.send(new DescribeBatchSegmentJobCommand({ batchSegmentJobArn })), (x) => ['ACTIVE', 'CREATE FAILED'].includes(x.batchSegmentJob!.status!));
    assert.equal(d.batchSegmentJob!.status, 'ACTIVE', d.batchSegmentJob!.failureReason);
  }
  return output(`out/${j.name}/${j.input.slice(j.input.lastIndexOf('/') + 1)}.out`);
}

test('user-personalization-v2 trains with its hyperparameters and the Items data; batch inference answers users and rankings', async () => {
  const version = await versionOf('aws-user-personalization-v2', { algorithmHyperParameters: { lambda: '300' } });
  userVersion = version;
  const doc = tailor.app.store.get<SolutionVersionDoc>(KIND.solutionVersion, version)!;
  // Progress is kept (for the console), and training ended at 100%.
  assert.equal(doc.trainingProgress?.percent, 100);
  // Items only the Items data knows are in the model's catalogue, so they can be recommended.
  const served = loadModel(tailor.app, group, doc.model!);
  assert.ok(['cold0', 'cold3'].every((id) => served.engine!.itemIds.includes(id)));
  // The solution's hyperparameters (text in the API) reach the model as numbers.
  assert.equal(served.engine!.model.toArtifact().params.lambda, 300);

  const users = Array.from({ length: 40 }, (_, u) => `{"userId":"user${u}"}`);
  const out = await batch({ kind: 'inference', name: 'users', version, input: 'in/users.json', lines: [...users, 'not json', '{"userId":"stranger"}'].join('\n'), numResults: 10 });
  assert.equal(out.length, 42);
  let inGenre = 0;
  for (let u = 0; u < 40; u++) {
    const line = out[u];
    assert.deepEqual(line.input, { userId: `user${u}` });
    assert.equal(line.error, null);
    assert.equal(line.output.recommendedItems.length, 10);
    assert.equal(line.output.scores.length, 10);
    assert.ok(line.output.scores.every((s: number, p: number) => s >= 0 && (p === 0 || s <= line.output.scores[p - 1])));
    const seen = new Set(Array.from(historyOf(data, u), (i) => `item${i}`));
    assert.ok(!line.output.recommendedItems.some((i: string) => seen.has(i)), 'items the user interacted with are not recommended');
    const top = Number(line.output.recommendedItems[0].slice(4));
    if (genreOf(top) === userGenre(u)) inGenre++;
  }
  assert.ok(inGenre >= 30, `top item in the user's genre for ${inGenre} of 40`);
  assert.deepEqual(out[40], { input: 'not json', output: null, error: 'Invalid input: the line is not a JSON object.' });
  assert.equal(out[41].output.recommendedItems.length, 10);

});

test('personalized-ranking in batch orders each user\'s list; items the model does not know go last', async () => {
  const version = await versionOf('aws-personalized-ranking-v2');
  // Each list: the next item of the user's genre chain, among others (and one no one knows).
  const nextOf = (u: number) => {
    const last = Array.from(historyOf(data, u)).filter((i) => i < 96).at(-1)!;
    return `item${Math.floor(last / 12) * 12 + ((last + 1) % 12)}`;
  };
  const lists = Array.from({ length: 20 }, (_, u) => ({ userId: `user${u}`, itemList: [...new Set(['item97', 'nowhere', nextOf(u), 'item40', 'item70'])] }));
  const ranked = await batch({ kind: 'inference', name: 'rank', version, input: 'in/rank.json', lines: lists.map((l) => JSON.stringify(l)).join('\n') });
  let first = 0;
  for (const [u, line] of ranked.entries()) {
    assert.deepEqual(line.input, lists[u]);
    assert.equal(line.output.recommendedItems.length, lists[u].itemList.length);
    if (line.output.recommendedItems[0] === nextOf(u)) first++;
    assert.equal(line.output.recommendedItems.at(-1), 'nowhere');
    assert.equal(line.output.scores.at(-1), 0);
    assert.ok(Math.abs(line.output.scores.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-3);
  }
  assert.ok(first >= 10, `the next item of the chain ranks first for ${first} of 20 users`);
});

test('related items in batch come from the item model; item-attribute-affinity segments the users of a genre', async () => {
  const sims = await versionOf('aws-sims');
  const related = await batch({ kind: 'inference', name: 'related', version: sims, input: 'in/items.json', lines: '{"itemId":"item13"}\n{"itemId":"item50"}\n', numResults: 5 });
  assert.equal(related[0].output.recommendedItems.filter((i: string) => genreOf(Number(i.slice(4))) === 'g1').length >= 4, true, JSON.stringify(related[0]));
  assert.ok(!related[0].output.recommendedItems.includes('item13'));

  const affinity = await versionOf('aws-item-attribute-affinity');
  const segs = await batch({ kind: 'segment', name: 'segs', version: affinity, input: 'in/attrs.json', numResults: 20,
    lines: '{"itemAttributes":"ITEMS.GENRES = \\"g2\\""}\n{"itemAttributes":"ITEMS.genres = \\"g2\\" AND ITEMS.genres = \\"g5\\""}\n{"itemAttributes":"nonsense"}\n' });
  const g2 = segs[0].output.usersList as string[];
  assert.equal(g2.length, 20);
  const fans = g2.filter((id) => userGenre(Number(id.slice(4))) === 'g2').length;
  assert.ok(fans >= 15, `${fans} of 20 users in the g2 segment are g2 fans`);
  // No item has both genres: an empty segment.
  assert.deepEqual(segs[1].output.usersList, []);
  assert.match(segs[2].error, /not a valid item attribute expression/);
});

test('performHPO searches the hpoConfig ranges; DescribeSolutionVersion shows the values chosen', async () => {
  const version = await versionOf('aws-user-personalization', {
    algorithmHyperParameters: { window: '8' },
    hpoConfig: {
      hpoObjective: { type: 'Maximize', metricName: 'precision_at_10' },
      hpoResourceConfig: { maxNumberOfTrainingJobs: '4', maxParallelTrainingJobs: '2' },
      algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'lambda', minValue: 10, maxValue: 1000 }] },
    },
  }, { name: 'tuned', performHPO: true });
  const { solutionVersion } = await pz().send(new DescribeSolutionVersionCommand({ solutionVersionArn: version }));
  assert.equal(solutionVersion!.performHPO, true);
  const tuned = solutionVersion!.tunedHPOParams!.algorithmHyperParameters!;
  assert.deepEqual(Object.keys(tuned).sort(), ['lambda', 'window']);
  assert.equal(tuned.window, '8');
  assert.ok(Number(tuned.lambda) >= 10 && Number(tuned.lambda) <= 1000, tuned.lambda);
  // The model serving is the one trained with the chosen values.
  const doc = tailor.app.store.get<SolutionVersionDoc>(KIND.solutionVersion, version)!;
  const lambda = loadModel(tailor.app, group, doc.model!).engine!.model.toArtifact().params.lambda as number;
  assert.ok(Math.abs(lambda - Number(tuned.lambda)) <= lambda * 1e-5, `${lambda} vs ${tuned.lambda}`);
});

test('StopSolutionVersionCreation ends training: the worker is terminated and the version is CREATE STOPPED', async () => {
  // Enough data that training runs for a while.
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let r = 0; r < 150_000; r++) rows.push(`u${r % 20_000},i${(r * 7919) % 6_000},${1_600_000_000 + r}`);
  await s3().send(new PutObjectCommand({ Bucket: BUCKET, Key: 'big.csv', Body: rows.join('\n') }));
  const slow = await datasetGroup('slow');
  await dataset(slow, 'Interactions', IX_FIELDS, 'big.csv');
  const c = pz();
  const { solutionArn } = await c.send(new CreateSolutionCommand({ name: 'slow', datasetGroupArn: slow, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization-v2', performAutoTraining: false }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => d.solutionVersion!.status === 'CREATE IN_PROGRESS');
  // The API keeps answering while the worker trains.
  const t0 = performance.now();
  await c.send(new ListRecipesCommand({}));
  assert.ok(performance.now() - t0 < 1000);
  await c.send(new StopSolutionVersionCreationCommand({ solutionVersionArn }));
  const stopped = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => d.solutionVersion!.status === 'CREATE STOPPED', 5000);
  assert.equal(stopped.solutionVersion!.failureReason, undefined);
  assert.equal(tailor.app.store.get<SolutionVersionDoc>(KIND.solutionVersion, solutionVersionArn!)!.model, undefined);
});

test('boto3: a batch inference job through the passed role; a segment job on a non-segmentation version is refused', { skip: PYTHON ? false : 'boto3 not installed' }, async () => {
  assert.ok(userVersion, 'the first test trains the version');
  const script = `
import boto3, json, os, time
from botocore.config import Config
endpoint = os.environ['AWS_ENDPOINT_URL']  # Debian's boto3 predates AWS_ENDPOINT_URL
pz = boto3.client('personalize', endpoint_url=endpoint)
s3 = boto3.client('s3', endpoint_url=endpoint, config=Config(s3={'addressing_style': 'path'}))
s3.put_object(Bucket='${BUCKET}', Key='boto/in.json', Body=b'{"userId":"user5"}\\n{"userId":"user6"}\\n')
io = dict(jobInput={'s3DataSource': {'path': 's3://${BUCKET}/boto/in.json'}}, jobOutput={'s3DataDestination': {'path': 's3://${BUCKET}/boto/out/'}})
arn = pz.create_batch_inference_job(jobName='boto', solutionVersionArn='${userVersion}', roleArn='${ROLE}', numResults=3, **io)['batchInferenceJobArn']
while True:
    job = pz.describe_batch_inference_job(batchInferenceJobArn=arn)['batchInferenceJob']
    if job['status'] in ('ACTIVE', 'CREATE FAILED'):
        break
    time.sleep(0.05)
out = s3.get_object(Bucket='${BUCKET}', Key='boto/out/in.json.out')['Body'].read().decode()
try:
    pz.create_batch_segment_job(jobName='boto-seg', solutionVersionArn='${userVersion}', roleArn='${ROLE}', **io)
    refused = None
except pz.exceptions.InvalidInputException as e:
    refused = e.response['Error']['Code']
listed = pz.list_batch_inference_jobs(solutionVersionArn='${userVersion}')['batchInferenceJobs']
print(json.dumps({'status': job['status'], 'lines': [json.loads(l) for l in out.strip().split('\\n')], 'refused': refused, 'listed': sorted(j['jobName'] for j in listed)}))
`;
  const { status, out, stderr } = await python(tailor.url, ROOT, script);
  assert.equal(status, 0, stderr);
  assert.equal(out.status, 'ACTIVE');
  assert.deepEqual(out.lines.map((l: any) => [l.input.userId, l.output.recommendedItems.length, l.error]), [['user5', 3, null], ['user6', 3, null]]);
  assert.equal(out.refused, 'InvalidInputException');
  assert.ok(out.listed.includes('boto') && out.listed.includes('users'));
});
