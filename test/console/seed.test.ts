// The seed's IAM steps through the console, then the same steps with the AWS CLI on a second server:
// the policy document, the role's trust policy and every attachment come out identical.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTailor, awsOk, aws, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST } from '../integration/support.js';
import {
  IAMClient, GetPolicyVersionCommand, GetRoleCommand, ListEntitiesForPolicyCommand, ListAttachedUserPoliciesCommand,
  ListAttachedGroupPoliciesCommand, ListAttachedRolePoliciesCommand, GetGroupCommand,
} from '@aws-sdk/client-iam';
import { openConsole, skipWithoutChromium, type Console } from './support.js';
import { attachPolicies, createPolicy } from './steps.js';

let c: Console;
before(async () => {
  if (!skipWithoutChromium) c = await openConsole();
});
after(async () => {
  await c?.close();
});

test('the seed through the console matches the CLI path', { skip: skipWithoutChromium }, async () => {
  const { page } = c;
  await c.signInAsRoot();
  await createPolicy(page, 'PersonalizeSeed', SEED_POLICY);

  await page.goto(`${c.url}#/users`);
  await page.getByLabel('User name').fill('alice');
  await page.getByRole('button', { name: 'Create user' }).click();
  await page.getByRole('heading', { name: 'alice', exact: true }).waitFor();
  await attachPolicies(page, ['PersonalizeSeed']);
  await attachPolicies(page, ['CloudWatchFullAccess'], 'AWS');

  await page.goto(`${c.url}#/groups`);
  await page.getByLabel('User group name').fill('personalize-users');
  await page.getByRole('button', { name: 'Create user group' }).click();
  await page.getByRole('heading', { name: 'personalize-users', exact: true }).waitFor();
  await attachPolicies(page, ['PersonalizeSeed']);
  await page.getByLabel('User', { exact: true }).selectOption('alice');
  await page.getByRole('button', { name: 'Add users' }).click();
  await page.getByRole('link', { name: 'alice' }).waitFor();

  await page.goto(`${c.url}#/create-role`);
  await page.getByLabel('AWS service').check();
  await page.getByLabel('Service or use case').selectOption('Personalize');
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('heading', { name: 'Add permissions' }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Role name').fill('PersonalizeRole');
  await page.getByRole('button', { name: 'Create role' }).click();
  await page.getByRole('heading', { name: 'PersonalizeRole', exact: true }).waitFor();

  // The same steps with the AWS CLI, on a server of its own.
  const cli = await startTailor();
  try {
    const policyFile = join(cli.dataDir, 'policy.json');
    const trustFile = join(cli.dataDir, 'trust.json');
    writeFileSync(policyFile, SEED_POLICY);
    writeFileSync(trustFile, PERSONALIZE_TRUST);
    const ok = (args: string[]) => awsOk(cli.url, ROOT, args);
    const arn = (await ok(['iam', 'create-policy', '--policy-name', 'PersonalizeSeed', '--policy-document', `file://${policyFile}`])).Policy.Arn;
    await ok(['iam', 'create-user', '--user-name', 'alice']);
    await ok(['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', arn]);
    await ok(['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', 'arn:aws:iam::aws:policy/CloudWatchFullAccess']);
    await ok(['iam', 'create-group', '--group-name', 'personalize-users']);
    await ok(['iam', 'attach-group-policy', '--group-name', 'personalize-users', '--policy-arn', arn]);
    await ok(['iam', 'add-user-to-group', '--group-name', 'personalize-users', '--user-name', 'alice']);
    await ok(['iam', 'create-role', '--role-name', 'PersonalizeRole', '--assume-role-policy-document', `file://${trustFile}`]);

    const state = async (url: string) => {
      const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
      const policyArn = `arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed`;
      const sorted = (r: { AttachedPolicies?: { PolicyArn?: string }[] }) => r.AttachedPolicies!.map((p) => p.PolicyArn).sort();
      const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: 'v1' }));
      const role = await iam.send(new GetRoleCommand({ RoleName: 'PersonalizeRole' }));
      const entities = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: policyArn }));
      return {
        document: JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!)),
        trust: JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)),
        user: sorted(await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'alice' }))),
        group: sorted(await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: 'personalize-users' }))),
        role: sorted(await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'PersonalizeRole' }))),
        members: (await iam.send(new GetGroupCommand({ GroupName: 'personalize-users' }))).Users!.map((u) => u.UserName),
        entities: [entities.PolicyUsers, entities.PolicyGroups, entities.PolicyRoles].map((l) => l!.map((e: any) => e.UserName ?? e.GroupName ?? e.RoleName)),
      };
    };
    const viaConsole = await state(c.tailor.url);
    const viaCli = await state(cli.url);
    assert.deepEqual(viaConsole.document, JSON.parse(SEED_POLICY));
    assert.deepEqual(viaConsole.trust, JSON.parse(PERSONALIZE_TRUST));
    assert.deepEqual(viaConsole, viaCli);
  } finally {
    await cli.stop();
  }
});

test('a user without permission sees AWS\'s denial, word for word', { skip: skipWithoutChromium }, async () => {
  await awsOk(c.tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'bob']);
  await awsOk(c.tailor.url, ROOT, ['iam', 'create-login-profile', '--user-name', 'bob', '--password', 'Bob-password-1']);
  const key = (await awsOk(c.tailor.url, ROOT, ['iam', 'create-access-key', '--user-name', 'bob'])).AccessKey;
  const denied = await aws(c.tailor.url, { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey }, ['iam', 'list-users']);
  const message = /operation: (.*)$/m.exec(denied.stderr)![1];
  assert.match(message, /is not authorized to perform: iam:ListUsers/);

  const bob = await openConsole({ tailor: c.tailor });
  try {
    await bob.signInAsUser('bob', 'Bob-password-1');
    await bob.page.goto(`${bob.url}#/users`);
    const alert = bob.page.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(), `AccessDenied: ${message}`);
  } finally {
    await bob.close();
  }
});
