import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuthzQuery } from '../../gateway/context.js';
import { AwsError } from '../../shared/aws-error.js';
import { kmsEnv, userPrincipal } from './test-support.js';
import { createGrant, decrypt, describeKey, encrypt, generateDataKey, retireGrant, type KmsCaller } from './service-api.js';

const VIA = 's3.us-east-1.amazonaws.com';

function recordingCaller(env: ReturnType<typeof kmsEnv>, deny?: (q: AuthzQuery) => boolean) {
  const queries: AuthzQuery[] = [];
  const caller: KmsCaller = {
    principal: userPrincipal('alice'),
    region: 'us-east-1',
    now: env.clock,
    viaService: VIA,
    authorize: (...qs) => {
      queries.push(...qs);
      if (qs.some((q) => deny?.(q))) throw new AwsError('AccessDenied', 'denied', 403);
    },
  };
  return { caller, queries };
}

test('services get data keys and decrypt them through the same checks, with kms:ViaService set', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    env.call('CreateAlias', { AliasName: 'alias/s3', TargetKeyId: m.KeyId });
    const { caller, queries } = recordingCaller(env);
    const ec = { 'aws:s3:arn': 'arn:aws:s3:::bucket/key' };
    const dk = generateDataKey(env.app, { keyId: 'alias/s3', encryptionContext: ec, caller });
    assert.equal(dk.keyArn, m.Arn);
    assert.equal(dk.plaintext.length, 32);
    assert.equal(queries[0].action, 'kms:GenerateDataKey');
    assert.equal(queries[0].context?.['kms:ViaService'], VIA);
    assert.equal(queries[0].context?.['kms:EncryptionContext:aws:s3:arn'], 'arn:aws:s3:::bucket/key');
    const back = decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, encryptionContext: ec, caller });
    assert.deepEqual(back.plaintext, dk.plaintext);
    assert.equal(queries[1].action, 'kms:Decrypt');
    assert.equal(queries[1].context?.['kms:ViaService'], VIA);
    assert.throws(() => decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller }), { code: 'InvalidCiphertextException' });
    const enc = encrypt(env.app, { keyId: m.KeyId, plaintext: Buffer.from('hi'), caller });
    assert.equal(decrypt(env.app, { ciphertextBlob: enc.ciphertextBlob, keyId: m.Arn, caller }).plaintext.toString(), 'hi');
    assert.equal(describeKey(env.app, { keyId: 'alias/s3', caller }).Arn, m.Arn);
  } finally {
    env.close();
  }
});

test('a denial from the calling request stops the service call', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { caller } = recordingCaller(env, (q) => q.action === 'kms:Decrypt');
    const dk = generateDataKey(env.app, { keyId: m.KeyId, caller });
    assert.throws(() => decrypt(env.app, { ciphertextBlob: dk.ciphertextBlob, caller }), { code: 'AccessDenied' });
  } finally {
    env.close();
  }
});

test('services create grants for AWS resources (kms:GrantIsForAWSResource) and retire them', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', {});
    const { caller, queries } = recordingCaller(env);
    const role = 'arn:aws:iam::000000000000:role/PersonalizeRole';
    const g = createGrant(env.app, { keyId: m.Arn, granteePrincipal: role, retiringPrincipal: caller.principal.arn, operations: ['Decrypt', 'GenerateDataKey'], caller });
    assert.equal(queries[0].context?.['kms:GrantIsForAWSResource'], true);
    assert.equal(env.call('ListGrants', { KeyId: m.KeyId }).Grants[0].GranteePrincipal, role);
    retireGrant(env.app, { grantToken: g.grantToken, caller });
    assert.equal(env.call('ListGrants', { KeyId: m.KeyId }).Grants.length, 0);
  } finally {
    env.close();
  }
});
