// kill -9 in the middle of a dataset import: after restart the job finishes (or fails cleanly) and the
// dataset holds either all of the file or none of it — never a part. kill -9 in the middle of a
// training: after restart the solution version trains again and becomes ACTIVE.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand,
  DescribeDatasetCommand, CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateDatasetExportJobCommand,
  DescribeDatasetExportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand, DescribeSolutionVersionCommand,
  GetSolutionMetricsCommand,
} from '@aws-sdk/client-personalize';
import { spawnTailor, ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from './support.js';

const ROWS = 2_000_000;

function csv(): Buffer {
  const lines = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let i = 0; i < ROWS; i++) lines.push(`u${i % 50_000},i${(i * 7919) % 20_000},${1_600_000_000 + i}`);
  return Buffer.from(lines.join('\n') + '\n');
}

test('an import cut by kill -9 resumes after restart and leaves all rows or none', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-pz-kill-'));
  let server = await spawnTailor(dataDir);
  const clients = (url: string) => ({
    iam: new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 }),
    s3: new S3Client({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1, forcePathStyle: true }),
    pz: new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 }),
  });
  try {
    let { iam, s3, pz } = clients(server.url);
    await iam.send(new CreateRoleCommand({ RoleName: 'ImportRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'ImportRole', PolicyName: 'data',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: ['arn:aws:s3:::kill-data', 'arn:aws:s3:::kill-data/*'] }] }),
    }));
    const role = `arn:aws:iam::${ACCOUNT}:role/ImportRole`;
    await s3.send(new CreateBucketCommand({ Bucket: 'kill-data' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kill-data', Key: 'big.csv', Body: csv() }));
    const { datasetGroupArn } = await pz.send(new CreateDatasetGroupCommand({ name: 'kill' }));
    await until(() => pz.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
    const { schemaArn } = await pz.send(new CreateSchemaCommand({
      name: 'kill-ix',
      schema: JSON.stringify({ type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
        fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] }),
    }));
    const { datasetArn } = await pz.send(new CreateDatasetCommand({ name: 'ix', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
    await until(() => pz.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
    const { datasetImportJobArn } = await pz.send(new CreateDatasetImportJobCommand({
      jobName: 'big', datasetArn, roleArn: role, dataSource: { dataLocation: 's3://kill-data/big.csv' },
    }));
    await until(() => pz.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => d.datasetImportJob!.status === 'CREATE IN_PROGRESS');
    server.child.kill('SIGKILL');

    server = await spawnTailor(dataDir);
    ({ iam, s3, pz } = clients(server.url));
    const done = await until(() => pz.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (d) => d.datasetImportJob!.status === 'ACTIVE' || d.datasetImportJob!.status === 'CREATE FAILED');
    const { datasetExportJobArn } = await pz.send(new CreateDatasetExportJobCommand({
      jobName: 'check', datasetArn, roleArn: role, ingestionMode: 'BULK', jobOutput: { s3DataDestination: { path: 's3://kill-data/export/' } },
    }));
    await until(() => pz.send(new DescribeDatasetExportJobCommand({ datasetExportJobArn })), (d) => d.datasetExportJob!.status === 'ACTIVE');
    const exported = await (await s3.send(new GetObjectCommand({ Bucket: 'kill-data', Key: 'export/check_1.csv' }))).Body!.transformToString();
    const rows = exported.trim().split('\n').length - 1;
    assert.equal(rows, done.datasetImportJob!.status === 'ACTIVE' ? ROWS : 0);
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a training cut by kill -9 runs again after restart and its version becomes ACTIVE', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-pz-kill-train-'));
  let server = await spawnTailor(dataDir);
  const config = (url: string) => ({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  try {
    const iam = new IAMClient(config(server.url));
    const s3 = new S3Client({ ...config(server.url), forcePathStyle: true });
    let pz = new PersonalizeClient(config(server.url));
    await iam.send(new CreateRoleCommand({ RoleName: 'TrainRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
    await iam.send(new PutRolePolicyCommand({
      RoleName: 'TrainRole', PolicyName: 'data',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::train-data', 'arn:aws:s3:::train-data/*'] }] }),
    }));
    await s3.send(new CreateBucketCommand({ Bucket: 'train-data' }));
    const lines = ['USER_ID,ITEM_ID,TIMESTAMP'];
    for (let r = 0; r < 100_000; r++) lines.push(`u${r % 10_000},i${(r * 7919) % 2_500},${1_600_000_000 + r}`);
    await s3.send(new PutObjectCommand({ Bucket: 'train-data', Key: 'ix.csv', Body: lines.join('\n') }));
    const { datasetGroupArn } = await pz.send(new CreateDatasetGroupCommand({ name: 'train-kill' }));
    await until(() => pz.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
    const { schemaArn } = await pz.send(new CreateSchemaCommand({
      name: 'train-kill-ix',
      schema: JSON.stringify({ type: 'record', name: 'Interactions', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] }),
    }));
    const { datasetArn } = await pz.send(new CreateDatasetCommand({ name: 'ix', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
    await until(() => pz.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
    const { datasetImportJobArn } = await pz.send(new CreateDatasetImportJobCommand({
      jobName: 'ix', datasetArn, roleArn: `arn:aws:iam::${ACCOUNT}:role/TrainRole`, dataSource: { dataLocation: 's3://train-data/ix.csv' },
    }));
    await until(() => pz.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => d.datasetImportJob!.status === 'ACTIVE');
    const { solutionArn } = await pz.send(new CreateSolutionCommand({
      name: 'train-kill', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-user-personalization-v2', performAutoTraining: false,
    }));
    await until(() => pz.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
    const { solutionVersionArn } = await pz.send(new CreateSolutionVersionCommand({ solutionArn }));
    await until(() => pz.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => d.solutionVersion!.status === 'CREATE IN_PROGRESS');
    server.child.kill('SIGKILL');

    server = await spawnTailor(dataDir);
    pz = new PersonalizeClient(config(server.url));
    const done = await until(() => pz.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
      (d) => d.solutionVersion!.status === 'ACTIVE' || d.solutionVersion!.status === 'CREATE FAILED', 120_000);
    assert.equal(done.solutionVersion!.status, 'ACTIVE', done.solutionVersion!.failureReason);
    const { metrics } = await pz.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
    assert.ok(metrics!.coverage! > 0);
  } finally {
    server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
