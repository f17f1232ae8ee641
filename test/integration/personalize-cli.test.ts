// The README's Personalize walkthrough with the AWS CLI: bucket, role policy, bucket policy, dataset
// group, schema, dataset, import, solution, version, metrics, campaign — as the seed's user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTailor, aws, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST, type Creds, awsOk } from './support.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
});
after(async () => {
  await tailor?.stop();
});

const ok = (creds: Creds, args: string[]) => awsOk(tailor.url, creds, args);

async function until(creds: Creds, args: string[], pick: (j: any) => string, want: string) {
  for (let i = 0; i < 300; i++) {
    const status = pick(await ok(creds, args));
    if (status === want) return;
    assert.ok(!/FAILED/.test(status), `${args.join(' ')}: ${status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${args.join(' ')} never reached ${want}`);
}

test('the README walkthrough: from a CSV in S3 to recommendations from a campaign, as the seed user', async () => {
  const policy = await ok(ROOT, ['iam', 'create-policy', '--policy-name', 'PersonalizeSeed', '--policy-document', SEED_POLICY]);
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'alice']);
  await ok(ROOT, ['iam', 'attach-user-policy', '--user-name', 'alice', '--policy-arn', policy.Policy.Arn]);
  const key = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'alice']);
  const alice = { accessKeyId: key.AccessKey.AccessKeyId, secretAccessKey: key.AccessKey.SecretAccessKey };
  const role = (await ok(ROOT, ['iam', 'create-role', '--role-name', 'PersonalizeRole', '--assume-role-policy-document', PERSONALIZE_TRUST])).Role.Arn;

  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < 60; u++) for (let k = 0; k < 20; k++) rows.push(`u${u},i${(u * 7 + k * k) % 50},${1700000000 + u * 100 + k}`);
  const csv = join(tailor.dataDir, 'interactions.csv');
  writeFileSync(csv, rows.join('\n') + '\n');
  await ok(ROOT, ['s3', 'mb', 's3://my-training-data']);
  await ok(ROOT, ['s3', 'cp', csv, 's3://my-training-data/interactions.csv']);
  const resources = ['arn:aws:s3:::my-training-data', 'arn:aws:s3:::my-training-data/*'];
  await ok(ROOT, ['iam', 'put-role-policy', '--role-name', 'PersonalizeRole', '--policy-name', 'read-training-data', '--policy-document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: resources }] })]);
  await ok(ROOT, ['s3api', 'put-bucket-policy', '--bucket', 'my-training-data', '--policy',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: resources }] })]);

  const dsg = (await ok(alice, ['personalize', 'create-dataset-group', '--name', 'movies'])).datasetGroupArn;
  assert.equal(dsg, `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies`);
  await until(alice, ['personalize', 'describe-dataset-group', '--dataset-group-arn', dsg], (j) => j.datasetGroup.status, 'ACTIVE');
  const schema = (await ok(alice, ['personalize', 'create-schema', '--name', 'interactions', '--schema', JSON.stringify({
    type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
    fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
  })])).schemaArn;
  const ds = (await ok(alice, ['personalize', 'create-dataset', '--name', 'interactions', '--dataset-group-arn', dsg, '--dataset-type', 'Interactions', '--schema-arn', schema])).datasetArn;
  await until(alice, ['personalize', 'describe-dataset', '--dataset-arn', ds], (j) => j.dataset.status, 'ACTIVE');
  const job = (await ok(alice, ['personalize', 'create-dataset-import-job', '--job-name', 'first-import', '--dataset-arn', ds, '--role-arn', role,
    '--data-source', 'dataLocation=s3://my-training-data/interactions.csv'])).datasetImportJobArn;
  await until(alice, ['personalize', 'describe-dataset-import-job', '--dataset-import-job-arn', job], (j) => j.datasetImportJob.status, 'ACTIVE');
  const sol = (await ok(alice, ['personalize', 'create-solution', '--name', 'popular', '--dataset-group-arn', dsg,
    '--recipe-arn', 'arn:aws:personalize:::recipe/aws-popularity-count'])).solutionArn;
  await until(alice, ['personalize', 'describe-solution', '--solution-arn', sol], (j) => j.solution.status, 'ACTIVE');
  const sv = (await ok(alice, ['personalize', 'create-solution-version', '--solution-arn', sol])).solutionVersionArn;
  await until(alice, ['personalize', 'describe-solution-version', '--solution-version-arn', sv], (j) => j.solutionVersion.status, 'ACTIVE');
  const metrics = (await ok(alice, ['personalize', 'get-solution-metrics', '--solution-version-arn', sv])).metrics;
  assert.ok(metrics.coverage > 0 && metrics.precision_at_10 >= 0);
  const campaign = (await ok(alice, ['personalize', 'create-campaign', '--name', 'popular', '--solution-version-arn', sv])).campaignArn;
  await until(alice, ['personalize', 'describe-campaign', '--campaign-arn', campaign], (j) => j.campaign.status, 'ACTIVE');
  const recs = await ok(alice, ['personalize-runtime', 'get-recommendations', '--campaign-arn', campaign, '--user-id', 'u1', '--num-results', '5']);
  assert.equal(recs.itemList.length, 5);
  assert.match(recs.recommendationId, /^RID-/);

  // Passing the role needs iam:PassRole to Personalize: a user without it is refused at create time.
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'nopass']);
  await ok(ROOT, ['iam', 'put-user-policy', '--user-name', 'nopass', '--policy-name', 'p', '--policy-document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'personalize:*', Resource: '*' }] })]);
  const k2 = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'nopass']);
  const nopass = { accessKeyId: k2.AccessKey.AccessKeyId, secretAccessKey: k2.AccessKey.SecretAccessKey };
  const denied = await aws(tailor.url, nopass, ['personalize', 'create-dataset-import-job', '--job-name', 'second', '--dataset-arn', ds, '--role-arn', role,
    '--data-source', 'dataLocation=s3://my-training-data/interactions.csv']);
  assert.match(denied.stderr, /\(AccessDeniedException\) when calling the CreateDatasetImportJob operation: User: arn:aws:iam::000000000000:user\/nopass is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role\/PersonalizeRole/);
});
