import { Readable } from 'node:stream';
import type { App } from '../../app.js';
import type { Principal, Provider } from '../../gateway/context.js';
import { loadModel } from '../../protocol/model.js';
import { testEnv, type TestCtx, type TestEnv } from '../iam/test-support.js';
import { iamProvider } from '../iam/index.js';
import { principalPolicies } from '../iam/principal-policies.js';
import { kmsProvider } from '../kms/index.js';
import { s3Provider } from '../s3/index.js';
import { personalizeProvider } from './index.js';
import { Scheduler } from './lifecycle.js';
import { KIND, type SolutionVersionDoc } from './schema.js';

export { TEST_ACCOUNT, rootPrincipal, userPrincipal } from '../iam/test-support.js';

export interface PzEnv extends TestEnv {
  /** Runs a Personalize operation as the gateway would after parsing (root by default). */
  call(operation: string, input: Record<string, unknown>, principal?: Principal): Promise<any>;
  /** The context of the most recent call. */
  readonly last: TestCtx;
  /** Moves every pending resource through its states until nothing is left to do. */
  settle(): Promise<void>;
  /** Calls another service's operation as root (IAM roles, S3 buckets and objects, KMS keys). */
  other(service: 'iam' | 's3' | 'kms', operation: string, input: Record<string, unknown>): Promise<any>;
  putObject(bucket: string, key: string, body: string): Promise<void>;
}

const PROVIDERS: Record<string, Provider> = { iam: iamProvider, s3: s3Provider, kms: kmsProvider, personalize: personalizeProvider };

/** A context of `provider`'s model for `operation`, over the IAM test context (its recording authorize carries over). */
function ctxFor(env: TestEnv, provider: string, operation: string, principal?: Principal): TestCtx {
  const model = loadModel(provider);
  const op = model.operations.get(operation);
  if (!op) throw new Error(`no ${provider} operation ${operation}`);
  const base = env.ctx('GetUser', principal);
  const request = { ...base.request, headers: { authorization: 'AWS4-HMAC-SHA256 test', host: 'localhost' } };
  return Object.create(base, { model: { value: model }, operation: { value: op }, request: { value: request } }) as TestCtx;
}

/** The IAM test environment (temp store, recording authorize) with contexts for Personalize operations. */
export function pzEnv(): PzEnv {
  const env = testEnv() as PzEnv;
  let last: TestCtx | undefined;
  // The service acts as roles with their real policies (API callers are still allowed by the recording authorize).
  (env.app as { principalPolicies: App['principalPolicies'] }).principalPolicies = (p) => principalPolicies(env.store, p);
  const scheduler = new Scheduler(env.app, 1);
  Object.defineProperty(env, 'last', { get: () => last });
  env.other = async (service, operation, input) => (await PROVIDERS[service].operations[operation](input, ctxFor(env, service, operation))) ?? {};
  env.putObject = async (bucket, key, body) => {
    await env.other('s3', 'PutObject', { Bucket: bucket, Key: key, Body: Readable.from([Buffer.from(body)]) });
  };
  env.call = async (operation, input, principal) => {
    const ctx = ctxFor(env, 'personalize', operation, principal);
    last = ctx;
    const out = await personalizeProvider.operations[operation](input, ctx);
    if (!ctx.authorized) throw new Error(`${operation} answered without authorising`);
    return out ?? {};
  };
  env.settle = () => scheduler.drain();
  return env;
}

/** A minimal valid Interactions schema. */
export const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
  ],
});

const ACCOUNT = '000000000000';
const GROUP = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/g`;
const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** 100 users × 12 events (20 with event types, 15 of them views); i0 most popular, then i1. */
function csv(withType: boolean): string {
  const rows = [withType ? 'USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE' : 'USER_ID,ITEM_ID,TIMESTAMP'];
  for (let u = 0; u < 100; u++) {
    for (let e = 0; e < (withType ? 20 : 12); e++) {
      const item = e < 6 ? 'i0' : e < 9 ? 'i1' : `i${2 + ((u + e) % 5)}`;
      rows.push(`u${u},${item},${1000 + u * 100 + e}${withType ? `,${e % 4 ? 'View' : 'Purchase'}` : ''}`);
    }
  }
  return rows.join('\n');
}

/** Group `g` (custom or of `domain`) with an Interactions dataset imported from s3://bkt/ix.csv by role R. */
export async function groupWithData(env: PzEnv, domain?: string) {
  await env.other('iam', 'CreateRole', { RoleName: 'R', AssumeRolePolicyDocument: TRUST });
  await env.other('iam', 'PutRolePolicy', { RoleName: 'R', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) });
  await env.other('s3', 'CreateBucket', { Bucket: 'bkt' });
  await env.putObject('bkt', 'ix.csv', csv(domain !== undefined));
  await env.call('CreateDatasetGroup', { name: 'g', domain });
  const fields = [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }];
  if (domain) fields.push({ name: 'EVENT_TYPE', type: 'string' });
  const { schemaArn } = await env.call('CreateSchema', { name: 's', domain, schema: JSON.stringify({ type: 'record', name: 'Interactions', fields }) });
  await env.settle();
  const { datasetArn } = await env.call('CreateDataset', { name: 'd', schemaArn, datasetGroupArn: GROUP, datasetType: 'Interactions' });
  await env.settle();
  await env.call('CreateDatasetImportJob', { jobName: 'j', datasetArn, dataSource: { dataLocation: 's3://bkt/ix.csv' }, roleArn: `arn:aws:iam::${ACCOUNT}:role/R` });
  await env.settle();
}


/** A dataset of `type` in group g, imported from s3://bkt/<type>.csv (the role and bucket of groupWithData). */
export async function importData(env: PzEnv, type: string, fields: object[], csv: string): Promise<void> {
  await env.putObject('bkt', `${type}.csv`, csv);
  const { schemaArn } = await env.call('CreateSchema', { name: type, schema: JSON.stringify({ type: 'record', name: type, fields }) });
  const { datasetArn } = await env.call('CreateDataset', { name: type, schemaArn, datasetGroupArn: GROUP, datasetType: type });
  await env.settle();
  await env.call('CreateDatasetImportJob', { jobName: type, datasetArn, roleArn: `arn:aws:iam::${ACCOUNT}:role/R`, dataSource: { dataLocation: `s3://bkt/${type}.csv` } });
  await env.settle();
  const job = await env.call('DescribeDatasetImportJob', { datasetImportJobArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/${type}` });
  if (job.datasetImportJob.status !== 'ACTIVE') throw new Error(`import of ${type} ended ${job.datasetImportJob.status}: ${job.datasetImportJob.failureReason}`);
}

/** A solution of `recipe` in group g and its first version, settled (ACTIVE or not). */
export async function trainVersion(env: PzEnv, recipe: string, name = recipe, extra: Record<string, unknown> = {}): Promise<SolutionVersionDoc> {
  const { solutionArn } = await env.call('CreateSolution', { name, datasetGroupArn: GROUP, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, performAutoTraining: false, ...extra });
  await env.settle();
  const { solutionVersionArn } = await env.call('CreateSolutionVersion', { solutionArn });
  await env.settle();
  return env.store.get<SolutionVersionDoc>(KIND.solutionVersion, solutionVersionArn)!;
}
