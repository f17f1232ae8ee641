// Screenshots of every console screen for the README: `node dist/test/console/screenshots.js` (after the build)
// writes docs/screenshots/*.png, at 1280×800 and a few at 390×844.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { IAMClient, CreateUserCommand, CreateLoginProfileCommand, CreateGroupCommand, AddUserToGroupCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { REPO, ROOT, ACCOUNT, SEED_POLICY } from '../integration/support.js';
import { openConsole, PHONE } from './support.js';
import { createPolicy } from './steps.js';
import { campaign, s3 } from './personalize-support.js';

const OUT = join(REPO, 'docs/screenshots');
mkdirSync(OUT, { recursive: true });

const c = await openConsole();
const { page, tailor } = c;
const url = tailor.url;
try {
  const movies = await campaign(url, 'movies');
  const iam = new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  await iam.send(new CreateLoginProfileCommand({ UserName: 'alice', Password: 'Alice-password-1' }));
  await iam.send(new CreateGroupCommand({ GroupName: 'personalize-users' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'personalize-users', UserName: 'alice' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: 'arn:aws:iam::aws:policy/CloudWatchFullAccess' }));
  await s3(url).send(new PutBucketPolicyCommand({
    Bucket: 'movies-data',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::movies-data', 'arn:aws:s3:::movies-data/*'] }] }),
  }));
  const key = await new KMSClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 }).send(new CreateKeyCommand({ Description: 'Personalize data key' }));

  await shot(page, 'signin');
  await c.signInAsRoot();
  await createPolicy(page, 'PersonalizeSeed', SEED_POLICY);
  const group = movies.datasetGroupArn;
  const screens: [string, string][] = [
    ['home', 'home'],
    ['policies', 'policies'],
    ['policy', `policy?arn=${encodeURIComponent(`arn:aws:iam::${ACCOUNT}:policy/PersonalizeSeed`)}`],
    ['users', 'users'],
    ['user', 'user?name=alice'],
    ['groups', 'groups'],
    ['group', 'group?name=personalize-users'],
    ['roles', 'roles'],
    ['role', 'role?name=movies-role'],
    ['create-role', 'create-role'],
    ['buckets', 'buckets'],
    ['bucket', 'bucket?name=movies-data'],
    ['keys', 'keys'],
    ['key', `key?id=${key.KeyMetadata!.KeyId}`],
    ['personalize-dataset-groups', 'personalize-dataset-groups'],
    ['personalize-dataset-group', `personalize-dataset-group?arn=${encodeURIComponent(group)}`],
    ['personalize-solutions', `personalize-solutions?group=${encodeURIComponent(group)}`],
    ['personalize-campaigns', `personalize-campaigns?group=${encodeURIComponent(group)}`],
    ['personalize-test', `personalize-test?group=${encodeURIComponent(group)}&campaign=${encodeURIComponent(movies.campaignArn)}`],
    ['personalize-filters', `personalize-filters?group=${encodeURIComponent(group)}`],
    ['setup-assistant', 'setup-assistant?user=alice&role=movies-role&bucket=movies-data'],
  ];
  for (const [name, route] of screens) {
    await page.goto(`${c.url}#/${route}`);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, name);
  }
  // The JSON tab pointing at an error as it is typed.
  await page.goto(`${c.url}#/create-policy`);
  await page.getByRole('textbox', { name: 'Policy editor' }).fill('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "personalize:*" "Resource": "*"}\n  ]\n}');
  await page.getByText(/^Ln 4/).waitFor();
  await shot(page, 'create-policy');
  await page.setViewportSize(PHONE);
  for (const [name, route] of [['phone-home', 'home'], ['phone-policies', 'policies'], ['phone-bucket', 'bucket?name=movies-data']]) {
    await page.goto(`${c.url}#/${route}`);
    await page.locator('main h1').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, name);
  }
} finally {
  await c.close();
}

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(OUT, `${name}.png`) });
  process.stdout.write(`docs/screenshots/${name}.png\n`);
}
