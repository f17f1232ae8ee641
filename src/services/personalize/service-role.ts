// Tailor acting as personalize.amazonaws.com: it may assume the role a user passed only if the
// role's trust policy lets the service do so (with aws:SourceAccount/aws:SourceArn of the resource
// it works for), and then acts with exactly that role's permissions.
import type { App } from '../../app.js';
import type { AuthzQuery, Principal } from '../../gateway/context.js';
import type { HttpRequest } from '../../protocol/types.js';
import { authorizeQueries } from '../../gateway/authorize.js';
import { KIND as IAM, lower, type RoleDoc } from '../iam/schema.js';
import { isAwsError } from '../../shared/aws-error.js';
import { WorkFailure } from './lifecycle.js';

export const SERVICE = 'personalize.amazonaws.com';

/** A role session of the service: who it is and how to ask about its permissions. */
export interface RoleSession {
  readonly app: App;
  readonly principal: Principal;
  readonly region: string;
  readonly now: Date;
  /** Throws AccessDenied unless the role's policies (and any resource policy in the query) allow every query. */
  authorize(...queries: AuthzQuery[]): void;
}

// Calls a service makes on a user's behalf carry no source address and go over TLS.
const SERVICE_REQUEST: HttpRequest = {
  method: 'POST', path: '/', rawQuery: '', query: [], headers: {}, body: Buffer.alloc(0),
  sourceIp: undefined as unknown as string, secure: true,
};

function authorizer(app: App, principal: Principal, region: string, now: Date) {
  return (...queries: AuthzQuery[]) => authorizeQueries(app, principal, SERVICE_REQUEST, 'awsJson1_1', region, now, queries);
}

/** Whether an error is a permission refusal (as opposed to a missing object or a bug). */
export const isDenial = (e: unknown): boolean => isAwsError(e) && /^AccessDenied/.test(e.code);

/** The session the service holds after assuming `role`. */
export function roleSessionPrincipal(role: RoleDoc, accountId: string): Principal {
  const sessionName = 'personalize';
  return {
    type: 'assumed-role',
    arn: `arn:aws:sts::${accountId}:assumed-role/${role.RoleName}/${sessionName}`,
    accountId,
    userId: `${role.RoleId}:${sessionName}`,
    roleName: role.RoleName,
    roleArn: role.Arn,
    sessionName,
    // Not a real key: it keys the cache of the session's policies, so it must differ per role.
    accessKeyId: `service:${SERVICE}:${role.RoleId}`,
  };
}

/** The service principal itself, as it appears to trust, bucket and key policies. */
export const servicePrincipal = (accountId: string): Principal =>
  ({ type: 'service', arn: SERVICE, accountId, userId: SERVICE, accessKeyId: '', service: SERVICE });

/**
 * Assumes `roleArn` as the service for work on `sourceArn`; undefined when the role does not exist
 * or its trust policy does not allow it.
 */
export function assumeRole(app: App, roleArn: string, sourceArn: string, region: string, accountId: string): RoleSession | undefined {
  const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  const role = m && m[1] === accountId ? app.store.get<RoleDoc>(IAM.role, lower(m[2])) : undefined;
  if (!role || role.Arn !== roleArn) return undefined;
  const now = app.now();
  const service = servicePrincipal(accountId);
  try {
    authorizer(app, service, region, now)({
      action: 'sts:AssumeRole',
      resource: role.Arn,
      context: { 'aws:SourceAccount': accountId, 'aws:SourceArn': sourceArn },
      resourcePolicy: { text: role.AssumeRolePolicyDocument, id: role.Arn, kind: 'trust' },
      resourceAccount: accountId,
    });
  } catch (e) {
    if (isDenial(e)) return undefined;
    throw e;
  }
  const principal = roleSessionPrincipal(role, accountId);
  return { app, principal, region, now, authorize: authorizer(app, principal, region, now) };
}

/** The service itself (no role): allowed only what resource policies grant personalize.amazonaws.com for `sourceArn`. */
export function serviceSession(app: App, sourceArn: string, region: string, accountId: string): RoleSession {
  const now = app.now();
  const principal = servicePrincipal(accountId);
  const ask = authorizer(app, principal, region, now);
  const context = { 'aws:SourceAccount': accountId, 'aws:SourceArn': sourceArn };
  return { app, principal, region, now, authorize: (...qs) => ask(...qs.map((q) => ({ ...q, context: { ...q.context, ...context } }))) };
}

/** Region and account of a regional Personalize ARN. */
export function whereOf(arn: string): { region: string; accountId: string } {
  const [, , , region, accountId] = arn.split(':');
  return { region, accountId };
}

/** The role's session for work on `sourceArn`, or the job's failure when the role cannot be assumed. */
export function mustAssume(app: App, roleArn: string, sourceArn: string): RoleSession {
  const { region, accountId } = whereOf(sourceArn);
  const session = roleArn ? assumeRole(app, roleArn, sourceArn, region, accountId) : undefined;
  if (!session) {
    throw new WorkFailure(`Amazon Personalize cannot assume the role ${roleArn}. Make sure the role exists and its trust policy allows personalize.amazonaws.com to assume it.`);
  }
  return session;
}
