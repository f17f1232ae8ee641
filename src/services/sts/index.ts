import { AwsError } from '../../shared/aws-error.js';
import type { Provider, RequestContext, ContextValues } from '../../gateway/context.js';
import { KIND, lower, type RoleDoc, type Tag } from '../iam/schema.js';
import { issueSession } from './sessions.js';
import { sessionPolicyTexts } from './session-policies.js';
import { accessDenied } from '../../gateway/authorize.js';

const validation = (message: string) => new AwsError('ValidationError', message, 400);

/** `arn:aws:iam::<account>:role/<path/><name>` → parts, or undefined when it is not a role ARN. */
function parseRoleArn(arn: string): { account: string; path: string; name: string } | undefined {
  const m = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)?([^/]+)$/.exec(arn);
  return m ? { account: m[1], path: m[2] ?? '/', name: m[3] } : undefined;
}

function tagContext(tags: Tag[] | undefined): ContextValues {
  if (!tags?.length) return {};
  const ctx: ContextValues = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const t of tags) ctx[`aws:RequestTag/${t.Key}`] = t.Value;
  return ctx;
}

function assumeRole(input: any, ctx: RequestContext) {
  const { principal, app } = ctx;
  if (principal.type === 'root') throw accessDenied('awsQuery', 'Roles may not be assumed by root accounts.');
  const parts = parseRoleArn(input.RoleArn);
  const role = parts && parts.account === ctx.accountId ? app.store.get<RoleDoc>(KIND.role, lower(parts.name)) : undefined;
  if (!role || role.Arn !== input.RoleArn) {
    // AWS does not reveal whether the role exists: a missing role reads as a plain denial.
    throw accessDenied('awsQuery', `User: ${principal.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`);
  }
  const context: ContextValues = {
    ...tagContext(input.Tags),
    'sts:RoleSessionName': input.RoleSessionName,
    'sts:ExternalId': input.ExternalId,
    'sts:TransitiveTagKeys': input.TransitiveTagKeys,
  };
  const trust = { text: role.AssumeRolePolicyDocument, id: role.Arn, kind: 'trust' as const };
  const roleTags = Object.fromEntries(role.Tags.map((t) => [t.Key, t.Value]));
  const queries = [{ action: 'sts:AssumeRole', resource: role.Arn, context, resourcePolicy: trust, resourceTags: roleTags }];
  if (input.Tags?.length) queries.push({ action: 'sts:TagSession', resource: role.Arn, context, resourcePolicy: trust, resourceTags: roleTags });
  ctx.authorize(...queries);

  // Role chaining caps a session at one hour, whatever the role allows.
  const chained = principal.type === 'assumed-role';
  const duration = input.DurationSeconds ?? 3600;
  const max = chained ? 3600 : role.MaxSessionDuration;
  if (duration > max) {
    throw validation(chained
      ? 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.'
      : 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  }
  const { texts, packedPercent } = sessionPolicyTexts(app.store, input.Policy, input.PolicyArns);
  const sessionTags: Record<string, string> = {};
  for (const t of input.Tags ?? []) sessionTags[t.Key] = t.Value;
  const sessionArn = `arn:aws:sts::${ctx.accountId}:assumed-role/${role.RoleName}/${input.RoleSessionName}`;
  const credentials = app.store.transaction(() => {
    const issued = issueSession(app.store, app.secrets, {
      type: 'assumed-role',
      arn: sessionArn,
      accountId: ctx.accountId,
      userId: `${role.RoleId}:${input.RoleSessionName}`,
      roleName: role.RoleName,
      roleArn: role.Arn,
      sessionName: input.RoleSessionName,
      sessionPolicies: texts.length ? texts : undefined,
      sessionTags: Object.keys(sessionTags).length ? sessionTags : undefined,
    }, new Date(ctx.now.getTime() + duration * 1000));
    app.store.put(KIND.role, lower(role.RoleName), { ...role, RoleLastUsed: { LastUsedDate: ctx.now.toISOString(), Region: ctx.region } });
    return issued;
  });
  return {
    Credentials: credentials,
    AssumedRoleUser: { AssumedRoleId: `${role.RoleId}:${input.RoleSessionName}`, Arn: sessionArn },
    PackedPolicySize: packedPercent,
    SourceIdentity: input.SourceIdentity,
  };
}

function getSessionToken(input: any, ctx: RequestContext) {
  const { principal } = ctx;
  // AWS needs no permission for GetSessionToken; it only refuses callers already on temporary credentials.
  ctx.authorize();
  if (principal.type !== 'user' && principal.type !== 'root' || principal.temporary) {
    throw accessDenied('awsQuery', 'Cannot call GetSessionToken with session credentials');
  }
  if (input.SerialNumber !== undefined || input.TokenCode !== undefined) {
    // Tailor has no MFA devices, so no one-time code can be valid.
    throw accessDenied('awsQuery', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
  }
  const max = principal.type === 'root' ? 3600 : 129600;
  const duration = Math.min(input.DurationSeconds ?? 43200, max);
  const { accessKeyId: _, ...acting } = principal;
  const credentials = issueSession(ctx.app.store, ctx.app.secrets, { ...acting, temporary: true }, new Date(ctx.now.getTime() + duration * 1000));
  return { Credentials: credentials };
}

function getCallerIdentity(_input: unknown, ctx: RequestContext) {
  // AWS answers GetCallerIdentity even under an explicit deny.
  ctx.authorize();
  const p = ctx.principal;
  return { UserId: p.userId, Account: p.accountId, Arn: p.arn };
}

export const stsProvider: Provider = {
  model: 'sts',
  operations: { AssumeRole: assumeRole, GetSessionToken: getSessionToken, GetCallerIdentity: getCallerIdentity },
};
