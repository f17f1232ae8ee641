import { test } from 'node:test';
import assert from 'node:assert/strict';
import { s3Env, userPrincipal, rootPrincipal } from './test-support.js';

/** The bucket policy of the Personalize documentation. */
const personalizePolicy = (bucket: string) => JSON.stringify({
  Version: '2012-10-17',
  Id: 'PersonalizeS3BucketAccessPolicy',
  Statement: [{
    Sid: 'PersonalizeS3BucketAccessPolicy',
    Effect: 'Allow',
    Principal: { Service: 'personalize.amazonaws.com' },
    Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
  }],
});

test('Put/Get/DeleteBucketPolicy; the stored policy goes with every later query on the bucket', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'train' });
    await assert.rejects(env.call('GetBucketPolicy', { Bucket: 'train' }, { principal: userPrincipal('u') }),
      { code: 'NoSuchBucketPolicy', status: 404, message: 'The bucket policy does not exist', fields: { BucketName: 'train' } });
    assert.equal(env.last.queries[0].action, 's3:GetBucketPolicy');
    const text = personalizePolicy('train');
    await env.call('PutBucketPolicy', { Bucket: 'train', Policy: text }, { principal: userPrincipal('u') });
    assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['s3:PutBucketPolicy', 'arn:aws:s3:::train']]);
    assert.equal((await env.call('GetBucketPolicy', { Bucket: 'train' })).Policy, text);
    await env.put('train', 'items.csv', 'x');
    const [q] = env.last.queries;
    assert.deepEqual(q.resourcePolicy, { text, id: 'arn:aws:s3:::train', kind: 'resource' });
    await env.call('ListObjectsV2', { Bucket: 'train' });
    assert.equal(env.last.queries[0].resourcePolicy?.text, text);
    await env.call('DeleteBucketPolicy', { Bucket: 'train' }, { principal: userPrincipal('u') });
    assert.equal(env.last.queries[0].action, 's3:DeleteBucketPolicy');
    await env.put('train', 'items.csv', 'x');
    assert.equal(env.last.queries[0].resourcePolicy, undefined);
    await env.call('DeleteBucketPolicy', { Bucket: 'train' });
  } finally { env.close(); }
});

test('MalformedPolicy: invalid JSON, a policy without principal, a resource outside the bucket', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'train' });
    await assert.rejects(env.call('PutBucketPolicy', { Bucket: 'train', Policy: 'not json' }),
      { code: 'MalformedPolicy', status: 400, message: "Policies must be valid JSON and the first byte must be '{'" });
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::train/*' }] });
    await assert.rejects(env.call('PutBucketPolicy', { Bucket: 'train', Policy: noPrincipal }), { code: 'MalformedPolicy', status: 400 });
    await assert.rejects(env.call('PutBucketPolicy', { Bucket: 'train', Policy: personalizePolicy('other-bucket') }),
      { code: 'MalformedPolicy', message: 'Policy has invalid resource' });
    const wildcard = personalizePolicy('train').replace('arn:aws:s3:::train/*', 'arn:aws:s3:::tr*/*');
    await env.call('PutBucketPolicy', { Bucket: 'train', Policy: wildcard });
    await assert.rejects(env.call('PutBucketPolicy', { Bucket: 'missing', Policy: personalizePolicy('missing') }), { code: 'NoSuchBucket' });
  } finally { env.close(); }
});

test('the owner account\'s root user can always manage the policy, even one that denies everyone', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'locked' });
    env.deny = () => true;
    await env.call('GetBucketPolicy', { Bucket: 'locked' }).catch((e) => assert.equal(e.code, 'NoSuchBucketPolicy'));
    await env.call('DeleteBucketPolicy', { Bucket: 'locked' }, { principal: rootPrincipal() });
    assert.deepEqual(env.last.queries, []);
    await assert.rejects(env.call('DeleteBucketPolicy', { Bucket: 'locked' }, { principal: userPrincipal('u') }), { code: 'AccessDenied' });
    await assert.rejects(env.call('DeleteBucketPolicy', { Bucket: 'locked' }, { principal: rootPrincipal('111111111111') }), { code: 'AccessDenied' });
  } finally { env.close(); }
});
