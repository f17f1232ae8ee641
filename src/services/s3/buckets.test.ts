import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidBucketName } from './buckets.js';
import { s3Env, TEST_ACCOUNT, rootPrincipal, userPrincipal } from './test-support.js';

test('bucket naming rules', () => {
  for (const ok of ['abc', 'my-bucket.data', 'a'.repeat(63), '1bucket']) assert.ok(isValidBucketName(ok), ok);
  for (const bad of ['ab', 'a'.repeat(64), 'Upper', 'under_score', '-start', 'end-', 'a..b', '192.168.1.1', 'xn--abc', 'sthree-x',
    'amzn-s3-demo-x', 'x-s3alias', 'x--ol-s3', 'x.mrap', 'x--x-s3', 'x--table-s3', 'sp ace']) {
    assert.ok(!isValidBucketName(bad), bad);
  }
});

test('CreateBucket: s3:CreateBucket on the bucket ARN, then HeadBucket, GetBucketLocation, ListBuckets', async () => {
  const env = s3Env();
  try {
    assert.deepEqual(await env.call('CreateBucket', { Bucket: 'data' }), { Location: '/data' });
    const [q] = env.last.queries;
    assert.equal(q.action, 's3:CreateBucket');
    assert.equal(q.resource, 'arn:aws:s3:::data');
    assert.equal(q.resourceAccount, TEST_ACCOUNT);
    assert.equal((await env.call('HeadBucket', { Bucket: 'data' })).BucketRegion, 'us-east-1');
    assert.equal(env.last.queries[0].action, 's3:ListBucket');
    assert.deepEqual(await env.call('GetBucketLocation', { Bucket: 'data' }), { LocationConstraint: undefined });
    assert.equal(env.last.queries[0].action, 's3:GetBucketLocation');
    await env.call('CreateBucket', { Bucket: 'eu-data', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
    assert.deepEqual(await env.call('GetBucketLocation', { Bucket: 'eu-data' }), { LocationConstraint: 'eu-west-1' });
    const list = await env.call('ListBuckets', {});
    assert.deepEqual(list.Buckets.map((b: any) => [b.Name, b.BucketRegion]), [['data', 'us-east-1'], ['eu-data', 'eu-west-1']]);
    assert.deepEqual(list.Buckets[0].CreationDate, env.clock);
    assert.match(list.Owner.ID, /^[0-9a-f]{64}$/);
    assert.deepEqual(env.last.queries.map((x) => [x.action, x.resource]), [['s3:ListAllMyBuckets', '*']]);
    const page = await env.call('ListBuckets', { MaxBuckets: 1 });
    assert.deepEqual(page.Buckets.map((b: any) => b.Name), ['data']);
    const rest = await env.call('ListBuckets', { MaxBuckets: 1, ContinuationToken: page.ContinuationToken });
    assert.deepEqual(rest.Buckets.map((b: any) => b.Name), ['eu-data']);
    assert.equal(rest.ContinuationToken, undefined);
  } finally { env.close(); }
});

test('CreateBucket errors: invalid name, location constraints, owned by you, owned by another account', async () => {
  const env = s3Env();
  try {
    await assert.rejects(env.call('CreateBucket', { Bucket: 'Bad_Name' }),
      { code: 'InvalidBucketName', status: 400, message: 'The specified bucket is not valid.', fields: { BucketName: 'Bad_Name' } });
    await assert.rejects(env.call('CreateBucket', { Bucket: 'bk1', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' } }),
      { code: 'InvalidLocationConstraint', status: 400 });
    await env.call('CreateBucket', { Bucket: 'bk1' });
    // AWS's legacy us-east-1 behaviour: re-creating your own bucket there succeeds.
    assert.deepEqual(await env.call('CreateBucket', { Bucket: 'bk1' }), { Location: '/bk1' });
    await env.call('CreateBucket', { Bucket: 'bk2', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } });
    await assert.rejects(env.call('CreateBucket', { Bucket: 'bk2', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }), {
      code: 'BucketAlreadyOwnedByYou', status: 409,
      message: 'Your previous request to create the named bucket succeeded and you already own it.', fields: { BucketName: 'bk2' },
    });
    await assert.rejects(env.call('CreateBucket', { Bucket: 'bk1' }, { principal: rootPrincipal('111111111111') }),
      { code: 'BucketAlreadyExists', status: 409 });
  } finally { env.close(); }
});

test('a regional endpoint needs a matching location constraint; us-east-1 takes any', async () => {
  const env = s3Env();
  try {
    const region = 'eu-west-1';
    await assert.rejects(env.call('CreateBucket', { Bucket: 'west1' }, { region }), {
      code: 'IllegalLocationConstraintException', status: 400,
      message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.',
    });
    await assert.rejects(env.call('CreateBucket', { Bucket: 'west1', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }, { region }),
      { message: 'The us-west-2 location constraint is incompatible for the region specific endpoint this request was sent to.' });
    await env.call('CreateBucket', { Bucket: 'west1', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }, { region });
    await env.call('CreateBucket', { Bucket: 'south1', CreateBucketConfiguration: { LocationConstraint: 'ap-south-1' } });
    assert.deepEqual(await env.call('GetBucketLocation', { Bucket: 'south1' }), { LocationConstraint: 'ap-south-1' });
  } finally { env.close(); }
});

test('DeleteBucket: NoSuchBucket, BucketNotEmpty, then gone (unfinished uploads go with it)', async () => {
  const env = s3Env();
  try {
    await assert.rejects(env.call('DeleteBucket', { Bucket: 'nope' }),
      { code: 'NoSuchBucket', status: 404, message: 'The specified bucket does not exist', fields: { BucketName: 'nope' } });
    await env.call('CreateBucket', { Bucket: 'full' });
    await env.put('full', 'k', 'x');
    await assert.rejects(env.call('DeleteBucket', { Bucket: 'full' }),
      { code: 'BucketNotEmpty', status: 409, message: 'The bucket you tried to delete is not empty' });
    assert.equal(env.last.queries[0].action, 's3:DeleteBucket');
    await env.call('DeleteObject', { Bucket: 'full', Key: 'k' });
    await env.call('CreateMultipartUpload', { Bucket: 'full', Key: 'big' });
    await env.call('DeleteBucket', { Bucket: 'full' });
    await assert.rejects(env.call('HeadBucket', { Bucket: 'full' }), { code: 'NoSuchBucket', status: 404 });
    assert.deepEqual(env.store.list('s3.upload'), []);
  } finally { env.close(); }
});

test('a denied caller gets AccessDenied and nothing changes; a missing bucket is NoSuchBucket whoever asks', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'mine' });
    env.deny = (q) => q.action === 's3:DeleteBucket';
    await assert.rejects(env.call('DeleteBucket', { Bucket: 'mine' }, { principal: userPrincipal('bob') }), { code: 'AccessDenied', status: 403 });
    env.deny = () => true;
    await assert.rejects(env.call('HeadBucket', { Bucket: 'missing' }, { principal: userPrincipal('bob') }), { code: 'NoSuchBucket' });
    env.deny = undefined;
    await env.call('HeadBucket', { Bucket: 'mine' });
  } finally { env.close(); }
});
