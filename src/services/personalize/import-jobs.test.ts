import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { INTERACTIONS_SCHEMA, pzEnv, type PzEnv } from './test-support.js';
import { dataOf, readData } from './data-store.js';
import { groupKeys } from './keys.js';
import { cellText } from './table.js';
import { KIND, type DatasetGroupDoc } from './schema.js';

const ACCOUNT = '000000000000';
const P = `arn:aws:personalize:us-east-1:${ACCOUNT}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;
const DATASET = `${P}:dataset/g/INTERACTIONS`;

const trust = (account = ACCOUNT) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:SourceAccount': account }, ArnLike: { 'aws:SourceArn': `arn:aws:personalize:us-east-1:${account}:*` } },
  }],
});

const S3_READ = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'] }],
});

export function interactions(n: number, from = 0): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let i = from; i < from + n; i++) rows.push(`u${i % 50},i${i % 7},${1700000000 + i}`);
  return rows.join('\n') + '\n';
}

async function setup(env: PzEnv, opts: { trust?: string; rolePolicy?: string | null; kmsKeyArn?: string } = {}) {
  await env.other('iam', 'CreateRole', { RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: opts.trust ?? trust() });
  if (opts.rolePolicy !== null) await env.other('iam', 'PutRolePolicy', { RoleName: 'PersonalizeRole', PolicyName: 's3', PolicyDocument: opts.rolePolicy ?? S3_READ });
  await env.other('s3', 'CreateBucket', { Bucket: 'data' });
  await env.call('CreateDatasetGroup', { name: 'g', ...(opts.kmsKeyArn ? { roleArn: ROLE, kmsKeyArn: opts.kmsKeyArn } : {}) });
  await env.settle();
  const { schemaArn } = await env.call('CreateSchema', { name: 's', schema: INTERACTIONS_SCHEMA });
  await env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: `${P}:dataset-group/g`, datasetType: 'Interactions' });
  await env.settle();
}

async function runJob(env: PzEnv, name: string, location: string, extra: Record<string, unknown> = {}) {
  const { datasetImportJobArn } = await env.call('CreateDatasetImportJob', { jobName: name, datasetArn: DATASET, dataSource: { dataLocation: location }, roleArn: ROLE, ...extra });
  const pass = env.last.queries.find((q) => q.action === 'iam:PassRole');
  assert.equal(pass?.resource, ROLE);
  assert.equal(pass?.context?.['iam:PassedToService'], 'personalize.amazonaws.com');
  await env.settle();
  return (await env.call('DescribeDatasetImportJob', { datasetImportJobArn })).datasetImportJob;
}

test('an import reads CSV from S3 as the passed role; FULL replaces, INCREMENTAL appends; a failed import changes nothing', async () => {
  const env = pzEnv();
  try {
    await setup(env);
    await env.putObject('data', 'ix.csv', interactions(1200));
    const job = await runJob(env, 'j1', 's3://data/ix.csv');
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.equal(readData(env.app, DATASET)?.rows, 1200);

    await env.putObject('data', 'more/a.csv', interactions(600, 5000));
    await env.putObject('data', 'more/b.csv', interactions(600, 6000));
    assert.equal((await runJob(env, 'j2', 's3://data/more/', { importMode: 'INCREMENTAL' })).status, 'ACTIVE');
    const t = readData(env.app, DATASET)!;
    assert.equal(t.rows, 2400);
    assert.equal(cellText(t.columns[2], 2399), String(1700000000 + 6599));

    await env.putObject('data', 'bad.csv', interactions(1500).replace('u7,i0,1700000007', 'u7,i0,soon'));
    const bad = await runJob(env, 'j3', 's3://data/bad.csv');
    assert.equal(bad.status, 'CREATE FAILED');
    assert.equal(bad.failureReason, 'Row 9 of s3://data/bad.csv, column TIMESTAMP: "soon" is not a valid long.');
    await env.putObject('data', 'few.csv', interactions(999));
    assert.match((await runJob(env, 'j4', 's3://data/few.csv')).failureReason, /999 interactions.*at least 1000/);
    assert.match((await runJob(env, 'j5', 's3://data/missing.csv')).failureReason, /does not exist/);
    assert.equal(readData(env.app, DATASET)?.rows, 2400);
    assert.equal((await env.call('ListDatasetImportJobs', { datasetArn: DATASET })).datasetImportJobs.length, 5);

    assert.equal((await runJob(env, 'j6', 's3://data/ix.csv', { importMode: 'FULL' })).status, 'ACTIVE');
    assert.equal(readData(env.app, DATASET)?.rows, 1200);
    await assert.rejects(env.call('CreateDatasetImportJob', { jobName: 'j6', datasetArn: DATASET, dataSource: { dataLocation: 's3://data/ix.csv' } }), { code: 'ResourceAlreadyExistsException' });
  } finally {
    env.close();
  }
});

test('INCREMENTAL needs an earlier import; the location must be s3://', async () => {
  const env = pzEnv();
  try {
    await setup(env);
    await assert.rejects(env.call('CreateDatasetImportJob', { jobName: 'j', datasetArn: DATASET, dataSource: { dataLocation: 's3://data/x' }, importMode: 'INCREMENTAL' }), { code: 'InvalidInputException' });
    await assert.rejects(env.call('CreateDatasetImportJob', { jobName: 'j', datasetArn: DATASET, dataSource: { dataLocation: 'https://x/y' } }), { code: 'InvalidInputException' });
  } finally {
    env.close();
  }
});

test('the role must trust the service for this account, and may read only what its policies and the bucket policy allow', async () => {
  const env = pzEnv();
  try {
    await setup(env, { trust: trust('111111111111') });
    await env.putObject('data', 'ix.csv', interactions(1000));
    assert.match((await runJob(env, 'a', 's3://data/ix.csv')).failureReason, /cannot assume the role/);
    await env.other('iam', 'UpdateAssumeRolePolicy', { RoleName: 'PersonalizeRole', PolicyDocument: trust() });
    assert.equal((await runJob(env, 'b', 's3://data/ix.csv')).status, 'ACTIVE');
    await env.other('s3', 'PutBucketPolicy', {
      Bucket: 'data',
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }] }),
    });
    assert.match((await runJob(env, 'c', 's3://data/ix.csv')).failureReason, /^Insufficient privileges for accessing data in S3/);
    await env.other('s3', 'DeleteBucketPolicy', { Bucket: 'data' });
    await env.other('iam', 'DeleteRolePolicy', { RoleName: 'PersonalizeRole', PolicyName: 's3' });
    assert.match((await runJob(env, 'd', 's3://data/ix.csv')).failureReason, /^Insufficient privileges for accessing data in S3/);
  } finally {
    env.close();
  }
});

test('a KMS-keyed group keeps its data encrypted under the key, used as the role; a disabled key fails the next import', async () => {
  const env = pzEnv();
  try {
    const { KeyMetadata: key } = await env.other('kms', 'CreateKey', {});
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        JSON.parse(S3_READ).Statement[0],
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: key.Arn },
      ],
    });
    await setup(env, { rolePolicy: policy, kmsKeyArn: key.Arn });
    await env.putObject('data', 'ix.csv', interactions(1000));
    assert.equal((await runJob(env, 'a', 's3://data/ix.csv')).status, 'ACTIVE');
    const doc = dataOf(env.app, DATASET)!;
    assert.ok(doc.sealedKey);
    const dir = join(env.app.config.dataDir, 'personalize');
    assert.deepEqual(readdirSync(dir), [doc.file]);
    assert.notEqual(readFileSync(join(dir, doc.file)).subarray(0, 4).toString(), 'PZT1');
    const group = env.store.get<DatasetGroupDoc>(KIND.datasetGroup, `${P}:dataset-group/g`)!;
    assert.equal(readData(env.app, DATASET, groupKeys(env.app, group))?.rows, 1000);

    await env.call('CreateDatasetGroup', { name: 'g2', roleArn: ROLE, kmsKeyArn: key.Arn.replace(/key\/.*/, 'key/00000000-0000-0000-0000-000000000000') });
    await env.settle();
    const g2 = (await env.call('DescribeDatasetGroup', { datasetGroupArn: `${P}:dataset-group/g2` })).datasetGroup;
    assert.deepEqual([g2.status, /KMS key/.test(g2.failureReason)], ['CREATE FAILED', true]);

    await env.other('kms', 'DisableKey', { KeyId: key.KeyId });
    assert.match((await runJob(env, 'b', 's3://data/ix.csv')).failureReason, /KMS key/);
    assert.equal(dataOf(env.app, DATASET)?.file, doc.file);
  } finally {
    env.close();
  }
});
