// KMS through the real server with the AWS SDK v3: wire shapes, blobs, errors and key-policy semantics.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  KMSClient, CreateKeyCommand, DescribeKeyCommand, CreateAliasCommand, EncryptCommand, DecryptCommand, GenerateDataKeyCommand,
  DisableKeyCommand, EnableKeyCommand, GetKeyPolicyCommand, ListKeysCommand, ListAliasesCommand, CreateGrantCommand, ListGrantsCommand,
  ScheduleKeyDeletionCommand, CancelKeyDeletionCommand, ReEncryptCommand, PutKeyPolicyCommand, GenerateRandomCommand,
} from '@aws-sdk/client-kms';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { start } from '../../main.js';

const ACCOUNT = '000000000000';
const ROOT = { accessKeyId: 'AKIAROOTTESTKEY00001', secretAccessKey: 'root-secret-for-tests-only-0000000000000' };
const dataDir = mkdtempSync(join(tmpdir(), 'tailor-kms-sdk-'));
const running = await start(
  { dataDir, accountId: ACCOUNT, host: '127.0.0.1', port: 0 },
  { env: { TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey }, log: () => {} },
);
after(async () => {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Creds = { accessKeyId: string; secretAccessKey: string };
const kms = (creds: Creds = ROOT) => new KMSClient({ endpoint: running.url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const iam = new IAMClient({ endpoint: running.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });

async function rejects(p: Promise<unknown>, name: string, message?: string) {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message !== undefined) assert.equal(e.message, message);
    return e;
  }
  assert.fail(`expected ${name}`);
}

test('keys, aliases and envelope encryption round-trip through the SDK', async () => {
  const c = kms();
  const { KeyMetadata: m } = await c.send(new CreateKeyCommand({ Description: 'sdk', Tags: [{ TagKey: 't', TagValue: 'v' }] }));
  assert.equal(m!.KeyState, 'Enabled');
  assert.ok(m!.CreationDate instanceof Date);
  await c.send(new CreateAliasCommand({ AliasName: 'alias/sdk', TargetKeyId: m!.KeyId }));
  assert.equal((await c.send(new DescribeKeyCommand({ KeyId: 'alias/sdk' }))).KeyMetadata!.Arn, m!.Arn);
  assert.equal((await c.send(new ListAliasesCommand({ KeyId: m!.KeyId }))).Aliases![0].AliasName, 'alias/sdk');
  assert.ok((await c.send(new ListKeysCommand({}))).Keys!.some((k) => k.KeyArn === m!.Arn));

  const ec = { purpose: 'sdk-test' };
  const enc = await c.send(new EncryptCommand({ KeyId: 'alias/sdk', Plaintext: Buffer.from('hello kms'), EncryptionContext: ec }));
  assert.equal(enc.KeyId, m!.Arn);
  const dec = await c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ec }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'hello kms');
  await rejects(c.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'InvalidCiphertextException');

  const dk = await c.send(new GenerateDataKeyCommand({ KeyId: m!.KeyId, KeySpec: 'AES_256' }));
  assert.equal(dk.Plaintext!.length, 32);
  assert.deepEqual((await c.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob }))).Plaintext, dk.Plaintext);
  const other = (await c.send(new CreateKeyCommand({}))).KeyMetadata!;
  const re = await c.send(new ReEncryptCommand({ CiphertextBlob: dk.CiphertextBlob, DestinationKeyId: other.KeyId }));
  assert.equal(re.KeyId, other.Arn);
  assert.equal((await c.send(new GenerateRandomCommand({ NumberOfBytes: 16 }))).Plaintext!.length, 16);

  const policy = (await c.send(new GetKeyPolicyCommand({ KeyId: m!.KeyId, PolicyName: 'default' }))).Policy!;
  assert.equal(JSON.parse(policy).Statement[0].Sid, 'Enable IAM User Permissions');

  const grant = await c.send(new CreateGrantCommand({ KeyId: m!.KeyId, GranteePrincipal: `arn:aws:iam::${ACCOUNT}:user/x`, Operations: ['Decrypt'] }));
  assert.equal((await c.send(new ListGrantsCommand({ KeyId: m!.KeyId }))).Grants![0].GrantId, grant.GrantId);
});

test('key state and not-found errors read as AWS writes them', async () => {
  const c = kms();
  const { KeyMetadata: m } = await c.send(new CreateKeyCommand({}));
  await c.send(new DisableKeyCommand({ KeyId: m!.KeyId }));
  const e = await rejects(c.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('x') })), 'DisabledException', `${m!.Arn} is disabled.`);
  assert.equal(e.$metadata.httpStatusCode, 409);
  await c.send(new EnableKeyCommand({ KeyId: m!.KeyId }));
  const scheduled = await c.send(new ScheduleKeyDeletionCommand({ KeyId: m!.KeyId, PendingWindowInDays: 7 }));
  assert.ok(scheduled.DeletionDate instanceof Date);
  await rejects(c.send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('x') })), 'KMSInvalidStateException', `${m!.Arn} is pending deletion.`);
  await c.send(new CancelKeyDeletionCommand({ KeyId: m!.KeyId }));
  assert.equal((await c.send(new DescribeKeyCommand({ KeyId: m!.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
  const missing = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const nf = await rejects(c.send(new DescribeKeyCommand({ KeyId: missing })), 'NotFoundException', `Key '${missing}' does not exist`);
  assert.equal(nf.$metadata.httpStatusCode, 404);
  await rejects(c.send(new DescribeKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException', `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/none is not found.`);
});

test('the key policy decides: IAM policies count only when it delegates to the account', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'kms-user' }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'kms-user', PolicyName: 'kms',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }),
  }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'kms-user' }))).AccessKey!;
  const user = kms({ accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! });
  const root = kms();
  const delegated = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  await user.send(new EncryptCommand({ KeyId: delegated.KeyId, Plaintext: Buffer.from('x') }));

  const closed = (await root.send(new CreateKeyCommand({}))).KeyMetadata!;
  const onlyRootUser = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/nobody-else` }, Action: 'kms:*', Resource: '*' }],
  });
  await root.send(new PutKeyPolicyCommand({ KeyId: closed.KeyId, PolicyName: 'default', Policy: onlyRootUser, BypassPolicyLockoutSafetyCheck: true }));
  const denied = await rejects(user.send(new EncryptCommand({ KeyId: closed.KeyId, Plaintext: Buffer.from('x') })), 'AccessDeniedException');
  assert.match(denied.message, /kms:Encrypt/);
});

test('a grant allows what no policy allows, but an explicit deny in the key policy still wins', async () => {
  await iam.send(new CreateUserCommand({ UserName: 'grantee' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'grantee' }));
  const grantee = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  const granteeArn = `arn:aws:iam::${ACCOUNT}:user/grantee`;
  const { KeyMetadata: m } = await kms().send(new CreateKeyCommand({}));
  const blob = (await kms().send(new EncryptCommand({ KeyId: m!.KeyId, Plaintext: Buffer.from('granted') }))).CiphertextBlob;
  await kms().send(new CreateGrantCommand({ KeyId: m!.KeyId, GranteePrincipal: granteeArn, Operations: ['Decrypt'] }));
  const dec = await kms(grantee).send(new DecryptCommand({ CiphertextBlob: blob }));
  assert.equal(Buffer.from(dec.Plaintext!).toString(), 'granted');

  const policy = JSON.parse((await kms().send(new GetKeyPolicyCommand({ KeyId: m!.KeyId, PolicyName: 'default' }))).Policy!);
  policy.Statement.push({ Sid: 'NoDecryptForGrantee', Effect: 'Deny', Principal: { AWS: granteeArn }, Action: 'kms:Decrypt', Resource: '*' });
  await kms().send(new PutKeyPolicyCommand({ KeyId: m!.KeyId, PolicyName: 'default', Policy: JSON.stringify(policy) }));
  await rejects(kms(grantee).send(new DecryptCommand({ CiphertextBlob: blob })), 'AccessDeniedException',
    `User: ${granteeArn} is not authorized to perform: kms:Decrypt on resource: ${m!.Arn} with an explicit deny in a resource-based policy`);
});
