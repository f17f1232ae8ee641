import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as keys } from './access-keys.js';
import { iamUserCredentialSource } from './credentials.js';

const ops = { ...users, ...keys };
let env: TestEnv;
const run = (op: string, input: object = {}) => env.run(ops, op, input);

beforeEach(() => { env = testEnv(); });
afterEach(() => env.close());

test('resolves an active key to its secret and the user principal', async () => {
  const user = (await run('CreateUser', { UserName: 'alice', Path: '/eng/' })).out.User;
  const key = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey;
  const source = iamUserCredentialSource(env.store, env.secrets, TEST_ACCOUNT);
  const got = source.resolve(key.AccessKeyId)!;
  assert.equal(got.secretAccessKey, key.SecretAccessKey);
  assert.deepEqual(got.principal, {
    type: 'user', arn: user.Arn, accountId: TEST_ACCOUNT, userId: user.UserId, userName: 'alice', accessKeyId: key.AccessKeyId,
  });
  assert.equal(source.resolve(key.AccessKeyId), got, 'served from the cache while the store is unchanged');
  assert.equal(source.resolve('AKIANOSUCHKEYNOSUCH0'), undefined);
});

test('deactivation, deletion and renames take effect at once', async () => {
  await run('CreateUser', { UserName: 'alice' });
  const id = (await run('CreateAccessKey', { UserName: 'alice' })).out.AccessKey.AccessKeyId;
  const source = iamUserCredentialSource(env.store, env.secrets, TEST_ACCOUNT);
  assert.ok(source.resolve(id));
  await run('UpdateAccessKey', { UserName: 'alice', AccessKeyId: id, Status: 'Inactive' });
  assert.equal(source.resolve(id), undefined);
  await run('UpdateAccessKey', { UserName: 'alice', AccessKeyId: id, Status: 'Active' });
  assert.ok(source.resolve(id));
  await run('UpdateUser', { UserName: 'alice', NewUserName: 'alicia' });
  assert.equal(source.resolve(id)!.principal.arn, `arn:aws:iam::${TEST_ACCOUNT}:user/alicia`);
  await run('DeleteAccessKey', { UserName: 'alicia', AccessKeyId: id });
  assert.equal(source.resolve(id), undefined);
});
