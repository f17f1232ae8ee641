// Data the Personalize screens' tests start from, made with the SDK as any client would make it:
// a role Personalize may assume, a bucket with interactions, and each resource up to a given stage.
import {
  PersonalizeClient, CreateDatasetGroupCommand, DescribeDatasetGroupCommand, CreateSchemaCommand, CreateDatasetCommand,
  DescribeDatasetCommand, CreateDatasetImportJobCommand, DescribeDatasetImportJobCommand, CreateSolutionCommand,
  DescribeSolutionCommand, CreateSolutionVersionCommand, DescribeSolutionVersionCommand, CreateCampaignCommand, DescribeCampaignCommand,
} from '@aws-sdk/client-personalize';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { ROOT, ACCOUNT, PERSONALIZE_TRUST, until } from '../integration/support.js';
import { PHONE } from './support.js';

export const pz = (url: string) => new PersonalizeClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
export const iam = (url: string) => new IAMClient({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
export const s3 = (url: string) => new S3Client({ endpoint: url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1, forcePathStyle: true });

export const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [{ name: 'USER_ID', type: 'string' }, { name: 'ITEM_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' }],
});

/** 60 users × 20 events; item `hit` is the most popular, and every user's 20th event is a purchase. */
export function interactionsCsv(): string {
  const rows = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
  for (let u = 0; u < 60; u++) {
    for (let e = 0; e < 20; e++) rows.push(`user${u},${e >= 12 ? 'hit' : `item${(u * 7 + e) % 40}`},${1700000000 + u * 100 + e},${e === 19 ? 'purchase' : 'click'}`);
  }
  return rows.join('\n');
}

const settled = (s: string | undefined) => s === 'ACTIVE' || s === 'CREATE FAILED';

/** A role Personalize may assume that reads `bucket`, and the bucket holding interactions.csv. */
export async function roleAndBucket(url: string, bucket: string, roleName = 'PersonalizeRole'): Promise<string> {
  await iam(url).send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: PERSONALIZE_TRUST }));
  await iam(url).send(new PutRolePolicyCommand({
    RoleName: roleName, PolicyName: 'data',
    PolicyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
    }),
  }));
  await s3(url).send(new CreateBucketCommand({ Bucket: bucket }));
  await s3(url).send(new PutObjectCommand({ Bucket: bucket, Key: 'interactions.csv', Body: interactionsCsv() }));
  return `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
}

export interface Imported {
  roleArn: string;
  datasetGroupArn: string;
  datasetArn: string;
}

/** A dataset group (of `domain`, if given) whose interactions dataset holds imported data. */
export async function imported(url: string, name: string, domain?: 'ECOMMERCE' | 'VIDEO_ON_DEMAND'): Promise<Imported> {
  const c = pz(url);
  const roleArn = await roleAndBucket(url, `${name}-data`, `${name}-role`);
  const { datasetGroupArn } = await c.send(new CreateDatasetGroupCommand({ name, domain }));
  await until(() => c.send(new DescribeDatasetGroupCommand({ datasetGroupArn })), (d) => d.datasetGroup!.status === 'ACTIVE');
  const { schemaArn } = await c.send(new CreateSchemaCommand({ name: `${name}-interactions`, schema: INTERACTIONS_SCHEMA, domain }));
  const { datasetArn } = await c.send(new CreateDatasetCommand({ name: `${name}-ix`, schemaArn, datasetGroupArn, datasetType: 'Interactions' }));
  await until(() => c.send(new DescribeDatasetCommand({ datasetArn })), (d) => d.dataset!.status === 'ACTIVE');
  const { datasetImportJobArn } = await c.send(new CreateDatasetImportJobCommand({
    jobName: `${name}-import`, datasetArn, roleArn, dataSource: { dataLocation: `s3://${name}-data/interactions.csv` },
  }));
  const job = await until(() => c.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn })), (d) => settled(d.datasetImportJob!.status));
  if (job.datasetImportJob!.status !== 'ACTIVE') throw new Error(`import failed: ${job.datasetImportJob!.failureReason}`);
  return { roleArn, datasetGroupArn: datasetGroupArn!, datasetArn: datasetArn! };
}

export interface Trained extends Imported {
  solutionArn: string;
  solutionVersionArn: string;
}

/** …and a solution (popularity unless `recipe` says otherwise) with an ACTIVE version. */
export async function trained(url: string, name: string, recipe = 'aws-popularity-count', data?: Imported): Promise<Trained> {
  const c = pz(url);
  data ??= await imported(url, name);
  const { solutionArn } = await c.send(new CreateSolutionCommand({
    name: `${name}-${recipe}`, datasetGroupArn: data.datasetGroupArn, recipeArn: `arn:aws:personalize:::recipe/${recipe}`, performAutoTraining: false,
  }));
  await until(() => c.send(new DescribeSolutionCommand({ solutionArn })), (d) => d.solution!.status === 'ACTIVE');
  const { solutionVersionArn } = await c.send(new CreateSolutionVersionCommand({ solutionArn }));
  const v = await until(() => c.send(new DescribeSolutionVersionCommand({ solutionVersionArn })), (d) => settled(d.solutionVersion!.status));
  if (v.solutionVersion!.status !== 'ACTIVE') throw new Error(`training failed: ${v.solutionVersion!.failureReason}`);
  return { ...data, solutionArn: solutionArn!, solutionVersionArn: solutionVersionArn! };
}

/** …and an ACTIVE campaign on it. */
export async function campaign(url: string, name: string, recipe?: string, data?: Imported): Promise<Trained & { campaignArn: string }> {
  const c = pz(url);
  const t = await trained(url, name, recipe, data);
  const { campaignArn } = await c.send(new CreateCampaignCommand({ name: `${name}-campaign`, solutionVersionArn: t.solutionVersionArn }));
  await until(() => c.send(new DescribeCampaignCommand({ campaignArn })), (d) => d.campaign!.status === 'ACTIVE');
  return { ...t, campaignArn: campaignArn! };
}

/** The page as it stands, at a phone's width: nothing wider than the screen (tables stack, code scrolls in its box). */
export async function assertFitsPhone(page: Page): Promise<void> {
  await page.setViewportSize(PHONE);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than a phone`);
}
