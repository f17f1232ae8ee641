// `tailor why`: the decision the server would make for a principal, an action and a resource, and the
// statements that make it, read from a data dir's store. Exit code: 0 allowed, 1 denied, 2 usage error.
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ContextValues, Principal } from '../gateway/context.js';
import type { MetadataStore } from '../storage/metadata/store.js';
import { SqliteStore } from '../storage/metadata/sqlite.js';
import { buildRequestContext, compilePolicy, denialMessage, evaluate, normalizeKey, type MatchedStatement, type PolicyType } from '../policy/index.js';
import { contextKeysUsed, KeyList } from '../policy/context-keys-used.js';
import { statementText } from '../policy/statement-positions.js';
import type { SimulationPolicy } from '../policy/simulation.js';
import { policySources, type PolicySources } from '../services/iam/simulate.js';
import { KIND as IAM, lower, type RoleDoc, type SessionDoc, type UserDoc } from '../services/iam/schema.js';
import { tagRecord } from '../services/iam/tags.js';
import { KIND as KMS, keyStoreId, type KeyDoc } from '../services/kms/schema.js';
import { KIND as S3, type BucketDoc } from '../services/s3/schema.js';

const USAGE = `Usage: tailor why --principal ARN --action SERVICE:ACTION [--resource ARN] [--context KEY=VALUE ...] [--data-dir DIR]

Explains whether the principal (an IAM user, a role, an assumed-role session or the root user) may
perform the action on the resource (default "*"), as the server would decide it with the data in DIR,
and prints the statements that decide. --context adds request-context values (repeat a key for a list);
keys a live request would carry (aws:SourceIp, aws:RequestedRegion, aws:SecureTransport…) are unset unless given.
Exit status: 0 allowed, 1 denied, 2 usage error.`;

class UsageError extends Error {}

/** A policy of the decision with the text and wording `why` shows for it. */
interface Shown {
  text: string;
  label: string;
}

const USER = /^arn:aws:iam::(\d{12}):user(?:\/[^/]+)*\/([^/]+)$/;
const ROLE = /^arn:aws:iam::(\d{12}):role(?:\/[^/]+)*\/([^/]+)$/;
const SESSION = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;
const ROOT = /^arn:aws:iam::(\d{12}):root$/;

export async function why(args: string[]): Promise<number> {
  try {
    return explain(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tailor why: ${e.message}\n${USAGE}\n`);
    return 2;
  }
}

function explain(args: string[]): number {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        principal: { type: 'string' },
        action: { type: 'string' },
        resource: { type: 'string', default: '*' },
        context: { type: 'string', multiple: true, default: [] },
        'data-dir': { type: 'string', default: process.env.TAILOR_DATA_DIR ?? './.tailor' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { principal: arn, action, resource } = values as { principal?: string; action?: string; resource: string };
  if (!arn) throw new UsageError('--principal is required');
  if (!action || !/^[A-Za-z0-9-]+:[A-Za-z0-9*?_-]+$/.test(action)) throw new UsageError('--action must be SERVICE:ACTION, e.g. personalize:GetRecommendations');
  const extra = contextArgs(values.context as string[]);
  const dir = resolve(values['data-dir'] as string);
  const file = join(dir, 'metadata.sqlite');
  if (!existsSync(file)) throw new UsageError(`no Tailor data in ${dir}`);

  const store = new SqliteStore(file);
  try {
    const principal = resolvePrincipal(store, arn);
    const sources: PolicySources = principal.type === 'root' ? { identity: [], tags: {} } : policySources(store, principal);
    const rp = resourcePolicy(store, action, resource);
    const context = buildRequestContext({ principal, principalTags: sources.tags, now: new Date(), resourceTags: rp?.tags, extra });
    const decision = evaluate({
      principal, action, resource, context,
      identity: sources.identity.map((p) => p.policy),
      boundary: sources.boundary?.policy,
      session: sources.session?.map((p) => p.policy),
      resourcePolicy: rp?.policy,
      resourceAccount: rp?.account ?? principal.accountId,
    });

    const shown = new Map<string, Shown>();
    const show = (p: SimulationPolicy, label: string) => shown.set(`${p.policy.type}\n${p.policy.id}`, { text: p.text, label });
    for (const p of sources.identity) show(p, `identity policy ${policyName(p)}`);
    if (sources.boundary) show(sources.boundary, `permissions boundary ${sources.boundary.policy.id}`);
    for (const p of sources.session ?? []) show(p, p.sourceId);
    if (rp) shown.set(`${rp.policy.type}\n${rp.policy.id}`, { text: rp.text, label: `${rp.noun} of ${rp.policy.id}` });

    const out: string[] = [`${decision.decision}: ${principal.arn} → ${action} on ${resource}`];
    if (decision.decision !== 'allowed') out.push(denialMessage(principal.arn, action, resource === '*' ? undefined : resource, decision));
    if (decision.matched.length > 0) out.push(decision.decision === 'allowed' ? 'Allowed by:' : 'Denied by:');
    for (const m of decision.matched) out.push(...describe(m, shown.get(`${m.policyType}\n${m.policyId}`)));
    const used = new KeyList();
    for (const s of shown.values()) used.add(...contextKeysUsed(s.text));
    const lacking = used.keys.filter((k) => context[normalizeKey(k)] === undefined);
    if (lacking.length > 0) out.push(`Context keys the policies use that this request lacks (add with --context KEY=VALUE): ${lacking.join(', ')}`);
    process.stdout.write(out.join('\n') + '\n');
    return decision.decision === 'allowed' ? 0 : 1;
  } finally {
    store.close();
  }
}

/** `KEY=VALUE` pairs; a key given more than once holds the list of its values. */
function contextArgs(pairs: string[]): ContextValues {
  const out: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--context ${pair}: expected KEY=VALUE`);
    const [key, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
    const prev = out[key];
    out[key] = prev === undefined ? value : [...(Array.isArray(prev) ? prev : [prev]), value];
  }
  return out;
}

/** The principal an ARN names, as authentication would have established it. */
function resolvePrincipal(store: MetadataStore, arn: string): Principal {
  let m: RegExpExecArray | null;
  if ((m = ROOT.exec(arn))) return { type: 'root', arn, accountId: m[1], userId: m[1], accessKeyId: '' };
  if ((m = USER.exec(arn))) {
    const user = store.get<UserDoc>(IAM.user, lower(m[2]));
    if (!user) throw new UsageError(`no user named ${m[2]}`);
    return { type: 'user', arn: user.Arn, accountId: m[1], userId: user.UserId, userName: user.UserName, accessKeyId: '' };
  }
  const session = SESSION.exec(arn);
  const roleName = session?.[2] ?? ROLE.exec(arn)?.[2];
  if (roleName === undefined) throw new UsageError(`--principal ${arn}: expected a user, role, assumed-role session or root ARN`);
  const role = store.get<RoleDoc>(IAM.role, lower(roleName));
  if (!role) throw new UsageError(`no role named ${roleName}`);
  if (session) {
    // A live session carries its own session policies and tags; the latest one issued under this ARN is used.
    const now = new Date().toISOString();
    const live = store.list<SessionDoc>(IAM.session).filter((s) => s.Principal.arn === arn && s.Expiration > now);
    const latest = live.sort((a, b) => (a.Expiration < b.Expiration ? 1 : -1))[0];
    if (latest) return latest.Principal;
  }
  const accountId = role.Arn.split(':')[4];
  return {
    type: 'assumed-role', arn: session ? arn : role.Arn, accountId, userId: session ? `${role.RoleId}:${session[3]}` : role.RoleId,
    roleName: role.RoleName, roleArn: role.Arn, sessionName: session?.[3], accessKeyId: `why:${arn}`,
  };
}

/** The resource's own policy the server would consult: a role's trust policy, a KMS key policy, a bucket policy. */
function resourcePolicy(store: MetadataStore, action: string, resource: string) {
  const compiled = (text: string, kind: PolicyType, noun: string, account: string, tags: Record<string, string>) =>
    ({ policy: compilePolicy(text, resource, kind), text, noun, account, tags });
  const [, , service, region, account, rest = ''] = resource.split(':');
  const role = ROLE.exec(resource);
  if (role && lower(action).startsWith('sts:')) {
    const doc = store.get<RoleDoc>(IAM.role, lower(role[2]));
    return doc && compiled(doc.AssumeRolePolicyDocument, 'trust', 'role trust policy', role[1], tagRecord(doc.Tags));
  }
  if (service === 'kms' && rest.startsWith('key/')) {
    const key = store.get<KeyDoc>(KMS.key, keyStoreId(account, region, rest.slice(4)));
    return key && compiled(key.Policy, 'key', 'key policy', key.AccountId, Object.fromEntries(key.Tags.map((t) => [t.TagKey, t.TagValue])));
  }
  if (service === 's3' && rest) {
    const bucket = store.get<BucketDoc>(S3.bucket, rest.split('/')[0]);
    return bucket?.Policy ? compiled(bucket.Policy, 'resource', 'bucket policy', bucket.Owner, {}) : undefined;
  }
  return undefined;
}

const policyName = (p: SimulationPolicy) => (p.policy.id.startsWith('arn:') ? p.policy.id : `${p.sourceId} (inline)`);

/** One deciding statement: where it is, then its text. */
function describe(m: MatchedStatement, policy: Shown | undefined): string[] {
  const where = `  ${policy?.label ?? m.policyId}, Statement[${m.statementIndex}]${m.sid ? ` (Sid ${m.sid})` : ''}, line ${m.start.line}`;
  if (!policy) return [where];
  const text = statementText(policy.text, m);
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    pretty = text;
  }
  return [where + ':', ...pretty.split('\n').map((l) => `    ${l}`)];
}
