import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { groupWithData, pzEnv, type PzEnv } from './test-support.js';
import { readData } from './data-store.js';

const ACCOUNT = '000000000000';
const P = `arn:aws:personalize:us-east-1:${ACCOUNT}`;
const GROUP = `${P}:dataset-group/g`;
const DATASET = `${P}:dataset/g/INTERACTIONS`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/R`;

async function readObject(env: PzEnv, key: string): Promise<string> {
  const out = await env.other('s3', 'GetObject', { Bucket: 'bkt', Key: key });
  const chunks: Buffer[] = [];
  for await (const c of out.Body as Readable) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

test('export jobs write the bulk data as CSV to S3 as the role', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const out = { s3DataDestination: { path: 's3://bkt/exports/' } };
    const { datasetExportJobArn } = await env.call('CreateDatasetExportJob', { jobName: 'x', datasetArn: DATASET, roleArn: ROLE, ingestionMode: 'BULK', jobOutput: out });
    await env.call('CreateDatasetExportJob', { jobName: 'p', datasetArn: DATASET, roleArn: ROLE, jobOutput: out });
    await env.settle();
    const job = (await env.call('DescribeDatasetExportJob', { datasetExportJobArn })).datasetExportJob;
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    const lines = (await readObject(env, 'exports/x_1.csv')).trim().split('\n');
    assert.equal(lines[0], 'USER_ID,ITEM_ID,TIMESTAMP');
    assert.equal(lines.length, 1201);
    assert.equal(await readObject(env, 'exports/p_1.csv'), 'USER_ID,ITEM_ID,TIMESTAMP\n');
    assert.equal((await env.call('ListDatasetExportJobs', { datasetArn: DATASET })).datasetExportJobs.length, 2);
  } finally {
    env.close();
  }
});

test('data deletion jobs remove the listed users from the group datasets and count the records', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    await env.putObject('bkt', 'forget.csv', 'USER_ID\nu1\nu2\nnobody\n');
    const { dataDeletionJobArn } = await env.call('CreateDataDeletionJob', { jobName: 'd', datasetGroupArn: GROUP, roleArn: ROLE, dataSource: { dataLocation: 's3://bkt/forget.csv' } });
    assert.equal((await env.call('DescribeDataDeletionJob', { dataDeletionJobArn })).dataDeletionJob.status, 'PENDING');
    await env.settle();
    const job = (await env.call('DescribeDataDeletionJob', { dataDeletionJobArn })).dataDeletionJob;
    assert.deepEqual([job.status, job.numDeleted], ['COMPLETED', 24]);
    assert.equal(readData(env.app, DATASET)?.rows, 1176);
    await env.call('CreateDataDeletionJob', { jobName: 'e', datasetGroupArn: GROUP, roleArn: ROLE, dataSource: { dataLocation: 's3://bkt/none.csv' } });
    await env.settle();
    const failed = (await env.call('DescribeDataDeletionJob', { dataDeletionJobArn: `${P}:data-deletion-job/e` })).dataDeletionJob;
    assert.equal(failed.status, 'FAILED');
    assert.equal((await env.call('ListDataDeletionJobs', { datasetGroupArn: GROUP })).dataDeletionJobs.length, 2);
  } finally {
    env.close();
  }
});

test('batch inference answers each input line from the model; batch segments need a segmentation recipe', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const version = async (recipe: string) => {
      const { solutionArn } = await env.call('CreateSolution', { name: recipe, datasetGroupArn: GROUP, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, performAutoTraining: false });
      await env.settle();
      const { solutionVersionArn } = await env.call('CreateSolutionVersion', { solutionArn });
      await env.settle();
      return solutionVersionArn as string;
    };
    const pop = await version('aws-popularity-count');
    await env.putObject('bkt', 'in/users.json', '{"userId":"u1"}\n{"userId":"u2"}\n');
    const io = (out: string) => ({ jobInput: { s3DataSource: { path: 's3://bkt/in/users.json' } }, jobOutput: { s3DataDestination: { path: `s3://bkt/${out}/` } } });
    const { batchInferenceJobArn } = await env.call('CreateBatchInferenceJob', { jobName: 'b', solutionVersionArn: pop, roleArn: ROLE, numResults: 2, ...io('out') });
    await env.settle();
    const job = (await env.call('DescribeBatchInferenceJob', { batchInferenceJobArn })).batchInferenceJob;
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    const lines = (await readObject(env, 'out/users.json.out')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines[0], { input: { userId: 'u1' }, output: { recommendedItems: ['i0', 'i1'] }, error: null });
    assert.equal((await env.call('ListBatchInferenceJobs', { solutionVersionArn: pop })).batchInferenceJobs.length, 1);

    await assert.rejects(env.call('CreateBatchSegmentJob', { jobName: 's', solutionVersionArn: pop, roleArn: ROLE, ...io('seg') }), { code: 'InvalidInputException' });
    const affinity = await version('aws-item-affinity');
    await env.putObject('bkt', 'in/items.json', '{"itemId":"i2"}\n');
    const { batchSegmentJobArn } = await env.call('CreateBatchSegmentJob', {
      jobName: 's', solutionVersionArn: affinity, roleArn: ROLE, numResults: 3,
      jobInput: { s3DataSource: { path: 's3://bkt/in/items.json' } }, jobOutput: { s3DataDestination: { path: 's3://bkt/seg/' } },
    });
    await env.settle();
    assert.equal((await env.call('DescribeBatchSegmentJob', { batchSegmentJobArn })).batchSegmentJob.status, 'ACTIVE');
    const seg = JSON.parse(await readObject(env, 'seg/items.json.out'));
    assert.equal(seg.output.usersList.length, 3);
  } finally {
    env.close();
  }
});

test('metric attributions: one per group, expressions checked, metrics added and removed', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const output = { roleArn: ROLE, s3DataDestination: { path: 's3://bkt/metrics/' } };
    const metric = (name: string, expression = 'SAMPLECOUNT()') => ({ eventType: 'click', metricName: name, expression });
    await assert.rejects(env.call('CreateMetricAttribution', { name: 'm', datasetGroupArn: GROUP, metrics: [metric('a', 'AVG(x)')], metricsOutputConfig: output }), { code: 'InvalidInputException' });
    const { metricAttributionArn } = await env.call('CreateMetricAttribution', { name: 'm', datasetGroupArn: GROUP, metrics: [metric('a'), metric('b', 'SUM(Items.PRICE)')], metricsOutputConfig: output });
    assert.ok(env.last.queries.some((q) => q.action === 'iam:PassRole' && q.resource === ROLE));
    await assert.rejects(env.call('CreateMetricAttribution', { name: 'm2', datasetGroupArn: GROUP, metrics: [metric('a')], metricsOutputConfig: output }), { code: 'LimitExceededException' });
    await env.settle();
    await env.call('UpdateMetricAttribution', { metricAttributionArn, addMetrics: [metric('c')], removeMetrics: ['a'] });
    const { metrics } = await env.call('ListMetricAttributionMetrics', { metricAttributionArn });
    assert.deepEqual(metrics.map((m: any) => m.metricName), ['b', 'c']);
    assert.equal((await env.call('DescribeMetricAttribution', { metricAttributionArn })).metricAttribution.status, 'ACTIVE');
    await assert.rejects(env.call('DeleteDatasetGroup', { datasetGroupArn: GROUP }), { code: 'ResourceInUseException' });
    await env.call('DeleteMetricAttribution', { metricAttributionArn });
    await env.settle();
    assert.equal((await env.call('ListMetricAttributions', {})).metricAttributions.length, 0);
  } finally {
    env.close();
  }
});
