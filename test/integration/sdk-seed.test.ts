// The seed's permission setup, step for step, with the AWS SDK for JavaScript v3 against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  IAMClient, CreatePolicyCommand, CreateUserCommand, CreateGroupCommand, AttachUserPolicyCommand,
  AttachGroupPolicyCommand, AddUserToGroupCommand, CreateRoleCommand, CreateAccessKeyCommand,
  ListAttachedUserPoliciesCommand, GetRoleCommand, UpdateAccessKeyCommand, DeleteAccessKeyCommand,
  GetPolicyVersionCommand, ListUsersCommand, CreatePolicyVersionCommand, PutUserPolicyCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { startTailor, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST, type Creds } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const iam = (creds: Creds) => new IAMClient({ endpoint: tailor.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const sts = (creds: Creds) => new STSClient({ endpoint: tailor.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });

async function rejects(p: Promise<unknown>, name: string, message?: string | RegExp) {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (typeof message === 'string') assert.equal(e.message, message);
    else if (message) assert.match(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}`);
}

before(async () => {
  tailor = await startTailor();
});
after(async () => {
  await tailor?.stop();
});

test('the seed steps work verbatim and the user acts with its own key', async () => {
  const root = iam(ROOT);
  const policy = await root.send(new CreatePolicyCommand({ PolicyName: 'PersonalizeSeed', PolicyDocument: SEED_POLICY }));
  const policyArn = policy.Policy!.Arn!;
  assert.equal(policyArn, `arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed`);
  assert.equal(policy.Policy!.DefaultVersionId, 'v1');

  await root.send(new CreateUserCommand({ UserName: 'alice' }));
  await root.send(new CreateGroupCommand({ GroupName: 'personalize-users' }));
  await root.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policyArn }));
  await root.send(new AttachGroupPolicyCommand({ GroupName: 'personalize-users', PolicyArn: policyArn }));
  await root.send(new AddUserToGroupCommand({ GroupName: 'personalize-users', UserName: 'alice' }));
  await root.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchFullAccess' }));

  const attached = await root.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }));
  assert.deepEqual(attached.AttachedPolicies!.map((p) => p.PolicyName).sort(), ['CloudWatchFullAccess', 'PersonalizeSeed']);

  const role = await root.send(new CreateRoleCommand({ RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  assert.equal(role.Role!.Arn, `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`);
  const got = await root.send(new GetRoleCommand({ RoleName: 'PersonalizeRole' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)), JSON.parse(PERSONALIZE_TRUST));

  const version = await root.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
  assert.deepEqual(JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)), JSON.parse(SEED_POLICY));

  const key = await root.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  const alice: Creds = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  assert.match(alice.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
  assert.equal(alice.secretAccessKey.length, 40);

  const who = await sts(alice).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/alice`);
  assert.equal(who.Account, ACCOUNT);

  // The seed grants no IAM administration: AWS's exact denial.
  await rejects(iam(alice).send(new CreateUserCommand({ UserName: 'bob' })), 'AccessDenied',
    `User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/bob because no identity-based policy allows the iam:CreateUser action`);
  await rejects(iam(alice).send(new ListUsersCommand({})), 'AccessDenied', /iam:ListUsers/);

  // Deactivating the key stops it at once; reactivating restores it; deleting stops it for good.
  await root.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
  await rejects(sts(alice).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  await root.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Active' }));
  await sts(alice).send(new GetCallerIdentityCommand({}));
  await root.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId }));
  await rejects(sts(alice).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
});

test('a wrong secret is SignatureDoesNotMatch, an unknown key InvalidClientTokenId', async () => {
  await rejects(sts({ ...ROOT, secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})), 'SignatureDoesNotMatch');
  await rejects(sts({ accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');
});

test('AssumeRole follows the trust policy, session credentials act as the role, and a session policy narrows them', async () => {
  const root = iam(ROOT);
  await root.send(new CreateUserCommand({ UserName: 'carol' }));
  const key = await root.send(new CreateAccessKeyCommand({ UserName: 'carol' }));
  const carol: Creds = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  const trustCarol = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/carol` }, Action: 'sts:AssumeRole' }] });
  await root.send(new CreateRoleCommand({ RoleName: 'CarolAdmin', AssumeRolePolicyDocument: trustCarol }));
  await root.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'none', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }) }));
  await root.send(new PutRolePolicyCommand({ RoleName: 'CarolAdmin', PolicyName: 'iam-read', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }] }) }));

  // The trust policy names carol: that alone lets her assume the role (same account).
  const assumed = await sts(carol).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/CarolAdmin`, RoleSessionName: 'work' }));
  const session: Creds = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
  assert.match(session.accessKeyId, /^ASIA/);
  assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/CarolAdmin/work`);
  const who = await sts(session).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/CarolAdmin/work`);
  await iam(session).send(new ListUsersCommand({}));
  await rejects(iam(session).send(new CreateUserCommand({ UserName: 'mallory' })), 'AccessDenied',
    `User: arn:aws:sts::${ACCOUNT}:assumed-role/CarolAdmin/work is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${ACCOUNT}:user/mallory because no identity-based policy allows the iam:CreateUser action`);

  // A session policy intersects: ListUsers is no longer allowed.
  const narrowed = await sts(carol).send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${ACCOUNT}:role/CarolAdmin`, RoleSessionName: 'narrow',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }] }),
  }));
  const narrow: Creds = { accessKeyId: narrowed.Credentials!.AccessKeyId!, secretAccessKey: narrowed.Credentials!.SecretAccessKey!, sessionToken: narrowed.Credentials!.SessionToken! };
  await rejects(iam(narrow).send(new ListUsersCommand({})), 'AccessDenied', /because no session policy allows the iam:ListUsers action/);

  // A wrong session token is refused.
  await rejects(sts({ ...session, sessionToken: 'bogus' }).send(new GetCallerIdentityCommand({})), 'InvalidClientTokenId');

  // The Personalize service role trusts only the service: carol may not assume it.
  await rejects(sts(carol).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`, RoleSessionName: 'xx' })), 'AccessDenied', /sts:AssumeRole/);
});

test('policy versions: at most five, MalformedPolicyDocument for bad JSON', async () => {
  const root = iam(ROOT);
  const p = await root.send(new CreatePolicyCommand({ PolicyName: 'Versions', PolicyDocument: SEED_POLICY }));
  for (let i = 0; i < 4; i++) await root.send(new CreatePolicyVersionCommand({ PolicyArn: p.Policy!.Arn, PolicyDocument: SEED_POLICY }));
  await rejects(root.send(new CreatePolicyVersionCommand({ PolicyArn: p.Policy!.Arn, PolicyDocument: SEED_POLICY })), 'LimitExceededException');
  await rejects(root.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[' })), 'MalformedPolicyDocumentException');
});
