import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pzEnv } from './test-support.js';

const GROUP = 'arn:aws:personalize:us-east-1:000000000000:dataset-group/g1';

test('a dataset group goes CREATE PENDING → ACTIVE, lists, tags and deletes', async () => {
  const env = pzEnv();
  try {
    const out = await env.call('CreateDatasetGroup', { name: 'g1', tags: [{ tagKey: 'team', tagValue: 'a' }] });
    assert.deepEqual(out, { datasetGroupArn: GROUP, domain: undefined });
    assert.equal(env.last.queries[0].action, 'personalize:CreateDatasetGroup');
    assert.equal(env.last.queries[0].context?.['aws:RequestTag/team'], 'a');
    assert.equal((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status, 'CREATE PENDING');
    await env.settle();
    assert.equal((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status, 'ACTIVE');
    assert.deepEqual(env.last.queries[0].resourceTags, { team: 'a' });
    await assert.rejects(env.call('CreateDatasetGroup', { name: 'g1' }), { code: 'ResourceAlreadyExistsException' });
    const list = await env.call('ListDatasetGroups', {});
    assert.equal(list.datasetGroups.length, 1);
    await env.call('TagResource', { resourceArn: GROUP, tags: [{ tagKey: 'x', tagValue: 'y' }] });
    await env.call('UntagResource', { resourceArn: GROUP, tagKeys: ['team'] });
    assert.deepEqual((await env.call('ListTagsForResource', { resourceArn: GROUP })).tags, [{ tagKey: 'x', tagValue: 'y' }]);
    await env.call('DeleteDatasetGroup', { datasetGroupArn: GROUP });
    assert.equal((await env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP })).datasetGroup.status, 'DELETE PENDING');
    await env.settle();
    await assert.rejects(env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP }), { code: 'ResourceNotFoundException', status: 404 });
    await assert.rejects(env.call('ListTagsForResource', { resourceArn: GROUP }), { code: 'ResourceNotFoundException' });
  } finally {
    env.close();
  }
});

test('roleArn is passed with iam:PassRole; a KMS key needs a role; paging and quota', async () => {
  const env = pzEnv();
  try {
    const role = 'arn:aws:iam::000000000000:role/P';
    await env.call('CreateDatasetGroup', { name: 'k', roleArn: role, kmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/abc' });
    const pass = env.last.queries.find((q) => q.action === 'iam:PassRole');
    assert.equal(pass?.resource, role);
    assert.equal(pass?.context?.['iam:PassedToService'], 'personalize.amazonaws.com');
    assert.equal(pass?.context?.['iam:AssociatedResourceArn'], 'arn:aws:personalize:us-east-1:000000000000:dataset-group/k');
    await assert.rejects(env.call('CreateDatasetGroup', { name: 'k2', kmsKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/abc' }), { code: 'InvalidInputException' });
    for (const n of ['a', 'b', 'c', 'd']) await env.call('CreateDatasetGroup', { name: n });
    await assert.rejects(env.call('CreateDatasetGroup', { name: 'e' }), { code: 'LimitExceededException', status: 409 });
    const p1 = await env.call('ListDatasetGroups', { maxResults: 2 });
    assert.equal(p1.datasetGroups.length, 2);
    const p2 = await env.call('ListDatasetGroups', { maxResults: 2, nextToken: p1.nextToken });
    const p3 = await env.call('ListDatasetGroups', { maxResults: 2, nextToken: p2.nextToken });
    assert.equal(p3.nextToken, undefined);
    assert.deepEqual([...p1.datasetGroups, ...p2.datasetGroups, ...p3.datasetGroups].map((g: any) => g.name), ['a', 'b', 'c', 'd', 'k']);
    await assert.rejects(env.call('ListDatasetGroups', { nextToken: 'bogus!' }), { code: 'InvalidNextTokenException' });
  } finally {
    env.close();
  }
});

test('a denied caller changes nothing', async () => {
  const env = pzEnv();
  try {
    env.deny = (q) => q.action === 'iam:PassRole';
    await assert.rejects(env.call('CreateDatasetGroup', { name: 'g1', roleArn: 'arn:aws:iam::000000000000:role/P' }), { code: 'AccessDenied' });
    assert.equal((await env.call('ListDatasetGroups', {})).datasetGroups.length, 0);
  } finally {
    env.close();
  }
});

test('resources of another region or account are not found, and lists show only the caller\'s region', async () => {
  const env = pzEnv();
  try {
    await env.call('CreateDatasetGroup', { name: 'g1' });
    const elsewhere = Object.create(env.ctx('GetUser'), { region: { value: 'eu-west-1' } });
    const { personalizeProvider } = await import('./index.js');
    const op = (name: string) => Object.create(elsewhere, { operation: { value: { name } } });
    await assert.rejects(Promise.resolve().then(() => personalizeProvider.operations.DescribeDatasetGroup({ datasetGroupArn: GROUP }, op('DescribeDatasetGroup'))), { code: 'ResourceNotFoundException' });
    assert.deepEqual(await personalizeProvider.operations.ListDatasetGroups({}, op('ListDatasetGroups')), { datasetGroups: [], nextToken: undefined });
    await assert.rejects(env.call('DescribeDatasetGroup', { datasetGroupArn: GROUP.replace('000000000000', '111111111111') }), { code: 'ResourceNotFoundException' });
  } finally {
    env.close();
  }
});
