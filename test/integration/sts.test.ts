// STS against a live server: ExternalId and session tags in trust policies, duration bounds,
// GetSessionToken, and temporary credentials that expire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreateRoleCommand, PutUserPolicyCommand, PutRolePolicyCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { startTailor, ROOT, ACCOUNT, type Creds } from './support.js';

let clock = Date.now();
let tailor: Awaited<ReturnType<typeof startTailor>>;
let dave: Creds;
const iam = (c: Creds) => new IAMClient({ endpoint: tailor.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock - Date.now() });
const sts = (c: Creds) => new STSClient({ endpoint: tailor.url, region: 'us-east-1', credentials: c, maxAttempts: 1, systemClockOffset: clock - Date.now() });
const creds = (r: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }): Creds => ({
  accessKeyId: r.Credentials!.AccessKeyId!, secretAccessKey: r.Credentials!.SecretAccessKey!, sessionToken: r.Credentials!.SessionToken!,
});

async function rejects(p: Promise<unknown>, name: string, message?: RegExp) {
  await assert.rejects(p, (e: any) => {
    assert.equal(e.name, name, e.message);
    if (message) assert.match(e.message, message);
    return true;
  });
}

before(async () => {
  tailor = await startTailor({ now: () => new Date(clock) });
  const root = iam(ROOT);
  await root.send(new CreateUserCommand({ UserName: 'dave' }));
  const key = await root.send(new CreateAccessKeyCommand({ UserName: 'dave' }));
  dave = { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  await root.send(new PutUserPolicyCommand({
    UserName: 'dave', PolicyName: 'assume',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' },
      { Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' },
    ] }),
  }));
  const trust = {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'open-sesame' } } },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:TagSession', Condition: { StringEquals: { 'aws:RequestTag/team': 'recs' } } },
    ],
  };
  await root.send(new CreateRoleCommand({ RoleName: 'Vendor', AssumeRolePolicyDocument: JSON.stringify(trust), MaxSessionDuration: 7200 }));
  await root.send(new PutRolePolicyCommand({
    RoleName: 'Vendor', PolicyName: 'chain',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }),
  }));
});
after(async () => {
  await tailor?.stop();
});

const VENDOR = `arn:aws:iam::${ACCOUNT}:role/Vendor`;

test('the trust policy conditions on sts:ExternalId', async () => {
  await rejects(sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's1' })), 'AccessDenied', /sts:AssumeRole on resource: arn:aws:iam::000000000000:role\/Vendor/);
  await rejects(sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's1', ExternalId: 'wrong-one' })), 'AccessDenied');
  const ok = await sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's1', ExternalId: 'open-sesame' }));
  assert.equal(ok.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Vendor/s1`);
});

test('session tags need sts:TagSession, allowed only for the tag the trust policy names', async () => {
  const tagged = await sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's2', ExternalId: 'open-sesame', Tags: [{ Key: 'team', Value: 'recs' }] }));
  assert.ok(tagged.Credentials?.AccessKeyId);
  await rejects(sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's3', ExternalId: 'open-sesame', Tags: [{ Key: 'team', Value: 'ads' }] })), 'AccessDenied', /sts:TagSession/);
});

test('DurationSeconds is bounded by the role, and by one hour when chaining', async () => {
  await rejects(sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's4', ExternalId: 'open-sesame', DurationSeconds: 7201 })), 'ValidationError', /MaxSessionDuration/);
  await rejects(sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's4', ExternalId: 'open-sesame', DurationSeconds: 899 })), 'ValidationError', /durationSeconds/);
  const long = await sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 's4', ExternalId: 'open-sesame', DurationSeconds: 7200 }));
  assert.equal(long.Credentials!.Expiration!.getTime(), Math.floor(clock / 1000) * 1000 + 7200 * 1000);
  const session = creds(long);
  await rejects(sts(session).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 'chained', ExternalId: 'open-sesame', DurationSeconds: 3601 })), 'ValidationError', /1 hour session limit/);
  const chained = await sts(session).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 'chained', ExternalId: 'open-sesame' }));
  assert.equal(chained.AssumedRoleUser!.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/Vendor/chained`);
});

test('the root user may not assume roles', async () => {
  await rejects(sts(ROOT).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 'root', ExternalId: 'open-sesame' })), 'AccessDenied', /Roles may not be assumed by root accounts/);
});

test('GetSessionToken credentials act as the user and cannot ask for another token', async () => {
  const t = creds(await sts(dave).send(new GetSessionTokenCommand({ DurationSeconds: 900 })));
  assert.match(t.accessKeyId, /^ASIA/);
  const who = await sts(t).send(new GetCallerIdentityCommand({}));
  assert.equal(who.Arn, `arn:aws:iam::${ACCOUNT}:user/dave`);
  const me = await iam(t).send(new GetUserCommand({}));
  assert.equal(me.User!.UserName, 'dave');
  await rejects(sts(t).send(new GetSessionTokenCommand({})), 'AccessDenied', /Cannot call GetSessionToken with session credentials/);
});

test('temporary credentials expire', async () => {
  const t = creds(await sts(dave).send(new AssumeRoleCommand({ RoleArn: VENDOR, RoleSessionName: 'short', ExternalId: 'open-sesame', DurationSeconds: 900 })));
  await sts(t).send(new GetCallerIdentityCommand({}));
  clock += 901_000;
  try {
    await rejects(sts(t).send(new GetCallerIdentityCommand({})), 'ExpiredToken', /The security token included in the request is expired/);
  } finally {
    clock -= 901_000;
  }
});
