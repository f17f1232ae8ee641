import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmsEnv } from './test-support.js';

test('tags: at creation, TagResource, UntagResource, ListResourceTags; condition keys and resource tags', () => {
  const env = kmsEnv();
  try {
    const { KeyMetadata: m } = env.call('CreateKey', { Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    assert.deepEqual(env.last.queries.map((q) => q.action), ['kms:CreateKey', 'kms:TagResource']);
    assert.equal(env.last.queries[0].context?.['aws:RequestTag/team'], 'a');
    env.call('TagResource', { KeyId: m.KeyId, Tags: [{ TagKey: 'env', TagValue: 'prod' }, { TagKey: 'team', TagValue: 'b' }] });
    const [q] = env.last.queries;
    assert.equal(q.action, 'kms:TagResource');
    assert.deepEqual(q.context?.['aws:TagKeys'], ['env', 'team']);
    assert.deepEqual(q.resourceTags, { team: 'a' });
    assert.deepEqual(env.call('ListResourceTags', { KeyId: m.Arn }).Tags, [{ TagKey: 'team', TagValue: 'b' }, { TagKey: 'env', TagValue: 'prod' }]);
    const page = env.call('ListResourceTags', { KeyId: m.KeyId, Limit: 1 });
    assert.equal(page.Truncated, true);
    assert.deepEqual(env.call('ListResourceTags', { KeyId: m.KeyId, Limit: 1, Marker: page.NextMarker }).Tags, [{ TagKey: 'env', TagValue: 'prod' }]);
    env.call('UntagResource', { KeyId: m.KeyId, TagKeys: ['team', 'missing'] });
    assert.deepEqual(env.last.queries[0].context?.['aws:TagKeys'], ['team', 'missing']);
    assert.deepEqual(env.call('ListResourceTags', { KeyId: m.KeyId }).Tags, [{ TagKey: 'env', TagValue: 'prod' }]);
    env.call('DescribeKey', { KeyId: m.KeyId });
    assert.deepEqual(env.last.queries[0].resourceTags, { env: 'prod' });
  } finally {
    env.close();
  }
});

test('aws: tag keys are TagException; pending-deletion keys cannot be tagged', () => {
  const env = kmsEnv();
  try {
    assert.throws(() => env.call('CreateKey', { Tags: [{ TagKey: 'aws:x', TagValue: '1' }] }), { code: 'TagException' });
    assert.equal(env.store.count('kms.key'), 0);
    const { KeyMetadata: m } = env.call('CreateKey', {});
    assert.throws(() => env.call('TagResource', { KeyId: m.KeyId, Tags: [{ TagKey: 'AWS:x', TagValue: '1' }] }), { code: 'TagException' });
    env.call('ScheduleKeyDeletion', { KeyId: m.KeyId });
    assert.throws(() => env.call('TagResource', { KeyId: m.KeyId, Tags: [{ TagKey: 'a', TagValue: '1' }] }), { code: 'KMSInvalidStateException' });
    assert.deepEqual(env.call('ListResourceTags', { KeyId: m.KeyId }).Tags, []);
  } finally {
    env.close();
  }
});
