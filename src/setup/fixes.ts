// The statements the Personalize developer guide gives for each setup step, and the documents that
// carry them: a fresh inline policy, or an existing single-document policy (trust, bucket, key policy)
// with the statement added, so applying the fix is one Put… call with the JSON as it stands.
export const SERVICE = 'personalize.amazonaws.com';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

interface Document {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

/** A policy document's statements as a list (a lone Statement object is one statement). */
export function statementsOf(text: string | undefined): Statement[] {
  if (!text) return [];
  const s = (JSON.parse(text) as { Statement?: Statement | Statement[] }).Statement;
  return s === undefined ? [] : Array.isArray(s) ? s : [s];
}

/** `text` (or an empty document) with its statements replaced by `statements`, pretty-printed. */
export function withStatements(text: string | undefined, statements: Statement[]): string {
  const doc: Document = text ? { ...(JSON.parse(text) as Document) } : { Version: '2012-10-17', Statement: [] };
  doc.Version ??= '2012-10-17';
  doc.Statement = statements;
  return JSON.stringify(doc, null, 2);
}

/** `text` with `add` appended; a statement with the same Sid is replaced (applying a fix twice changes nothing). */
export function adding(text: string | undefined, ...add: Statement[]): string {
  const sids = new Set(add.map((s) => s.Sid));
  return withStatements(text, [...statementsOf(text).filter((s) => s.Sid === undefined || !sids.has(s.Sid)), ...add]);
}

/** `s` with `operator: { key: value }` among its conditions. */
export function withCondition(s: Statement, operator: string, key: string, value: string): Statement {
  const condition = { ...(s.Condition ?? {}) };
  condition[operator] = { ...(condition[operator] ?? {}), [key]: value };
  return { ...s, Condition: condition };
}

export const personalizeAccess = (): Statement => ({
  Sid: 'PersonalizeAccess', Effect: 'Allow', Action: ['personalize:*'], Resource: '*',
});

export const passRoleToPersonalize = (roleArn: string): Statement => ({
  Sid: 'PassRoleToPersonalize', Effect: 'Allow', Action: 'iam:PassRole', Resource: roleArn,
  Condition: { StringEquals: { 'iam:PassedToService': SERVICE } },
});

/** Stops iam:PassRole of the role to any other service, whatever policy allows it. */
export const passRoleOnlyToPersonalize = (roleArn: string): Statement => ({
  Sid: 'PassRoleOnlyToPersonalize', Effect: 'Deny', Action: 'iam:PassRole', Resource: roleArn,
  Condition: { StringNotEquals: { 'iam:PassedToService': SERVICE } },
});

/** The guide's trust statement, with the confused-deputy conditions. */
export const personalizeTrust = (accountId: string): Statement => ({
  Sid: 'PersonalizeAssumeRole', Effect: 'Allow', Principal: { Service: SERVICE }, Action: 'sts:AssumeRole',
  Condition: {
    StringEquals: { 'aws:SourceAccount': accountId },
    ArnLike: { 'aws:SourceArn': `arn:aws:personalize:*:${accountId}:*` },
  },
});

const bucketResources = (bucket: string) => [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`];

/** The role's own permission to read the data. */
export const roleReadsBucket = (bucket: string): Statement => ({
  Sid: 'PersonalizeS3Access', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: bucketResources(bucket),
});

/** The guide's bucket policy statement for the service. */
export const serviceReadsBucket = (bucket: string): Statement => ({
  Sid: 'PersonalizeS3BucketAccessPolicy', Effect: 'Allow', Principal: { Service: SERVICE },
  Action: ['s3:GetObject', 's3:ListBucket'], Resource: bucketResources(bucket),
});

/** A bucket policy statement for the role (same account: it allows even when the role's policies don't). */
export const bucketAllowsRole = (bucket: string, roleArn: string): Statement => ({
  Sid: 'PersonalizeRoleS3Access', Effect: 'Allow', Principal: { AWS: roleArn },
  Action: ['s3:GetObject', 's3:ListBucket'], Resource: bucketResources(bucket),
});

/** The guide's key policy statement: the role and the service may use the key. */
export const personalizeUsesKey = (roleArn: string | undefined): Statement => ({
  Sid: 'Allow Amazon Personalize to use the key', Effect: 'Allow',
  Principal: roleArn ? { AWS: roleArn, Service: SERVICE } : { Service: SERVICE },
  Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey', 'kms:CreateGrant', 'kms:ListGrants'], Resource: '*',
});
