// Gathers the identity-side policies of a caller for the authoriser. This runs on every request, so
// each document is compiled once and each principal's set is kept until the store changes.
import type { Principal } from '../../gateway/context.js';
import type { PrincipalPolicies } from '../../app.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { compilePolicy, type CompiledPolicy, type PolicyType } from '../../policy/index.js';
import {
  KIND, lower, type AttachmentDoc, type EntityType, type InlinePolicyDoc, type MembershipDoc, type RoleDoc, type UserDoc,
} from './schema.js';
import { defaultDocument, findManagedPolicy } from './aws-managed.js';
import { tagRecord } from './tags.js';

/** The id an inline policy is compiled under (the simulator reports it as SourcePolicyId). */
export const inlinePolicyId = (type: EntityType, entityName: string, policyName: string) => `${type}/${entityName}/${policyName}`;

/** The id of a session's n-th policy (0-based). */
export const sessionPolicyId = (n: number) => `session-policy/${n + 1}`;

const NONE: PrincipalPolicies = Object.freeze({ identity: Object.freeze([]) as unknown as CompiledPolicy[], tags: Object.freeze({}) });

/** Compiled documents kept at most; past it the cache starts over (documents churned away are let go). */
const MAX_COMPILED = 10_000;

class PolicyCache {
  private generation = -1;
  private readonly principals = new Map<string, PrincipalPolicies>();
  private compiled = new Map<string, CompiledPolicy>();

  constructor(private readonly store: MetadataStore) {}

  lookup(principal: Principal): PrincipalPolicies {
    if (principal.type !== 'user' && principal.type !== 'assumed-role') return NONE;
    // Only IAM documents shape a principal's policies: other services' writes keep the cache.
    const generation = this.store.generationOf('iam');
    if (generation !== this.generation) {
      this.generation = generation;
      this.principals.clear();
    }
    // A user's set depends on the user only; a role session's also on its own policies and tags.
    const key = principal.type === 'user' ? principal.arn : principal.accessKeyId;
    let set = this.principals.get(key);
    if (!set) {
      set = principal.type === 'user' ? this.forUser(principal) : this.forSession(principal);
      this.principals.set(key, set);
    }
    return set;
  }

  private forUser(p: Principal): PrincipalPolicies {
    const name = p.userName ?? p.arn.slice(p.arn.lastIndexOf('/') + 1);
    const user = this.store.get<UserDoc>(KIND.user, lower(name));
    if (!user) return NONE;
    const identity: CompiledPolicy[] = [];
    this.addEntityPolicies(identity, 'user', user.UserName);
    for (const m of this.store.list<MembershipDoc>(KIND.userGroup, { prefix: `${lower(user.UserName)}|` })) {
      this.addEntityPolicies(identity, 'group', m.GroupName);
    }
    return this.assembled(identity, user.PermissionsBoundary?.PermissionsBoundaryArn, undefined, tagRecord(user.Tags));
  }

  private forSession(p: Principal): PrincipalPolicies {
    const role = p.roleName === undefined ? undefined : this.store.get<RoleDoc>(KIND.role, lower(p.roleName));
    if (!role) return NONE;
    const identity: CompiledPolicy[] = [];
    this.addEntityPolicies(identity, 'role', role.RoleName);
    const session = p.sessionPolicies?.map((text, i) => this.compile(sessionPolicyId(i), text, 'session'));
    // Session tags override the role's tags of the same key (tag keys compare case-insensitively).
    const tags = tagRecord(role.Tags);
    for (const [k, v] of Object.entries(p.sessionTags ?? {})) {
      for (const existing of Object.keys(tags)) if (lower(existing) === lower(k)) delete tags[existing];
      tags[k] = v;
    }
    return this.assembled(identity, role.PermissionsBoundary?.PermissionsBoundaryArn, session, tags);
  }

  private assembled(identity: CompiledPolicy[], boundaryArn: string | undefined, session: CompiledPolicy[] | undefined, tags: Record<string, string>): PrincipalPolicies {
    const boundary = boundaryArn === undefined ? undefined : this.managed(boundaryArn, 'boundary');
    return { identity, ...(boundary ? { boundary } : {}), ...(session && session.length > 0 ? { session } : {}), tags };
  }

  private addEntityPolicies(out: CompiledPolicy[], type: EntityType, name: string): void {
    const prefix = `${type}|${lower(name)}|`;
    for (const p of this.store.list<InlinePolicyDoc>(KIND.inlinePolicy, { prefix })) {
      out.push(this.compile(inlinePolicyId(type, p.EntityName, p.PolicyName), p.PolicyDocument, 'identity'));
    }
    for (const a of this.store.list<AttachmentDoc>(KIND.attachment, { prefix })) {
      const compiled = this.managed(a.PolicyArn, 'identity');
      if (compiled) out.push(compiled);
    }
  }

  /** A managed policy's default version, compiled; keyed by PolicyId too, as a re-created policy reuses ARN and version ids. */
  private managed(arn: string, type: PolicyType): CompiledPolicy | undefined {
    const policy = findManagedPolicy(this.store, arn);
    if (!policy) return undefined;
    const key = `${type}\n${policy.Arn}\n${policy.PolicyId}\n${policy.DefaultVersionId}`;
    const hit = this.compiled.get(key);
    if (hit) return hit;
    const text = defaultDocument(this.store, policy);
    return text === undefined ? undefined : this.remember(key, compilePolicy(text, policy.Arn, type));
  }

  private compile(id: string, text: string, type: PolicyType): CompiledPolicy {
    const key = `${type}\n${id}\n${text}`;
    return this.compiled.get(key) ?? this.remember(key, compilePolicy(text, id, type));
  }

  private remember(key: string, policy: CompiledPolicy): CompiledPolicy {
    if (this.compiled.size >= MAX_COMPILED) this.compiled = new Map();
    this.compiled.set(key, policy);
    return policy;
  }
}

const caches = new WeakMap<MetadataStore, PolicyCache>();

/**
 * The identity-side policies that apply to `principal` (App.principalPolicies): a user's inline and
 * attached policies and those of their groups, a role session's role policies and session policies,
 * the permissions boundary, and the principal's tags. The root user has none (it is allowed everything).
 */
export function principalPolicies(store: MetadataStore, principal: Principal): PrincipalPolicies {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new PolicyCache(store)));
  return cache.lookup(principal);
}
