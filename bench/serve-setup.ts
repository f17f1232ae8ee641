// The serving benchmark's catalogue, put into Tailor the way a user would: CSV files in the
// embedded S3, dataset import jobs, solutions, solution versions, campaigns, an event tracker and a
// filter with a parameter, all through SDK v3. Every phase is timed.
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand, DescribeDatasetCommand,
  CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand, DescribeSolutionCommand, CreateSolutionVersionCommand,
  DescribeSolutionVersionCommand, CreateCampaignCommand, DescribeCampaignCommand, CreateEventTrackerCommand, DescribeEventTrackerCommand,
  CreateFilterCommand, DescribeFilterCommand,
} from '@aws-sdk/client-personalize';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PERSONALIZE_TRUST } from '../test/integration/support.js';
import type { Creds } from './serve-load.js';

export const GENRES = 20;
const CLUSTERS = 200;

/** A seeded uniform [0, 1) source. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

/**
 * Interactions with structure a factor model can learn: each user mostly follows one of 200
 * taste clusters, skewed towards each cluster's head; the rest is global, skewed to popular items.
 */
export function interactionsCsv(users: number, items: number, rows: number): string {
  const r = uniform(42);
  const out = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  const perCluster = Math.ceil(items / CLUSTERS);
  for (let k = 0; k < rows; k++) {
    const u = k % users;
    const cluster = (u * 7919) % CLUSTERS;
    let item: number;
    if (r() < 0.8) item = Math.min(items - 1, Math.floor(perCluster * r() ** 2) * CLUSTERS + cluster);
    else item = Math.floor(items * r() ** 3);
    out.push(`u${u},it${item},${1_700_000_000 + k},${r() < 0.1 ? 'purchase' : 'click'}`);
  }
  return out.join('\n');
}

export const genreOf = (item: number) => `g${item % CLUSTERS % GENRES}`;

export function itemsCsv(items: number): string {
  const out = ['ITEM_ID,GENRE'];
  for (let i = 0; i < items; i++) out.push(`it${i},${genreOf(i)}`);
  return out.join('\n');
}

const schema = (name: string, fields: object[]) => JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, failed: (v: T) => string | undefined): Promise<T> {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    const why = failed(v);
    if (why) throw new Error(why);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Catalogue {
  groupArn: string;
  recommendCampaign: string;
  rankingCampaign: string;
  trackingId: string;
  filterArn: string;
  seconds: Record<string, number>;
}

export async function setUp(url: string, creds: Creds, size: { users: number; items: number; interactions: number }, log: (m: string) => void,
  hyperParameters: Record<string, string> = {}): Promise<Catalogue> {
  const cfg = { endpoint: url, region: 'us-east-1', credentials: creds, maxAttempts: 1 };
  const seconds: Record<string, number> = {};
  let t = performance.now();
  const phase = (name: string) => {
    seconds[name] = Math.round((performance.now() - t) / 100) / 10;
    log(`  ${name}: ${seconds[name]} s`);
    t = performance.now();
  };
  const iam = new IAMClient(cfg);
  await iam.send(new CreateRoleCommand({ RoleName: 'BenchRole', AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'BenchRole', PolicyName: 's3',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::bench', 'arn:aws:s3:::bench/*'] }] }),
  }));
  const s3 = new S3Client({ ...cfg, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
  const ixCsv = interactionsCsv(size.users, size.items, size.interactions);
  const itCsv = itemsCsv(size.items);
  phase('generate CSV');
  await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'interactions.csv', Body: ixCsv }));
  await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'items.csv', Body: itCsv }));
  phase(`upload CSV (${Math.round((ixCsv.length + itCsv.length) / 1e6)} MB)`);

  const c = new PersonalizeClient(cfg);
  const groupArn = (await c.send(new CreateDatasetGroupCommand({ name: 'bench' }))).datasetGroupArn!;
  await poll(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn: groupArn })), (d) => d.datasetGroup!.status === 'ACTIVE', () => undefined);
  const dataset = async (name: string, type: string, fields: object[]) => {
    const { schemaArn } = await c.send(new CreateSchemaCommand({ name, schema: schema(type, fields) }));
    const { datasetArn } = await c.send(new CreateDatasetCommand({ name, schemaArn, datasetGroupArn: groupArn, datasetType: type }));
    await poll(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE', () => undefined);
    return datasetArn!;
  };
  const ix = await dataset('bench-ix', 'Interactions', [
    { name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
  ]);
  const items = await dataset('bench-items', 'Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: 'string', categorical: true }]);
  const load = async (datasetArn: string, key: string) => {
    const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({
      jobName: `import-${key.replace('.csv', '')}`, datasetArn, roleArn: 'arn:aws:iam::000000000000:role/BenchRole', dataSource: { dataLocation: `s3://bench/${key}` },
    }));
    await poll(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => d.datasetImportJob!.status === 'ACTIVE',
      (d) => (d.datasetImportJob!.status === 'CREATE FAILED' ? d.datasetImportJob!.failureReason : undefined));
  };
  await load(ix, 'interactions.csv');
  phase(`import ${size.interactions} interactions`);
  await load(items, 'items.csv');
  phase(`import ${size.items} items`);

  const campaign = async (recipe: string) => {
    const { solutionArn } = await c.send(new CreateSolutionCommand({
      name: recipe, datasetGroupArn: groupArn, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, solutionConfig: { algorithmHyperParameters: hyperParameters },
    }));
    await poll(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE', () => undefined);
    const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
    await poll(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => d.solutionVersion!.status === 'ACTIVE',
      (d) => (d.solutionVersion!.status === 'CREATE FAILED' ? d.solutionVersion!.failureReason : undefined));
    phase(`train ${recipe} (solution version, with its metrics run)`);
    const { campaignArn } = await c.send(new CreateCampaignCommand({ name: recipe, solutionVersionArn }));
    await poll(() => c.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE', () => undefined);
    phase(`campaign ${recipe}`);
    return campaignArn!;
  };
  const recommendCampaign = await campaign('aws-user-personalization');
  const rankingCampaign = await campaign('aws-personalized-ranking');
  const tracker = await c.send(new CreateEventTrackerCommand({ name: 'bench', datasetGroupArn: groupArn }));
  await poll(() => c.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn })), (d) => d.eventTracker!.status === 'ACTIVE', () => undefined);
  const { filterArn } = await c.send(new CreateFilterCommand({ name: 'not-genre', datasetGroupArn: groupArn, filterExpression: 'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE)' }));
  await poll(() => c.send(new DescribeFilterCommand({ filterArn })), (d) => d.filter!.status === 'ACTIVE', () => undefined);
  for (const x of [iam, s3, c]) x.destroy();
  return { groupArn, recommendCampaign, rankingCampaign, trackingId: tracker.trackingId!, filterArn: filterArn!, seconds };
}
