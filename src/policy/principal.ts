// The Principal / NotPrincipal element: validation and matching. How a statement names the caller matters
// to evaluation (see Naming): within the account, naming the session ARN escapes a boundary's and a
// session policy's implicit deny, naming the user ARN escapes the boundary's, naming the role ARN or "*"
// escapes neither, and naming the account only delegates to the account's own IAM policies.
import { isObject, type JsonValue } from './json.js';
import type { Principal } from '../gateway/context.js';
import type { Problem } from './errors.js';

/**
 * How a statement's principal covers the caller, from weakest to strongest (IAM User Guide, "Permissions
 * boundaries" and "Session policies": which resource-policy grants their implicit deny limits).
 */
export const enum Naming {
  None = 0,
  /** The caller's account (account id or `arn:…:root`): delegation to the account's IAM policies. */
  Account = 1,
  /** "*", the role ARN of a session, or a NotPrincipal that leaves the caller in: limited by both. */
  Grant = 2,
  /** The IAM user's ARN: not limited by a permissions boundary, still limited by session policies. */
  User = 3,
  /** The session ARN, a service, a federated provider, a canonical user, the root user: not limited. */
  Direct = 4,
}

/** Who is asking, as principal matching needs it. */
export interface Caller {
  principal: Principal;
  federatedProvider?: string;
  canonicalUser?: string;
}

export interface PrincipalMatcher {
  /** How the element names the caller (for NotPrincipal: Grant when the caller is not excluded). */
  naming(caller: Caller): Naming;
}

interface Entries {
  wildcard: boolean;
  accounts: Set<string>;
  users: Set<string>;
  roles: Set<string>;
  sessions: Set<string>;
  uniqueIds: Set<string>;
  services: Set<string>;
  federated: Set<string>;
  canonical: Set<string>;
}

const PARTITION = 'aws(?:-[a-z]+)*';
const ROOT = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);
const IAM_ENTITY = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:(user|role)/[^*?]+$`);
const STS_SESSION = new RegExp(`^arn:${PARTITION}:sts::\\d{12}:(assumed-role/[^/*?]+/[^*?]+|federated-user/[^*?]+)$`);
const ACCOUNT = /^\d{12}$/;
const UNIQUE_ID = /^(AIDA|AROA)[A-Z0-9]{12,}$/;
const SERVICE = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const CANONICAL = /^[0-9a-f]{64}$/;

/** Compiles a Principal/NotPrincipal value; `fail` throws the service's rejection. */
export function compilePrincipal(value: JsonValue, not: boolean, fail: (p: Problem) => never): PrincipalMatcher {
  const e: Entries = {
    wildcard: false,
    accounts: new Set(),
    users: new Set(),
    roles: new Set(),
    sessions: new Set(),
    uniqueIds: new Set(),
    services: new Set(),
    federated: new Set(),
    canonical: new Set(),
  };
  if (value === '*') e.wildcard = true;
  else if (!isObject(value) || Object.keys(value).length === 0) fail({ kind: 'syntax' });
  else {
    for (const key of Object.keys(value)) {
      for (const v of stringList(value[key], fail)) addEntry(e, key, v, fail);
    }
  }
  return not ? notPrincipal(e) : principal(e);
}

function stringList(v: JsonValue, fail: (p: Problem) => never): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0) fail({ kind: 'syntax' });
  return list.map((x) => (typeof x === 'string' ? x : fail({ kind: 'syntax' })));
}

function addEntry(e: Entries, key: string, v: string, fail: (p: Problem) => never): void {
  const bad = () => fail({ kind: 'principal', key: key.toUpperCase(), value: v });
  switch (key) {
    case 'AWS': {
      if (v === '*') e.wildcard = true;
      else if (ACCOUNT.test(v)) e.accounts.add(v);
      else if (ROOT.test(v)) e.accounts.add(ROOT.exec(v)![1]);
      else if (IAM_ENTITY.test(v)) (v.includes(':role/') ? e.roles : e.users).add(v);
      else if (STS_SESSION.test(v)) e.sessions.add(v);
      else if (UNIQUE_ID.test(v)) e.uniqueIds.add(v);
      else bad();
      return;
    }
    case 'Service':
      if (!SERVICE.test(v)) bad();
      e.services.add(v);
      return;
    case 'Federated':
      if (!v || /[*?\s]/.test(v)) bad();
      e.federated.add(v);
      return;
    case 'CanonicalUser':
      if (!CANONICAL.test(v)) bad();
      e.canonical.add(v);
      return;
    default:
      fail({ kind: 'syntax' });
  }
}

/** The strongest way the entries name the caller. */
function naming(e: Entries, c: Caller): Naming {
  const p = c.principal;
  switch (p.type) {
    case 'user':
      if (e.users.has(p.arn) || e.uniqueIds.has(p.userId)) return Naming.User;
      break;
    case 'assumed-role':
      if (e.sessions.has(p.arn)) return Naming.Direct;
      if ((p.roleArn && e.roles.has(p.roleArn)) || (e.uniqueIds.size > 0 && e.uniqueIds.has(p.userId.split(':')[0]))) {
        return Naming.Grant;
      }
      break;
    case 'service':
      if (p.service && e.services.has(p.service)) return Naming.Direct;
      break;
    case 'root':
      break;
  }
  if ((c.federatedProvider && e.federated.has(c.federatedProvider)) || (c.canonicalUser && e.canonical.has(c.canonicalUser))) {
    return Naming.Direct;
  }
  if (e.wildcard) return Naming.Grant;
  // The root user is its account: naming the account names it directly.
  if (p.type !== 'service' && e.accounts.has(p.accountId)) return p.type === 'root' ? Naming.Direct : Naming.Account;
  return Naming.None;
}

function principal(e: Entries): PrincipalMatcher {
  return { naming: (c) => naming(e, c) };
}

/**
 * NotPrincipal leaves out only a caller all of whose identities are listed: a user needs its ARN and its
 * account, a role session its session ARN and its account (AWS's documented NotPrincipal behaviour).
 */
function notPrincipal(e: Entries): PrincipalMatcher {
  const excluded = (c: Caller): boolean => {
    if (e.wildcard) return true;
    const p = c.principal;
    const account = e.accounts.has(p.accountId);
    switch (p.type) {
      case 'root':
        return account;
      case 'user':
        return account && (e.users.has(p.arn) || e.uniqueIds.has(p.userId));
      case 'assumed-role':
        return account && e.sessions.has(p.arn);
      case 'service':
        return p.service !== undefined && e.services.has(p.service);
    }
  };
  return { naming: (c) => (excluded(c) ? Naming.None : Naming.Grant) };
}
