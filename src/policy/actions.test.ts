import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionExists, actionInfo, resourceArn, serviceExists } from './actions.js';

test('actions come from the service authorization data, case-insensitively', () => {
  assert.equal(actionExists('personalize', 'GetRecommendations'), true);
  assert.equal(actionExists('Personalize', 'getrecommendations'), true);
  assert.equal(actionExists('personalize', 'NoSuchAction'), false);
  assert.equal(actionExists('nosuchservice', 'Get'), false);
  assert.equal(actionExists('../personalize', 'GetRecommendations'), false);
  assert.equal(serviceExists('iam'), true);
});

test('action details: resource types and condition keys', () => {
  const info = actionInfo('iam', 'PassRole')!;
  assert.equal(info.name, 'PassRole');
  assert.deepEqual(info.resourceTypes.map((r) => r.name), ['role']);
  assert.ok(info.conditionKeys.includes('iam:PassedToService'));
  assert.deepEqual(actionInfo('personalize', 'GetRecommendations')!.resourceTypes.map((r) => r.name), ['campaign']);
  assert.equal(actionInfo('personalize', 'constructor'), undefined);
});

test('resource ARNs fill AWS templates', () => {
  assert.equal(resourceArn('iam', 'user', { Account: '000000000000', UserNameWithPath: 'team/bob' }), 'arn:aws:iam::000000000000:user/team/bob');
  assert.equal(resourceArn('personalize', 'campaign', { Account: '1', Region: 'us-east-1', ResourceId: 'movies' }), 'arn:aws:personalize:us-east-1:1:campaign/movies');
  assert.equal(resourceArn('s3', 'bucket', { BucketName: 'b', Partition: 'aws-cn' }), 'arn:aws-cn:s3:::b');
  assert.throws(() => resourceArn('iam', 'user', { Account: '1' }), /UserNameWithPath/);
  assert.throws(() => resourceArn('iam', 'nosuchtype', {}), /No resource type/);
});

test('lookups are fast once a service is loaded', () => {
  actionInfo('kms', 'Decrypt');
  const start = process.hrtime.bigint();
  for (let i = 0; i < 100_000; i++) actionInfo('kms', 'Decrypt');
  assert.ok(Number(process.hrtime.bigint() - start) / 100_000 < 2_000, 'under 2 µs per lookup');
});
