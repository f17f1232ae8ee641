// Personalize's control plane with the AWS SDK for JavaScript v3 against a live server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, ListDatasetGroupsCommand, CreateSchemaCommand,
  CreateDatasetCommand, DescribeDatasetCommand, ListRecipesCommand, ListFiltersCommand, CreateFilterCommand,
  ListTagsForResourceCommand, TagResourceCommand, DeleteDatasetGroupCommand, paginateListRecipes,
} from '@aws-sdk/client-personalize';
import { IAMClient, CreatePolicyCommand, CreateUserCommand, AttachUserPolicyCommand, CreateAccessKeyCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { startTailor, ROOT, ACCOUNT, SEED_POLICY, PERSONALIZE_TRUST, type Creds } from './support.js';
import { Gateway } from '../../src/gateway/pipeline.js';
import { startServer } from '../../src/server/http.js';
import { personalizeProvider, startPersonalize } from '../../src/services/personalize/index.js';
import { s3Provider } from '../../src/services/s3/index.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
let server: Server;
let url: string;
let stopPersonalize: () => Promise<void>;

// Until the server registers Personalize itself, serve the running app with it added.
before(async () => {
  tailor = await startTailor();
  const extra = [s3Provider, personalizeProvider].filter((p) => !tailor.app.providers.some((q) => q.model === p.model));
  const app = { ...tailor.app, providers: [...tailor.app.providers, ...extra] };
  const gateway = new Gateway(app);
  server = startServer((req) => gateway.handle(req), {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stopPersonalize = startPersonalize(app, { stepMs: 20 });
});
after(async () => {
  await stopPersonalize?.();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await tailor?.stop();
});

const pz = (creds: Creds) => new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials: creds, maxAttempts: 1 });
const iam = () => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const P = `arn:aws:personalize:us-east-1:${ACCOUNT}`;

async function until<T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}

async function rejects(p: Promise<unknown>, name: string, status?: number) {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (status) assert.equal(e.$metadata.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}`);
}

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
