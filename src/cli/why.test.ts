// `tailor why` as a user runs it: the compiled CLI over a data dir a live server filled through the IAM API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  IAMClient, AttachRolePolicyCommand, AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { startTailor, runProgram, ROOT, ACCOUNT, REPO, SEED_POLICY, PERSONALIZE_TRUST } from '../../test/integration/support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`;

before(async () => {
  tailor = await startTailor();
  const iam = new IAMClient({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'PersonalizeSeed', PolicyDocument: SEED_POLICY }));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: Policy!.Arn }));
  await iam.send(new PutUserPolicyCommand({
    UserName: 'alice', PolicyName: 'Guard',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoDelete', Effect: 'Deny', Action: 'personalize:Delete*', Resource: '*' }] }),
  }));
  await iam.send(new CreateRoleCommand({ RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'PersonalizeRole', PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchFullAccess' }));
});
after(async () => {
  await tailor?.stop();
});

/** Runs `node bin/tailor.js why …` against the server's data dir (unless the args name another). */
function why(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const dir = args.includes('--data-dir') ? [] : ['--data-dir', tailor.dataDir];
  return runProgram(process.execPath, [join(REPO, 'bin/tailor.js'), 'why', ...args, ...dir], { PATH: process.env.PATH });
}

test('the seed policy: passing the role needs iam:PassedToService, and why says so', async () => {
  const denied = await why('--principal', ALICE, '--action', 'iam:PassRole', '--resource', ROLE);
  assert.equal(denied.status, 1, denied.stderr);
  assert.match(denied.stdout, /^implicitDeny: /);
  assert.ok(denied.stdout.includes(
    `User: ${ALICE} is not authorized to perform: iam:PassRole on resource: ${ROLE} because no identity-based policy allows the iam:PassRole action`));
  assert.match(denied.stdout, /lacks \(add with --context KEY=VALUE\): iam:PassedToService/);

  const allowed = await why('--principal', ALICE, '--action', 'iam:PassRole', '--resource', ROLE, '--context', 'iam:PassedToService=personalize.amazonaws.com');
  assert.equal(allowed.status, 0, allowed.stderr);
  assert.match(allowed.stdout, /^allowed: /);
  assert.ok(allowed.stdout.includes(`Allowed by:\n  identity policy arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed, Statement[1], line 1:`));
  assert.match(allowed.stdout, /"iam:PassedToService": "personalize.amazonaws.com"/);
  assert.doesNotMatch(allowed.stdout, /lacks/);

  const elsewhere = await why('--principal', ALICE, '--action', 'iam:PassRole', '--resource', ROLE, '--context', 'iam:PassedToService=sagemaker.amazonaws.com');
  assert.equal(elsewhere.status, 1);
});

test('an explicit deny is shown with its statement and AWS\'s wording', async () => {
  const r = await why('--principal', ALICE, '--action', 'personalize:DeleteCampaign', '--resource', `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/c`);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^explicitDeny: /);
  assert.ok(r.stdout.includes('with an explicit deny in an identity-based policy'));
  assert.ok(r.stdout.includes('Denied by:\n  identity policy user_alice_Guard (inline), Statement[0] (Sid NoDelete), line 1:'));
  assert.match(r.stdout, /"Effect": "Deny"/);
});

test('roles and assumed-role sessions are principals too', async () => {
  const role = await why('--principal', ROLE, '--action', 'cloudwatch:PutMetricData');
  assert.equal(role.status, 0, role.stdout + role.stderr);
  assert.ok(role.stdout.includes('identity policy arn:aws:iam::aws:policy/CloudWatchFullAccess'));
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/PersonalizeRole/s1`;
  const viaSession = await why('--principal', session, '--action', 'personalize:ListCampaigns');
  assert.equal(viaSession.status, 1);
  assert.ok(viaSession.stdout.includes(`User: ${session} is not authorized to perform: personalize:ListCampaigns because no identity-based policy allows`));
});

test('usage errors exit 2', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'tailor-why-'));
  try {
    for (const args of [
      ['--action', 'iam:PassRole'],
      ['--principal', ALICE],
      ['--principal', ALICE, '--action', 'PassRole'],
      ['--principal', ALICE, '--action', 'iam:PassRole', '--context', 'novalue'],
      ['--principal', ALICE, '--action', 'iam:PassRole', '--bogus'],
      ['--principal', `arn:aws:iam::${ACCOUNT}:user/nobody`, '--action', 'iam:PassRole'],
      ['--principal', 'arn:aws:s3:::bucket', '--action', 'iam:PassRole'],
      ['--principal', ALICE, '--action', 'iam:PassRole', '--data-dir', empty],
    ]) {
      const r = await why(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /^tailor why: .*\nUsage: tailor why/);
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
