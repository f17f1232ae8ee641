import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Principal } from '../../gateway/context.js';
import { authorizeQueries } from '../../gateway/authorize.js';
import { s3Env } from '../s3/test-support.js';
import { kmsEnv, rolePrincipal, rootPrincipal, TEST_ACCOUNT, userPrincipal } from './test-support.js';
import { disableKey } from './keys.js';
import { putKeyPolicy } from './key-policy.js';
import { awsManagedKeyPolicy } from './aws-managed-keys.js';
import { decrypt, generateDataKey, type KmsCaller } from './service-api.js';

const ARN = /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/;

test('alias/aws/s3 names an AWS managed key, created on first use with AWS\'s description and policy', () => {
  const env = kmsEnv();
  try {
    assert.deepEqual(env.call('ListAliases', {}).Aliases, []);
    const { KeyMetadata: m } = env.call('DescribeKey', { KeyId: 'alias/aws/s3' });
    assert.match(m.Arn, ARN);
    assert.equal(m.KeyManager, 'AWS');
    assert.equal(m.Description, 'Default key that protects my S3 objects when no other key is defined');
    assert.equal(m.KeyState, 'Enabled');
    assert.equal(env.last.queries[0].context?.['kms:RequestAlias'], 'alias/aws/s3');
    // Later uses, by name or alias ARN, find the same key; no second one is made.
    assert.equal(env.call('DescribeKey', { KeyId: 'alias/aws/s3' }).KeyMetadata.Arn, m.Arn);
    assert.equal(env.call('DescribeKey', { KeyId: `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/aws/s3` }).KeyMetadata.Arn, m.Arn);
    assert.equal(env.call('ListKeys', {}).Keys.length, 1);
    const [alias] = env.call('ListAliases', {}).Aliases;
    assert.deepEqual([alias.AliasName, alias.TargetKeyId], ['alias/aws/s3', m.KeyId]);
    const { Policy } = env.call('GetKeyPolicy', { KeyId: m.KeyId });
    assert.equal(Policy, awsManagedKeyPolicy(TEST_ACCOUNT, 'us-east-1', 's3'));
    const policy = JSON.parse(Policy);
    assert.deepEqual(policy.Statement[0].Condition, {
      StringEquals: { 'kms:CallerAccount': TEST_ACCOUNT, 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
    });
    // A customer managed key still says so.
    assert.equal(env.call('CreateKey', {}).KeyMetadata.KeyManager, 'CUSTOMER');
  } finally {
    env.close();
  }
});

test('only known services have AWS managed keys; other accounts and regions name nothing', () => {
  const env = kmsEnv();
  try {
    assert.equal(env.call('DescribeKey', { KeyId: 'alias/aws/personalize' }).KeyMetadata.KeyManager, 'AWS');
    assert.throws(() => env.call('DescribeKey', { KeyId: 'alias/aws/nothing' }), { code: 'NotFoundException' });
    assert.throws(() => env.call('DescribeKey', { KeyId: 'arn:aws:kms:us-east-1:111122223333:alias/aws/s3' }), { code: 'NotFoundException' });
    assert.throws(() => env.call('DescribeKey', { KeyId: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:alias/aws/s3` }), { code: 'NotFoundException' });
    assert.throws(() => env.call('CreateAlias', { AliasName: 'alias/aws/s3', TargetKeyId: 'alias/aws/personalize' }), { code: 'NotAuthorizedException' });
    assert.equal(env.call('ListKeys', {}).Keys.length, 1);
  } finally {
    env.close();
  }
});

/** A caller whose authorize is the gateway's: the policy engine with the key policy, no identity policies. */
function realCaller(env: ReturnType<typeof kmsEnv>, principal: Principal, viaService?: string): KmsCaller {
  const req = { method: 'POST', path: '/', rawQuery: '', query: [], headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1', secure: true };
  return {
    principal, region: 'us-east-1', now: env.clock, viaService,
    authorize: (...q) => authorizeQueries(env.app, principal, req, 'awsJson1_1', 'us-east-1', env.clock, q),
  };
}

test('the key policy lets the account\'s principals use the key through S3 only', () => {
  const env = kmsEnv();
  try {
    const via = realCaller(env, userPrincipal('alice'), 's3.us-east-1.amazonaws.com');
    const dk = generateDataKey(env.app, { keyId: 'alias/aws/s3', caller: via });
    const session = realCaller(env, rolePrincipal('Importer', 's'), 's3.us-east-1.amazonaws.com');
    assert.deepEqual(decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller: session }).plaintext, dk.plaintext);

    const direct = realCaller(env, userPrincipal('alice'));
    assert.throws(() => decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller: direct }), { code: 'AccessDeniedException' });
    const otherService = realCaller(env, userPrincipal('alice'), 'personalize.us-east-1.amazonaws.com');
    assert.throws(() => decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller: otherService }), { code: 'AccessDeniedException' });
    const stranger = realCaller(env, userPrincipal('mallory', 'AIDAOTHER', '111122223333'), 's3.us-east-1.amazonaws.com');
    assert.throws(() => decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller: stranger }), { code: 'AccessDeniedException' });
    // Nobody manages an AWS managed key, not even the account.
    const root = realCaller(env, rootPrincipal());
    assert.throws(() => disableKey(env.app, root, { KeyId: dk.keyArn }), { code: 'AccessDeniedException' });
    assert.throws(() => putKeyPolicy(env.app, root, { KeyId: dk.keyArn, Policy: '{}' }), { code: 'AccessDeniedException' });
  } finally {
    env.close();
  }
});

test('S3 aws:kms without a key id, and a bucket default of aws:kms without one, use alias/aws/s3', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    const put = await env.put('bkt', 'a', 'hello', { ServerSideEncryption: 'aws:kms' });
    assert.equal(put.ServerSideEncryption, 'aws:kms');
    assert.match(put.SSEKMSKeyId, ARN);
    const { KeyMetadata } = await env.kms('DescribeKey', { KeyId: 'alias/aws/s3' });
    assert.equal(put.SSEKMSKeyId, KeyMetadata.Arn);
    await env.call('PutBucketEncryption', { Bucket: 'bkt', ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }] } });
    assert.equal((await env.put('bkt', 'b', 'world')).SSEKMSKeyId, KeyMetadata.Arn);
    const { out, body } = await env.get('bkt', 'a');
    assert.deepEqual([body.toString(), out.SSEKMSKeyId], ['hello', KeyMetadata.Arn]);
  } finally {
    env.close();
  }
});
