// The request context AWS evaluates conditions and policy variables against (IAM User Guide, "AWS global
// condition context keys"), built from who signed the request and what the request carries.
import type { ContextValues, Principal } from '../gateway/context.js';
import { markNormalized, normalizeKey, type ContextValue, type NormalizedContext } from './context-keys.js';

export interface RequestContextOptions {
  principal: Principal;
  /** Tags of the IAM user or role (aws:PrincipalTag/…); session tags of the principal override them. */
  principalTags?: Record<string, string>;
  sourceIp?: string;
  /** The request came over TLS (aws:SecureTransport). */
  secureTransport?: boolean;
  /** The region the request is for (aws:RequestedRegion). */
  region?: string;
  now: Date;
  /** Temporary credentials obtained with MFA (aws:MultiFactorAuthPresent). */
  mfa?: boolean;
  /** When temporary credentials were issued (aws:TokenIssueTime). */
  tokenIssueTime?: Date;
  /** Tags the request attaches (aws:RequestTag/…, aws:TagKeys). */
  requestTags?: Record<string, string>;
  /** Tags of the resource acted on (aws:ResourceTag/…). */
  resourceTags?: Record<string, string>;
  /** Service keys the operation supplies (iam:PassedToService, aws:SourceArn, s3:prefix, kms:EncryptionContext:…). */
  extra?: ContextValues;
}

const PRINCIPAL_TYPE: Record<Principal['type'], string | undefined> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  service: undefined,
};

/** AWS's ISO 8601 form for aws:CurrentTime and aws:TokenIssueTime (no milliseconds); the last second's is kept, as every request asks for it. */
let lastSecond = NaN;
let lastIso = '';
function isoSeconds(d: Date): string {
  const second = Math.floor(d.getTime() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastIso = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return lastIso;
}

export function buildRequestContext(o: RequestContextOptions): NormalizedContext {
  const ctx: Record<string, ContextValue> = Object.create(null);
  const set = (key: string, v: ContextValue) => {
    if (v !== undefined) ctx[normalizeKey(key)] = v;
  };
  const p = o.principal;
  const temporary = p.type === 'assumed-role' || p.temporary === true;

  if (p.type === 'service') {
    set('aws:PrincipalIsAWSService', true);
    set('aws:PrincipalServiceName', p.service);
  } else {
    set('aws:PrincipalIsAWSService', false);
    set('aws:userid', p.userId);
    set('aws:PrincipalAccount', p.accountId);
    // For a role session AWS gives the role's ARN, not the session's.
    set('aws:PrincipalArn', p.type === 'assumed-role' ? (p.roleArn ?? p.arn) : p.arn);
    set('aws:PrincipalType', PRINCIPAL_TYPE[p.type]);
    if (p.type === 'user') set('aws:username', p.userName);
    for (const [k, v] of Object.entries({ ...o.principalTags, ...p.sessionTags })) set(`aws:PrincipalTag/${k}`, v);
  }
  if (temporary) {
    // Present only for temporary credentials; long-term access keys leave it out.
    set('aws:MultiFactorAuthPresent', o.mfa === true);
    if (o.tokenIssueTime) set('aws:TokenIssueTime', isoSeconds(o.tokenIssueTime));
  }
  set('aws:SourceIp', o.sourceIp);
  set('aws:SecureTransport', o.secureTransport);
  set('aws:RequestedRegion', o.region);
  set('aws:CurrentTime', isoSeconds(o.now));
  set('aws:EpochTime', Math.floor(o.now.getTime() / 1000));
  if (o.requestTags) {
    for (const [k, v] of Object.entries(o.requestTags)) set(`aws:RequestTag/${k}`, v);
    set('aws:TagKeys', Object.keys(o.requestTags));
  }
  for (const [k, v] of Object.entries(o.resourceTags ?? {})) set(`aws:ResourceTag/${k}`, v);
  for (const [k, v] of Object.entries(o.extra ?? {})) set(k, v);
  return markNormalized(ctx);
}
