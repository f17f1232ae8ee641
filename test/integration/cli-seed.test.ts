// The seed's steps as the AWS documentation gives them, with the AWS CLI (Debian's awscli) against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTailor, aws, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST, type Creds, awsOk } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
before(async () => {
  tailor = await startTailor();
});
after(async () => {
  await tailor?.stop();
});

const ok = (creds: Creds, args: string[]) => awsOk(tailor.url, creds, args);

test('aws iam: policy, user, group, CloudWatchFullAccess, service role, access key, denial', async () => {
  const policyFile = join(tailor.dataDir, 'policy.json');
  const trustFile = join(tailor.dataDir, 'trust.json');
  writeFileSync(policyFile, SEED_POLICY);
  writeFileSync(trustFile, PERSONALIZE_TRUST);

  const created = await ok(ROOT, ['iam', 'create-policy', '--policy-name', 'PersonalizeSeed', '--policy-document', `file://${policyFile}`]);
  const arn = created.Policy.Arn;
  assert.equal(arn, `arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed`);
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'alice']);
  await ok(ROOT, ['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', arn]);
  await ok(ROOT, ['iam', 'create-group', '--group-name', 'personalize-users']);
  await ok(ROOT, ['iam', 'attach-group-policy', '--group-name', 'personalize-users', '--policy-arn', arn]);
  await ok(ROOT, ['iam', 'add-user-to-group', '--group-name', 'personalize-users', '--user-name', 'alice']);
  await ok(ROOT, ['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', 'arn:aws:iam::aws:policy/CloudWatchFullAccess']);
  const role = await ok(ROOT, ['iam', 'create-role', '--role-name', 'PersonalizeRole', '--assume-role-policy-document', `file://${trustFile}`]);
  assert.equal(role.Role.Arn, `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`);
  assert.deepEqual(role.Role.AssumeRolePolicyDocument, JSON.parse(PERSONALIZE_TRUST));

  const group = await ok(ROOT, ['iam', 'get-group', '--group-name', 'personalize-users']);
  assert.deepEqual(group.Users.map((u: any) => u.UserName), ['alice']);
  const attached = await ok(ROOT, ['iam', 'list-attached-user-policies', '--user-name', 'alice']);
  assert.equal(attached.AttachedPolicies.length, 2);

  const key = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'alice']);
  const alice = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  const who = await ok(alice, ['sts', 'get-caller-identity']);
  assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);

  const denied = await aws(tailor.url, alice, ['iam', 'create-user', '--user-name', 'bob']);
  assert.notEqual(denied.status, 0);
  assert.match(denied.stderr, new RegExp(
    `An error occurred \\(AccessDenied\\) when calling the CreateUser operation: User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:CreateUser action`));
});

test('aws iam list-users pages with Marker/MaxItems', async () => {
  for (const name of ['page-a', 'page-b', 'page-c']) await ok(ROOT, ['iam', 'create-user', '--user-name', name, '--path', '/paging/']);
  const all = await ok(ROOT, ['iam', 'list-users', '--path-prefix', '/paging/', '--page-size', '1']);
  assert.deepEqual(all.Users.map((u: any) => u.UserName), ['page-a', 'page-b', 'page-c']);
  const first = await ok(ROOT, ['iam', 'list-users', '--path-prefix', '/paging/', '--max-items', '2']);
  assert.equal(first.Users.length, 2);
  assert.ok(first.NextToken);
});

test('aws cli errors read as AWS: NoSuchEntity, EntityAlreadyExists, ValidationError', async () => {
  const missing = await aws(tailor.url, ROOT, ['iam', 'get-user', '--user-name', 'nobody']);
  assert.match(missing.stderr, /\(NoSuchEntity\) when calling the GetUser operation: The user with name nobody cannot be found\./);
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'dup']);
  const dup = await aws(tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'DUP']);
  assert.match(dup.stderr, /\(EntityAlreadyExists\) when calling the CreateUser operation: User with name DUP already exists\./);
  const invalid = await aws(tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'bad name!']);
  assert.match(invalid.stderr, /\(ValidationError\) when calling the CreateUser operation: 1 validation error detected: Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern/);
});
