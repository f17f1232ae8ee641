// Personalize's control plane with the AWS SDK for JavaScript v3 and with boto3 against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, ListDatasetGroupsCommand, CreateSchemaCommand,
  CreateDatasetCommand, DescribeDatasetCommand, ListRecipesCommand, ListFiltersCommand, CreateFilterCommand,
  ListTagsForResourceCommand, TagResourceCommand, DeleteDatasetGroupCommand, paginateListRecipes,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand,
  CreateSolutionVersionCommand, DescribeSolutionVersionCommand, GetSolutionMetricsCommand, CreateCampaignCommand, DescribeCampaignCommand,
} from '@aws-sdk/client-personalize';
import {
  IAMClient, CreatePolicyCommand, CreateUserCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand,
  PutRolePolicyCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import { KMSClient, CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import { PersonalizeRuntimeClient, GetRecommendationsCommand } from '@aws-sdk/client-personalize-runtime';
import { startTailor, python, PYTHON, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST, type Creds, until, rejectsWith } from './support.js';
import { start } from '../../src/main.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
let url: string;

before(async () => {
  tailor = await startTailor({ jobs: { stepMs: 20 } });
  url = tailor.url;
});
after(async () => {
  await tailor?.stop();
});

const pz = (creds: Creds, endpoint = url) => new PersonalizeClient({ endpoint, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const iam = () => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const s3 = () => new S3Client({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1, forcePathStyle: true });
const kms = () => new KMSClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const P = `arn:aws:personalize:us-east-1:${ACCOUNT}`;

const rejects = rejectsWith;

async function seedUser(): Promise<Creds> {
  const c = iam();
  const policy = await c.send(new CreatePolicyCommand({ PolicyName: 'PersonalizeSeed', PolicyDocument: SEED_POLICY }));
  await c.send(new CreateUserCommand({ UserName: 'alice' }));
  await c.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policy.Policy!.Arn! }));
  await c.send(new CreateRoleCommand({ RoleName: 'PersonalizeRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  const key = await c.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
  return { accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
}

test('dataset group, schema and dataset through their states; lists, tags, errors as AWS shapes them', async () => {
  const alice = pz(await seedUser());
  const created = await alice.send(new CreateDatasetGroupCommand({
    name: 'movies', roleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`, tags: [{ tagKey: 'team', tagValue: 'recs' }],
  }));
  const group = created.datasetGroupArn!;
  assert.equal(group, `${P}:dataset-group/movies`);
  const described = await until(() => alice.send(new DescribeDatasetGroupCommand({ datasetGroupArn: group })), (d) => d.datasetGroup!.status === 'ACTIVE');
  assert.ok(described.datasetGroup!.creationDateTime instanceof Date);
  await rejects(alice.send(new CreateDatasetGroupCommand({ name: 'movies' })), 'ResourceAlreadyExistsException');
  await rejects(alice.send(new DescribeDatasetGroupCommand({ datasetGroupArn: `${P}:dataset-group/none` })), 'ResourceNotFoundException', 404);

  const schema = JSON.stringify({
    type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
    fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }],
  });
  await rejects(alice.send(new CreateSchemaCommand({ name: 'bad', schema: '{}' })), 'InvalidInputException', 400);
  const { schemaArn } = await alice.send(new CreateSchemaCommand({ name: 'interactions', schema }));
  const { datasetArn } = await alice.send(new CreateDatasetCommand({ name: 'ix', schemaArn, datasetGroupArn: group, datasetType: 'Interactions' }));
  assert.equal(datasetArn, `${P}:dataset/movies/INTERACTIONS`);
  await until(() => alice.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');

  await alice.send(new CreateFilterCommand({ name: 'no-clicks', datasetGroupArn: group, filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click")' }));
  const filters = await alice.send(new ListFiltersCommand({ datasetGroupArn: group }));
  assert.equal(filters.Filters!.length, 1);

  await alice.send(new TagResourceCommand({ resourceArn: group, tags: [{ tagKey: 'env', tagValue: 'test' }] }));
  const tags = await alice.send(new ListTagsForResourceCommand({ resourceArn: group }));
  assert.deepEqual(tags.tags, [{ tagKey: 'team', tagValue: 'recs' }, { tagKey: 'env', tagValue: 'test' }]);
  await rejects(alice.send(new DeleteDatasetGroupCommand({ datasetGroupArn: group })), 'ResourceInUseException', 409);

  const names: string[] = [];
  for await (const page of paginateListRecipes({ client: alice, pageSize: 4 }, {})) names.push(...page.recipes!.map((r) => r.name!));
  assert.equal(names.length, (await alice.send(new ListRecipesCommand({}))).recipes!.length);
  assert.ok(names.includes('aws-popularity-count'));
  assert.equal((await alice.send(new ListDatasetGroupsCommand({}))).datasetGroups!.length, 1);
});

test('a caller without iam:PassRole cannot hand Personalize a role', async () => {
  const c = iam();
  const policy = await c.send(new CreatePolicyCommand({
    PolicyName: 'OnlyPersonalize',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'personalize:*', Resource: '*' }] }),
  }));
  await c.send(new CreateUserCommand({ UserName: 'bob' }));
  await c.send(new AttachUserPolicyCommand({ UserName: 'bob', PolicyArn: policy.Policy!.Arn! }));
  const key = await c.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
  const bob = pz({ accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! });
  const e = await rejects(bob.send(new CreateDatasetGroupCommand({ name: 'b', roleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole` })), 'AccessDeniedException');
  assert.match(e.message, /iam:PassRole/);
  await bob.send(new CreateDatasetGroupCommand({ name: 'b' }));
});

function interactions(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < 60; u++) for (let e = 0; e < 20; e++) rows.push(`user${u},${e >= 18 ? 'hit' : `item${(u * 7 + e) % 40}`},${1700000000 + u * 100 + e}`);
  return rows.join('\n');
}

test('the whole flow: role, bucket, KMS-keyed group, import, solution, version, metrics, campaign, recommendations; and the negative paths', async () => {
  const root = iam();
  const role = `arn:aws:iam::${ACCOUNT}:role/FlowRole`;
  const { KeyMetadata: key } = await kms().send(new CreateKeyCommand({}));
  await root.send(new CreateRoleCommand({ RoleName: 'FlowRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await root.send(new PutRolePolicyCommand({
    RoleName: 'FlowRole', PolicyName: 'data',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::flow-data', 'arn:aws:s3:::flow-data/*'] },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: key!.Arn },
      ],
    }),
  }));
  await s3().send(new CreateBucketCommand({ Bucket: 'flow-data' }));
  await s3().send(new PutObjectCommand({ Bucket: 'flow-data', Key: 'interactions.csv', Body: interactions() }));
  const client = pz(ROOT);
  const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'flow', roleArn: role, kmsKeyArn: key!.Arn }));
  await until(() => client.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
  const { schemaArn } = await client.send(new CreateSchemaCommand({
    name: 'flow-interactions',
    schema: JSON.stringify({ type: 'record', name: 'Interactions', fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }] }),
  }));
  const { datasetArn } = await client.send(new CreateDatasetCommand({ name: 'flow-ix', schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
  await until(() => client.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');

  const importJob = async (jobName: string) => {
    const { datasetImportJobArn } = await client.send(new CreateDatasetImportJobCommand({
      jobName, datasetArn, roleArn: role, dataSource: { dataLocation: 's3://flow-data/interactions.csv' },
    }));
    return (await until(() => client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })),
      (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.datasetImportJob!.status!))).datasetImportJob!;
  };
  const ok = await importJob('flow-1');
  assert.equal(ok.status, 'ACTIVE', ok.failureReason);

  const { solutionArn } = await client.send(new CreateSolutionCommand({ name: 'flow-pop', datasetGroupArn, recipeArn: 'arn:aws:personalize:::recipe/aws-popularity-count' }));
  await until(() => client.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
  const version = await until(() => client.send(new DescribeSolutionVersionCommand({ solutionVersionArn })),
    (d) => ['ACTIVE', 'CREATE FAILED'].includes(d.solutionVersion!.status!));
  assert.equal(version.solutionVersion!.status, 'ACTIVE', version.solutionVersion!.failureReason);
  const { metrics } = await client.send(new GetSolutionMetricsCommand({ solutionVersionArn }));
  // Every user's newest interactions are with 'hit', which their older ones never include.
  assert.ok(metrics!.precision_at_5! > 0);
  const { campaignArn } = await client.send(new CreateCampaignCommand({ name: 'flow-campaign', solutionVersionArn }));
  await until(() => client.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE');
  const runtime = new PersonalizeRuntimeClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
  const recs = await runtime.send(new GetRecommendationsCommand({ campaignArn, userId: 'stranger', numResults: 5 }));
  assert.equal(recs.itemList![0].itemId, 'hit', 'the most interacted item leads a popularity campaign');
  assert.equal(recs.itemList!.length, 5);

  // Negative paths: each missing piece fails the next job with a reason.
  await s3().send(new PutBucketPolicyCommand({
    Bucket: 'flow-data',
    Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: role }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::flow-data/*' }] }),
  }));
  assert.match((await importJob('flow-2')).failureReason!, /^Insufficient privileges for accessing data in S3/);
  await s3().send(new PutBucketPolicyCommand({ Bucket: 'flow-data', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: role }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::flow-data/*' }] }) }));
  await kms().send(new DisableKeyCommand({ KeyId: key!.KeyId }));
  assert.match((await importJob('flow-3')).failureReason!, /KMS key/);
  await root.send(new UpdateAssumeRolePolicyCommand({
    RoleName: 'FlowRole',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  assert.match((await importJob('flow-4')).failureReason!, /cannot assume the role/);
});

test('boto3 walks the same flow: import, solution, version, campaign, recommendations; errors are modelled exceptions', { skip: PYTHON ? false : 'boto3 not installed' }, async () => {
  const rows = interactions().replace(/\n/g, '\\n');
  const script = `
import boto3, json, os, time
from botocore.config import Config
endpoint = os.environ['AWS_ENDPOINT_URL']  # Debian's boto3 predates AWS_ENDPOINT_URL
pz = boto3.client('personalize', endpoint_url=endpoint); iam = boto3.client('iam', endpoint_url=endpoint)
s3 = boto3.client('s3', endpoint_url=endpoint, config=Config(s3={'addressing_style': 'path'}))
iam.create_role(RoleName='BotoRole', AssumeRolePolicyDocument=${JSON.stringify(PERSONALIZE_TRUST)})
iam.put_role_policy(RoleName='BotoRole', PolicyName='s3', PolicyDocument=json.dumps({'Version': '2012-10-17', 'Statement': [
  {'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:ListBucket'], 'Resource': ['arn:aws:s3:::boto-data', 'arn:aws:s3:::boto-data/*']}]}))
role = 'arn:aws:iam::${ACCOUNT}:role/BotoRole'
s3.create_bucket(Bucket='boto-data')
s3.put_object(Bucket='boto-data', Key='ix/part1.csv', Body="${rows}")
def wait(describe, key):
    for _ in range(300):
        r = describe()[key]
        if r['status'] in ('ACTIVE', 'CREATE FAILED'): return r
        time.sleep(0.02)
    raise Exception('timeout')
out = {}
dg = pz.create_dataset_group(name='boto')['datasetGroupArn']
wait(lambda: pz.describe_dataset_group(datasetGroupArn=dg), 'datasetGroup')
schema = pz.create_schema(name='boto-ix', schema=json.dumps({'type': 'record', 'name': 'Interactions', 'fields': [
  {'name': 'USER_ID', 'type': 'string'}, {'name': 'ITEM_ID', 'type': 'string'}, {'name': 'TIMESTAMP', 'type': 'long'}]}))['schemaArn']
ds = pz.create_dataset(name='boto-ix', schemaArn=schema, datasetGroupArn=dg, datasetType='Interactions')['datasetArn']
wait(lambda: pz.describe_dataset(datasetArn=ds), 'dataset')
job = pz.create_dataset_import_job(jobName='boto-1', datasetArn=ds, roleArn=role, dataSource={'dataLocation': 's3://boto-data/ix/'})['datasetImportJobArn']
out['import'] = wait(lambda: pz.describe_dataset_import_job(datasetImportJobArn=job), 'datasetImportJob')['status']
sol = pz.create_solution(name='boto-pop', datasetGroupArn=dg, recipeArn='arn:aws:personalize:::recipe/aws-popularity-count')['solutionArn']
wait(lambda: pz.describe_solution(solutionArn=sol), 'solution')
ver = pz.create_solution_version(solutionArn=sol)['solutionVersionArn']
out['version'] = wait(lambda: pz.describe_solution_version(solutionVersionArn=ver), 'solutionVersion')['status']
out['metrics'] = sorted(pz.get_solution_metrics(solutionVersionArn=ver)['metrics'])
camp = pz.create_campaign(name='boto-campaign', solutionVersionArn=ver, minProvisionedTPS=1)['campaignArn']
out['campaign'] = wait(lambda: pz.describe_campaign(campaignArn=camp), 'campaign')['status']
rt = boto3.client('personalize-runtime', endpoint_url=endpoint)
out['top'] = rt.get_recommendations(campaignArn=camp, userId='stranger', numResults=3)['itemList'][0]['itemId']
pz.create_filter(name='boto-f', datasetGroupArn=dg, filterExpression='EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("x")')
out['filters'] = [f['name'] for page in pz.get_paginator('list_filters').paginate(datasetGroupArn=dg) for f in page['Filters']]
out['recipes'] = sum(len(page['recipes']) for page in pz.get_paginator('list_recipes').paginate(PaginationConfig={'PageSize': 5}))
try:
    pz.describe_campaign(campaignArn=camp + 'x')
except pz.exceptions.ResourceNotFoundException as e:
    out['missing'] = e.response['ResponseMetadata']['HTTPStatusCode']
try:
    pz.delete_solution(solutionArn=sol)
except pz.exceptions.ResourceInUseException as e:
    out['inUse'] = e.response['ResponseMetadata']['HTTPStatusCode']
print(json.dumps(out))
`;
  const { status, out, stderr } = await python(url, ROOT, script);
  assert.equal(status, 0, stderr);
  assert.deepEqual(out, {
    import: 'ACTIVE', version: 'ACTIVE', campaign: 'ACTIVE', top: 'hit', filters: ['boto-f'], recipes: 25, missing: 404, inUse: 409,
    metrics: ['coverage', 'mean_reciprocal_rank_at_25', 'normalized_discounted_cumulative_gain_at_10', 'normalized_discounted_cumulative_gain_at_25',
      'normalized_discounted_cumulative_gain_at_5', 'precision_at_10', 'precision_at_25', 'precision_at_5'],
  });
});

test('a restart resumes what was pending: resources created before it become ACTIVE after it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-pz-restart-'));
  const config = { dataDir, accountId: ACCOUNT, host: '127.0.0.1', port: 0 };
  const env = { TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey };
  try {
    const first = await start(config, { env, log: () => {}, jobs: { enabled: false } });
    const { datasetGroupArn } = await pz(ROOT, first.url).send(new CreateDatasetGroupCommand({ name: 'survivor' }));
    assert.equal((await pz(ROOT, first.url).send(new DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup!.status, 'CREATE PENDING');
    await first.close();

    const second = await start(config, { env, log: () => {}, jobs: { stepMs: 20 } });
    try {
      await until(() => pz(ROOT, second.url).send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
