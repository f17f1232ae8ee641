// Setup assistant: pick a user, role, bucket and key from the live lists, Check; every step fails;
// the test copies each step's fix JSON from the page, applies it with the SDK (the request its
// target names), checks again, and sees the step pass, until all five do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as IAM from '@aws-sdk/client-iam';
import * as S3 from '@aws-sdk/client-s3';
import * as KMS from '@aws-sdk/client-kms';
import { openConsole, skipWithoutChromium } from './support.js';
import { assertFitsPhone } from './personalize-support.js';
import { startTailor, ROOT } from '../integration/support.js';
import { fixRequest, type FixRequest } from '../../src/setup/fix-request.js';

const opts = { region: 'us-east-1', credentials: ROOT, maxAttempts: 1 };

/** Sends a fix's request with the SDK: the command class named after the operation. */
async function send(url: string, r: FixRequest): Promise<void> {
  const sdk = { iam: [IAM, IAM.IAMClient], s3: [S3, S3.S3Client], kms: [KMS, KMS.KMSClient] }[r.service];
  const [module, Client] = sdk as [Record<string, any>, any];
  await new Client({ ...opts, endpoint: url, forcePathStyle: true }).send(new module[`${r.operation}Command`](r.input));
}

test('setup assistant: each failed step passes once its fix JSON is applied', { skip: skipWithoutChromium }, async () => {
  const tailor = await startTailor({ jobs: { stepMs: 20 } });
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const iam = new IAM.IAMClient({ ...opts, endpoint: tailor.url });
    await iam.send(new IAM.CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new IAM.CreateRoleCommand({
      RoleName: 'PersonalizeRole',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }));
    await new S3.S3Client({ ...opts, endpoint: tailor.url, forcePathStyle: true }).send(new S3.CreateBucketCommand({ Bucket: 'data' }));
    const kms = new KMS.KMSClient({ ...opts, endpoint: tailor.url });
    const { KeyMetadata } = await kms.send(new KMS.CreateKeyCommand({}));
    await kms.send(new KMS.CreateAliasCommand({ AliasName: 'alias/personalize', TargetKeyId: KeyMetadata!.KeyId }));

    await c.signInAsRoot();
    await page.goto(`${c.url}#/setup-assistant`);
    await page.getByRole('heading', { name: 'Setup assistant' }).waitFor();
    await page.getByLabel('IAM user').selectOption('alice');
    await page.getByLabel('IAM service role').selectOption('PersonalizeRole');
    await page.getByLabel('S3 bucket').selectOption('data');
    await page.getByLabel('KMS key (optional)').selectOption({ label: `alias/personalize (${KeyMetadata!.KeyId})` });
    const check = page.getByRole('button', { name: 'Check' });
    await check.click();
    await page.getByRole('heading', { name: '5 of 5 steps failed' }).waitFor();

    for (let n = 1; n <= 5; n++) {
      const step = page.getByRole('listitem', { name: new RegExp(`^Step ${n}:`) });
      await step.getByText('FAILED', { exact: true }).waitFor();
      assert.ok((await step.locator('.detail').innerText()).length > 20, 'the detail says what was checked');
      // Copy the fix from the page (the Copy button), and apply it where its target says.
      await step.getByRole('button', { name: `Copy Fix JSON for step ${n}` }).click();
      await step.getByText('Copied.').waitFor();
      const json = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(json, await step.getByLabel(`Fix JSON for step ${n}`, { exact: true }).innerText());
      const target = await step.locator('.fix strong').innerText();
      const request = fixRequest({ target, json });
      assert.ok(request, `a request for ${target}`);
      await send(tailor.url, request);

      await check.click();
      await page.getByRole('heading', { name: n === 5 ? 'All 5 steps passed' : `${5 - n} of 5 steps failed` }).waitFor();
      const passed = page.getByRole('listitem', { name: new RegExp(`^Step ${n}:`) });
      await passed.getByText('passed', { exact: true }).waitFor();
      // A passed step shows the statement that allowed it.
      assert.ok(await passed.locator('.deciding').count(), `step ${n} shows its deciding statement`);
    }
    const deciding = page.getByRole('listitem', { name: /^Step 1:/ }).locator('.deciding');
    assert.match(await deciding.innerText(), /inline policy PersonalizeAccess of user alice/);
    assert.deepEqual(JSON.parse(await deciding.locator('pre').innerText()).Action, ['personalize:*']);

    await assertFitsPhone(page);
  } finally {
    await c.close();
    await tailor.stop();
  }
});
