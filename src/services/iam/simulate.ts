// IAM's policy simulator API: SimulatePrincipalPolicy, SimulateCustomPolicy and GetContextKeysFor…Policy.
// The decisions are the engine's (src/policy/simulation.ts); this module reads the request, gathers a
// user's, group's or role's policies from the store and pages the results.
import type { ContextValues, OperationHandler, Principal, RequestContext } from '../../gateway/context.js';
import type { MetadataStore } from '../../storage/metadata/store.js';
import { compilePolicy, MalformedPolicyError, type CompiledPolicy, type PolicyType } from '../../policy/index.js';
import { Simulator, type SimulationPolicy } from '../../policy/simulation.js';
import { contextKeysUsed, KeyList } from '../../policy/context-keys-used.js';
import { invalidInput, pageList } from './common.js';
import { KIND, lower, type AttachmentDoc, type EntityType, type InlinePolicyDoc, type UserDoc } from './schema.js';
import { entityNotFound, getEntity, type EntityDoc } from './attachments.js';
import { defaultDocument, findManagedPolicy, parsePolicyArn } from './aws-managed.js';
import { inlinePolicyId, principalPolicies, sessionPolicyId } from './principal-policies.js';
import { decodeDocument } from './policy-documents.js';
import { tagRecord } from './tags.js';

/** SourcePolicyType as AWS's simulator returns it (its documented enum is not what it sends). */
const IAM_POLICY = 'IAM Policy';
const RESOURCE_POLICY = 'Resource Policy';

/** The identity-side policies of a principal or IAM entity, as the simulator reports them. */
export interface PolicySources {
  identity: SimulationPolicy[];
  boundary?: SimulationPolicy;
  session?: SimulationPolicy[];
  tags: Record<string, string>;
}

/** A user, group or role named by PolicySourceArn, with its policies. */
interface Subject extends PolicySources {
  type: EntityType;
  arn: string;
}

interface ContextEntry {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

interface SimulateInput {
  PolicySourceArn?: string;
  PolicyInputList?: string[];
  PermissionsBoundaryPolicyInputList?: string[];
  ActionNames: string[];
  ResourceArns?: string[];
  ResourcePolicy?: string;
  ResourceOwner?: string;
  CallerArn?: string;
  ContextEntries?: ContextEntry[];
  /** EC2 scenarios (EC2-VPC-EBS…); Tailor serves no EC2, so it changes nothing. */
  ResourceHandlingOption?: string;
  MaxItems?: number;
  Marker?: string;
}

const ENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(?:\/[^/]+)*\/([^/]+)$/;
const USER_ARN = /^arn:aws:iam::(\d{12}):user(?:\/[^/]+)*\/([^/]+)$/;
/** ResourceOwner: an account id, or the account's ARN (`arn:aws:iam::<id>:root`). */
const OWNER = /^(\d{12})$|^arn:aws:iam::(\d{12}):root$/;
const invalidCaller = () => invalidInput('Invalid caller - Caller must be an IAM user in this context.');

/**
 * A principal's policies (App.principalPolicies' set, from the same cache) with their texts and the ids
 * the simulator reports: a managed policy's name, `<type>_<entity>_<name>` for an inline policy.
 */
export function policySources(store: MetadataStore, principal: Principal): PolicySources {
  const set = principalPolicies(store, principal);
  const describe = (p: CompiledPolicy) => describePolicy(store, p, principal.sessionPolicies);
  return {
    identity: set.identity.map(describe),
    ...(set.boundary ? { boundary: describe(set.boundary) } : {}),
    ...(set.session ? { session: set.session.map(describe) } : {}),
    tags: set.tags,
  };
}

/** Text and SourcePolicyId of a policy compiled under principal-policies' ids (ARN, inline id, session id). */
function describePolicy(store: MetadataStore, policy: CompiledPolicy, sessionPolicies: string[] | undefined): SimulationPolicy {
  const id = policy.id;
  const source = (text: string | undefined, sourceId: string) => ({ policy, text: text ?? '', sourceId, sourceType: IAM_POLICY });
  if (id.startsWith('arn:')) {
    const managed = findManagedPolicy(store, id);
    return source(managed && defaultDocument(store, managed), parsePolicyArn(id)?.name ?? id);
  }
  const n = sessionPolicies?.findIndex((_, i) => sessionPolicyId(i) === id) ?? -1;
  if (n >= 0) return source(sessionPolicies![n], id);
  const [type, entity, name] = id.split('/');
  const doc = store.get<InlinePolicyDoc>(KIND.inlinePolicy, `${type}|${lower(entity)}|${name}`);
  return source(doc?.PolicyDocument, `${type}_${entity}_${name}`);
}

/** The policies of the user, group or role an ARN names (a user's include its groups'). */
function loadSubject(ctx: RequestContext, arn: string): Subject {
  const m = ENTITY_ARN.exec(arn);
  if (!m) throw invalidInput(`Invalid Entity Arn: ${arn} does not clearly define entity type and name.`);
  const [, account, type, name] = m as unknown as [string, string, EntityType, string];
  if (account !== ctx.accountId) {
    throw invalidInput(`Invalid Policy Source Arn: caller's account ${ctx.accountId} does not have access to policies in account ${account}`);
  }
  const store = ctx.app.store;
  const doc = getEntity<EntityDoc & { UserId?: string; RoleId?: string }>(store, type, name);
  if (!doc) throw entityNotFound(type, name);
  const base = { accountId: account, accessKeyId: '' };
  if (type === 'user') {
    const principal: Principal = { ...base, type: 'user', arn: doc.Arn, userId: doc.UserId ?? '', userName: doc.UserName };
    return { type, arn: doc.Arn, ...policySources(store, principal) };
  }
  if (type === 'role') {
    // The role's own set, cached under a key no real session has (sessions are keyed by access key id).
    const principal: Principal = {
      ...base, type: 'assumed-role', arn: doc.Arn, userId: doc.RoleId ?? '', roleName: name, roleArn: doc.Arn, accessKeyId: `simulator:${lower(name)}`,
    };
    return { type, arn: doc.Arn, ...policySources(store, principal) };
  }
  return { type, arn: doc.Arn, identity: groupPolicies(store, name), tags: {} };
}

/** A group's inline and attached policies (principalPolicies() gathers them only as part of a user's set). */
function groupPolicies(store: MetadataStore, name: string): SimulationPolicy[] {
  const prefix = `group|${lower(name)}|`;
  const out = store.list<InlinePolicyDoc>(KIND.inlinePolicy, { prefix })
    .map((p) => compilePolicy(p.PolicyDocument, inlinePolicyId('group', p.EntityName, p.PolicyName), 'identity'));
  for (const a of store.list<AttachmentDoc>(KIND.attachment, { prefix })) {
    const managed = findManagedPolicy(store, a.PolicyArn);
    const text = managed && defaultDocument(store, managed);
    if (text !== undefined) out.push(compilePolicy(text, managed!.Arn, 'identity'));
  }
  return out.map((p) => describePolicy(store, p, undefined));
}

/** PolicyInputList-style documents, validated: the simulator answers InvalidInput for one IAM would reject. */
function inputPolicies(list: string[] | undefined, prefix: string, type: PolicyType): SimulationPolicy[] {
  return (list ?? []).map((raw, i) => {
    const sourceId = `${prefix}.${i + 1}`;
    const text = decodeDocument(raw);
    return { policy: compileInput(text, sourceId, type), text, sourceId, sourceType: IAM_POLICY };
  });
}

function compileInput(text: string, id: string, type: PolicyType): CompiledPolicy {
  try {
    return compilePolicy(text, id, type);
  } catch (e) {
    if (e instanceof MalformedPolicyError) throw invalidInput(e.message);
    throw e;
  }
}

/**
 * ResourcePolicy: a resource-based policy, or a role trust policy. AWS's simulator accepts a trust
 * policy here but leaves it out of the decision (observed by its users for sts:AssumeRole*), so one
 * is validated and read for its context keys only.
 */
function resourcePolicy(raw: string): { evaluated?: SimulationPolicy; text: string } {
  const text = decodeDocument(raw);
  try {
    return { evaluated: { policy: compilePolicy(text, 'ResourcePolicy', 'resource'), text, sourceId: 'ResourcePolicy', sourceType: RESOURCE_POLICY }, text };
  } catch (e) {
    if (!(e instanceof MalformedPolicyError)) throw e;
    try {
      compilePolicy(text, 'ResourcePolicy', 'trust');
      return { text };
    } catch {
      throw invalidInput(e.message);
    }
  }
}

/** ContextEntries as request-context values: list types (and repeated values) stay lists. */
function contextOf(entries: ContextEntry[] | undefined): { context: ContextValues; provided: KeyList } {
  const context: ContextValues = {};
  const provided = new KeyList();
  for (const e of entries ?? []) {
    if (e.ContextKeyName === undefined) continue;
    const values = e.ContextKeyValues ?? [];
    context[e.ContextKeyName] = values.length === 1 && !e.ContextKeyType?.endsWith('List') ? values[0] : values;
    provided.add(e.ContextKeyName);
  }
  return { context, provided };
}

function simulate(ctx: RequestContext, input: SimulateInput, subject: Subject | undefined) {
  const boundaryInput = input.PermissionsBoundaryPolicyInputList;
  if (boundaryInput && boundaryInput.length > 1) throw invalidInput('The list of Permissions Boundary policies cannot exceed 1 items.');
  const identity = [...(subject?.identity ?? []), ...inputPolicies(input.PolicyInputList, 'PolicyInputList', 'identity')];
  const boundary = boundaryInput?.length ? inputPolicies(boundaryInput, 'PermissionsBoundaryPolicyInputList', 'boundary')[0] : subject?.boundary;
  const resource = input.ResourcePolicy === undefined ? undefined : resourcePolicy(input.ResourcePolicy);

  // The caller a resource policy's Principal is matched against: an IAM user, named or implied.
  const callerArn = input.CallerArn ?? (subject?.type === 'user' ? subject.arn : undefined);
  const caller = callerArn === undefined ? undefined : USER_ARN.exec(callerArn);
  if ((callerArn !== undefined && !caller) || (resource && !caller)) throw invalidCaller();
  let resourceOwner: string | undefined;
  if (input.ResourceOwner !== undefined) {
    const m = OWNER.exec(input.ResourceOwner);
    resourceOwner = m?.[1] ?? m?.[2];
    if (!resourceOwner) throw invalidInput(`Invalid ResourceOwner: ${input.ResourceOwner}`);
  }
  const accountId = caller?.[1] ?? ctx.accountId;
  const callerUser = caller && accountId === ctx.accountId ? ctx.app.store.get<UserDoc>(KIND.user, lower(caller[2])) : undefined;
  const principal: Principal = {
    type: 'user', arn: callerArn ?? subject?.arn ?? `arn:aws:iam::${accountId}:root`, accountId,
    userId: callerUser?.UserId ?? '', userName: caller?.[2], accessKeyId: '',
  };

  const { context, provided } = contextOf(input.ContextEntries);
  const used = new KeyList();
  for (const text of [...identity.map((p) => p.text), boundary?.text, resource?.text]) if (text) used.add(...contextKeysUsed(text));
  const missing = used.keys.filter((k) => !provided.has(k));

  const simulator = new Simulator({ principal, identity, boundary, resourcePolicy: resource?.evaluated, resourceOwner, context, missing });
  const page = pageList(input.ActionNames.map((action, i) => ({ action, i })), input, (a) => String(a.i));
  return {
    EvaluationResults: page.items.map((a) => simulator.action(a.action, input.ResourceArns)),
    IsTruncated: page.IsTruncated,
    ...(page.Marker ? { Marker: page.Marker } : {}),
  };
}

/** A source entity's resource tags, for conditions on aws:ResourceTag in the caller's policies. */
const entityTags = (ctx: RequestContext, arn: string) => {
  const m = ENTITY_ARN.exec(arn);
  return m ? tagRecord(getEntity(ctx.app.store, m[2] as EntityType, m[3])?.Tags) : {};
};

const keyNames = (texts: string[]) => {
  const keys = new KeyList();
  for (const t of texts) if (t) keys.add(...contextKeysUsed(t));
  return { ContextKeyNames: keys.keys };
};

export const operations: Record<string, OperationHandler> = {
  SimulatePrincipalPolicy(input: SimulateInput & { PolicySourceArn: string }, ctx) {
    ctx.authorize({ action: 'iam:SimulatePrincipalPolicy', resource: input.PolicySourceArn, resourceTags: entityTags(ctx, input.PolicySourceArn) });
    return simulate(ctx, input, loadSubject(ctx, input.PolicySourceArn));
  },
  SimulateCustomPolicy(input: SimulateInput, ctx) {
    ctx.authorize({ action: 'iam:SimulateCustomPolicy', resource: '*' });
    return simulate(ctx, input, undefined);
  },
  GetContextKeysForPrincipalPolicy(input: { PolicySourceArn: string; PolicyInputList?: string[] }, ctx) {
    ctx.authorize({ action: 'iam:GetContextKeysForPrincipalPolicy', resource: input.PolicySourceArn, resourceTags: entityTags(ctx, input.PolicySourceArn) });
    const subject = loadSubject(ctx, input.PolicySourceArn);
    const extra = inputPolicies(input.PolicyInputList, 'PolicyInputList', 'identity');
    return keyNames([...subject.identity, ...extra].map((p) => p.text));
  },
  GetContextKeysForCustomPolicy(input: { PolicyInputList: string[] }, ctx) {
    ctx.authorize({ action: 'iam:GetContextKeysForCustomPolicy', resource: '*' });
    return keyNames(inputPolicies(input.PolicyInputList, 'PolicyInputList', 'identity').map((p) => p.text));
  },
};
