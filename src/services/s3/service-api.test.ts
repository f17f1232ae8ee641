import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type { AuthzQuery, Principal } from '../../gateway/context.js';
import { listObjectsForService, openObjectForService, putObjectForService } from './index.js';
import { s3Env, readAll } from './test-support.js';

const PERSONALIZE: Principal = {
  type: 'service', arn: 'personalize.amazonaws.com', accountId: '000000000000', userId: 'personalize.amazonaws.com',
  accessKeyId: '', service: 'personalize.amazonaws.com',
};
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: ['arn:aws:s3:::bkt', 'arn:aws:s3:::bkt/*'] }],
});

function recorder() {
  const asked: AuthzQuery[] = [];
  return { asked, caller: { principal: PERSONALIZE, authorize: (...q: AuthzQuery[]) => { asked.push(...q); } } };
}

test('a service reads, lists and writes objects through the S3 code paths, asking its authorize with the bucket policy', async () => {
  const env = s3Env();
  try {
    await env.call('CreateBucket', { Bucket: 'bkt' });
    await env.call('PutBucketPolicy', { Bucket: 'bkt', Policy: POLICY });
    const { KeyMetadata } = await env.kms('CreateKey', {});
    await env.put('bkt', 'import/items.csv', 'ITEM_ID\n1\n', { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KeyMetadata.KeyId });
    await env.put('bkt', 'import/users.csv', 'USER_ID\n7\n');
    await env.put('bkt', 'other.csv', 'x');

    const list = recorder();
    assert.deepEqual((await listObjectsForService(env.app, 'bkt', 'import/', list.caller)).map((o) => [o.key, o.size]),
      [['import/items.csv', 10], ['import/users.csv', 10]]);
    assert.deepEqual(list.asked.map((q) => [q.action, q.resource, q.context?.['s3:prefix'], q.resourcePolicy?.text]),
      [['s3:ListBucket', 'arn:aws:s3:::bkt', 'import/', POLICY]]);

    const read = recorder();
    const opened = await openObjectForService(env.app, 'bkt', 'import/items.csv', read.caller);
    assert.equal((await readAll(opened.body)).toString(), 'ITEM_ID\n1\n');
    assert.deepEqual(read.asked.map((q) => q.action), ['s3:GetObject', 'kms:Decrypt']);
    assert.equal(read.asked[1].context?.['kms:ViaService'], 's3.us-east-1.amazonaws.com');
    const ranged = await openObjectForService(env.app, 'bkt', 'import/users.csv', { ...read.caller, range: { start: 0, end: 6 } });
    assert.equal((await readAll(ranged.body)).toString(), 'USER_ID');

    const write = recorder();
    const out = await putObjectForService(env.app, 'bkt', 'output/result.json', Readable.from([Buffer.from('{"ok":1}')]),
      { ...write.caller, contentType: 'application/json', kmsKeyId: KeyMetadata.Arn });
    assert.equal(out.size, 8);
    assert.deepEqual(write.asked.map((q) => q.action), ['s3:PutObject', 'kms:GenerateDataKey']);
    const got = await env.get('bkt', 'output/result.json');
    assert.deepEqual([got.body.toString(), got.out.ContentType, got.out.SSEKMSKeyId], ['{"ok":1}', 'application/json', KeyMetadata.Arn]);

    const denied = { principal: PERSONALIZE, authorize: () => { throw new Error('denied'); } };
    await assert.rejects(openObjectForService(env.app, 'bkt', 'import/items.csv', denied), /denied/);
    await assert.rejects(listObjectsForService(env.app, 'bkt', '', denied), /denied/);
    await assert.rejects(putObjectForService(env.app, 'bkt', 'x', Readable.from([]), denied), /denied/);
    await assert.rejects(openObjectForService(env.app, 'nobucket', 'k', read.caller), { code: 'NoSuchBucket' });
  } finally { env.close(); }
});
