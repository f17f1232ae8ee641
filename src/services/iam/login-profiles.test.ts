import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { testEnv, userPrincipal, TEST_ACCOUNT, type TestEnv } from './test-support.js';
import { operations as users } from './users.js';
import { operations as profiles, verifyPassword } from './login-profiles.js';
import { KIND, type LoginProfileDoc } from './schema.js';
import type { Principal } from '../../gateway/context.js';

const ops = { ...users, ...profiles };
let env: TestEnv;
const run = (op: string, input: object = {}, principal?: Principal) => env.run(ops, op, input, principal);
const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};

beforeEach(async () => {
  env = testEnv();
  await run('CreateUser', { UserName: 'alice' });
});
afterEach(() => env.close());

test('CreateLoginProfile stores only a scrypt hash and verifyPassword checks it', async () => {
  const { out, ctx } = await run('CreateLoginProfile', { UserName: 'alice', Password: 'Correct-Horse-1', PasswordResetRequired: true });
  assert.equal(out.LoginProfile.UserName, 'alice');
  assert.equal(out.LoginProfile.PasswordResetRequired, true);
  assert.ok(out.LoginProfile.CreateDate instanceof Date);
  assert.deepEqual(ctx.queries, [{ action: 'iam:CreateLoginProfile', resource: `arn:aws:iam::${TEST_ACCOUNT}:user/alice`, resourceTags: {} }]);
  const doc = env.store.get<LoginProfileDoc>(KIND.loginProfile, 'alice')!;
  assert.match(doc.PasswordHash, /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.ok(!JSON.stringify(doc).includes('Correct-Horse-1'));
  assert.equal(verifyPassword(env.store, 'ALICE', 'Correct-Horse-1'), true);
  assert.equal(verifyPassword(env.store, 'alice', 'correct-horse-1'), false);
  assert.equal(verifyPassword(env.store, 'nobody', 'Correct-Horse-1'), false);
  await assert.rejects(run('CreateLoginProfile', { UserName: 'alice', Password: 'Correct-Horse-2' }),
    code('EntityAlreadyExists', 'Login Profile for user alice already exists.'));
});

test('passwords must meet the default policy: 8+ characters, three of four character classes', async () => {
  for (const bad of ['Ab1!', 'abcdefgh', 'abcdefg1', 'ABCDEFGH1']) {
    await assert.rejects(run('CreateLoginProfile', { UserName: 'alice', Password: bad }),
      code('PasswordPolicyViolation', 'Password does not conform to the account password policy.'), bad);
  }
  assert.equal(env.store.count(KIND.loginProfile), 0);
  await run('CreateLoginProfile', { UserName: 'alice', Password: 'abcdefG1' });
  await assert.rejects(run('CreateLoginProfile', { UserName: 'nobody', Password: 'abcdefG1' }), code('NoSuchEntity'));
});

test('Get/Update/DeleteLoginProfile, with the caller as default user', async () => {
  await assert.rejects(run('GetLoginProfile', { UserName: 'alice' }), code('NoSuchEntity', 'Login Profile for User alice cannot be found.'));
  await run('CreateLoginProfile', { UserName: 'alice', Password: 'First-pass-1' });
  const own = await run('GetLoginProfile', {}, userPrincipal('alice'));
  assert.equal(own.out.LoginProfile.PasswordResetRequired, false);
  assert.equal(own.ctx.queries[0].action, 'iam:GetLoginProfile');
  await assert.rejects(run('UpdateLoginProfile', { UserName: 'alice', Password: 'short' }), code('PasswordPolicyViolation'));
  assert.equal(verifyPassword(env.store, 'alice', 'First-pass-1'), true);
  await run('UpdateLoginProfile', { UserName: 'alice', Password: 'Second-pass-2', PasswordResetRequired: true });
  assert.equal(verifyPassword(env.store, 'alice', 'Second-pass-2'), true);
  assert.equal((await run('GetLoginProfile', { UserName: 'alice' })).out.LoginProfile.PasswordResetRequired, true);
  await run('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: false });
  assert.equal(verifyPassword(env.store, 'alice', 'Second-pass-2'), true);
  const del = await run('DeleteLoginProfile', { UserName: 'alice' });
  assert.equal(del.ctx.queries[0].action, 'iam:DeleteLoginProfile');
  await assert.rejects(run('DeleteLoginProfile', { UserName: 'alice' }), code('NoSuchEntity', 'Login Profile for User alice cannot be found.'));
  await assert.rejects(run('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: true }), code('NoSuchEntity'));
});
