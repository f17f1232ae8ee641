// Steps 1–3: the user may use Personalize, may pass the role to Personalize and to no other service,
// and the role trusts Personalize for this account only (the confused-deputy conditions).
import type { AuthzQuery } from '../gateway/context.js';
import type { SetupCheck } from './check.js';
import { passRoleQuery } from '../services/personalize/authz.js';
import { findManagedPolicy, defaultDocument, isAwsManagedArn } from '../services/iam/aws-managed.js';
import { lower, type EntityType } from '../services/iam/schema.js';
import type { ResourceType } from '../services/personalize/arns.js';
import { Judge, fixable, type Verdict } from './judge.js';
import {
  SERVICE, adding, passRoleOnlyToPersonalize, passRoleToPersonalize, personalizeAccess, personalizeTrust, statementsOf,
  withCondition, withStatements, type Statement,
} from './fixes.js';
import { flowArn, inlineText, outcome, servicePrincipal, userPrincipal, type Setup } from './subjects.js';

/** What a person needs to run the guide's flow, and the resource each is asked about. */
const FLOW: [string, ResourceType][] = [
  ['CreateDatasetGroup', 'dataset-group'], ['CreateSchema', 'schema'], ['CreateDataset', 'dataset'],
  ['CreateDatasetImportJob', 'dataset-import-job'], ['CreateSolution', 'solution'], ['CreateSolutionVersion', 'solution'],
  ['CreateCampaign', 'campaign'], ['GetRecommendations', 'campaign'],
];

/** Any account but the caller's: the service acting for someone else. */
const OTHER_ACCOUNT = '111122223333';

const TITLE_1 = 'User can use Personalize';
export function userCanUsePersonalize(s: Setup): SetupCheck {
  const user = s.user;
  if (!user) return outcome(1, TITLE_1, false, `There is no IAM user named ${s.input.user}.`);
  const judge = new Judge(s.app, userPrincipal(user, s.accountId), s.region, s.now);
  const verdicts = FLOW.map(([op, type]) => judge.decide({ action: `personalize:${op}`, resource: flowArn(s, type) }));
  const refused = verdicts.find((v) => !v.allowed);
  if (!refused) {
    const actions = FLOW.map(([op]) => op).filter((op, i, all) => all.indexOf(op) === i).join(', ');
    return outcome(1, TITLE_1, true, `User ${user.UserName} is allowed personalize:${actions} (asked on resources named setup-check).`,
      judge.deciding(verdicts[0]));
  }
  const name = 'PersonalizeAccess';
  const fix = fixable(refused)
    ? { target: `inline policy ${name} of user ${user.UserName}`, json: adding(inlineText(s, 'user', user.UserName, name), personalizeAccess()) }
    : undefined;
  return outcome(1, TITLE_1, false, `${judge.message(refused)}.`, judge.deciding(refused), fix);
}

const TITLE_2 = 'User may pass the role only to Personalize';
export function userPassesRoleOnlyToPersonalize(s: Setup): SetupCheck {
  const { user, role } = s;
  if (!user) return outcome(2, TITLE_2, false, `There is no IAM user named ${s.input.user}.`);
  if (!role) return outcome(2, TITLE_2, false, `There is no IAM role named ${s.input.role}.`);
  const judge = new Judge(s.app, userPrincipal(user, s.accountId), s.region, s.now);
  const q = passRoleQuery(role.Arn, flowArn(s, 'dataset-import-job'));
  const toPersonalize = judge.decide(q);
  if (!toPersonalize.allowed) {
    const name = 'PersonalizePassRole';
    const fix = fixable(toPersonalize)
      ? { target: `inline policy ${name} of user ${user.UserName}`, json: adding(inlineText(s, 'user', user.UserName, name), passRoleToPersonalize(role.Arn)) }
      : undefined;
    return outcome(2, TITLE_2, false, `${judge.message(toPersonalize)} (with iam:PassedToService ${SERVICE}).`, judge.deciding(toPersonalize), fix);
  }
  const other = 'ec2.amazonaws.com';
  const toOther = judge.decide({ ...q, context: { ...q.context, 'iam:PassedToService': other } });
  if (toOther.allowed) {
    return outcome(2, TITLE_2, false,
      `User ${user.UserName} may pass role ${role.RoleName} to any service: iam:PassRole is allowed with iam:PassedToService ${other} too.`,
      judge.deciding(toOther), narrowPassRole(s, toOther));
  }
  return outcome(2, TITLE_2, true,
    `User ${user.UserName} may pass role ${role.RoleName} to ${SERVICE}, and not to another service (${other} is refused).`,
    judge.deciding(toPersonalize));
}

/**
 * The fix for a PassRole allowed for every service: when one editable policy allows it with statements
 * about iam:PassRole alone, those statements get the iam:PassedToService condition; otherwise (an AWS
 * managed policy, statements that also allow other actions) a Deny for every other service is added.
 */
function narrowPassRole(s: Setup, v: Verdict): SetupCheck['fix'] {
  const ids = new Set(v.decision.matched.map((m) => m.policyId));
  const only = ids.size === 1 ? [...ids][0] : undefined;
  const where = only === undefined ? undefined : editable(s, only);
  const statements = statementsOf(where?.text);
  const indexes = new Set(v.decision.matched.map((m) => m.statementIndex));
  if (where && [...indexes].every((i) => statements[i] && passRoleOnly(statements[i]))) {
    const json = withStatements(where.text, statements.map((st, i) =>
      (indexes.has(i) ? withCondition(st, 'StringEquals', 'iam:PassedToService', SERVICE) : st)));
    return { target: where.target, json };
  }
  const name = 'PersonalizePassRoleOnly';
  const user = s.user!.UserName;
  return { target: `inline policy ${name} of user ${user}`, json: adding(inlineText(s, 'user', user, name), passRoleOnlyToPersonalize(v.query.resource)) };
}

/** A policy the account may change, with its text and how a person names it. */
function editable(s: Setup, id: string): { text: string; target: string } | undefined {
  if (id.startsWith('arn:')) {
    const policy = isAwsManagedArn(id) ? undefined : findManagedPolicy(s.app.store, id);
    const text = policy && defaultDocument(s.app.store, policy);
    return text === undefined ? undefined : { text, target: `managed policy ${id} (as its new default version)` };
  }
  const [type, entity, name] = id.split('/') as [EntityType, string, string];
  const text = inlineText(s, type, entity, name);
  return text === undefined ? undefined : { text, target: `inline policy ${name} of ${type} ${entity}` };
}

const passRoleOnly = (st: Statement) =>
  st.NotAction === undefined && [st.Action ?? []].flat().every((a) => lower(a) === 'iam:passrole');

/**
 * A trust statement limited to the account: aws:SourceAccount always; aws:SourceArn too when the statement
 * trusts Personalize alone (other services it trusts send other source ARNs).
 */
function confine(st: Statement, accountId: string): Statement {
  const scoped = withCondition(st, 'StringEquals', 'aws:SourceAccount', accountId);
  const principal = st.Principal as { Service?: unknown } | undefined;
  const personalizeOnly = principal && Object.keys(principal).length === 1 && [principal.Service].flat().every((p) => p === SERVICE);
  return personalizeOnly ? withCondition(scoped, 'ArnLike', 'aws:SourceArn', `arn:aws:personalize:*:${accountId}:*`) : scoped;
}

const TITLE_3 = 'Role trusts Personalize, for this account only';
export function roleTrustsPersonalize(s: Setup): SetupCheck {
  const { role } = s;
  if (!role) return outcome(3, TITLE_3, false, `There is no IAM role named ${s.input.role}.`);
  // As the job path asks: the service over TLS, for a job of the account.
  const judge = new Judge(s.app, servicePrincipal(s.accountId), s.region, s.now, { secure: true });
  const trust = role.AssumeRolePolicyDocument;
  const assume = (account: string): AuthzQuery => ({
    action: 'sts:AssumeRole', resource: role.Arn,
    context: { 'aws:SourceAccount': account, 'aws:SourceArn': flowArn(s, 'dataset-import-job', account) },
    resourcePolicy: { text: trust, id: role.Arn, kind: 'trust' }, resourceAccount: s.accountId,
  });
  const target = `trust policy of role ${role.RoleName}`;
  const own = judge.decide(assume(s.accountId));
  if (!own.allowed) {
    const fix = own.decision.decision === 'implicitDeny' ? { target, json: adding(trust, personalizeTrust(s.accountId)) } : undefined;
    return outcome(3, TITLE_3, false, `The trust policy of role ${role.RoleName} does not let ${SERVICE} assume it for account ${s.accountId}.`,
      judge.deciding(own), fix);
  }
  const foreign = judge.decide(assume(OTHER_ACCOUNT));
  if (foreign.allowed) {
    const indexes = new Set(foreign.decision.matched.map((m) => m.statementIndex));
    const json = withStatements(trust, statementsOf(trust).map((st, i) => (indexes.has(i) ? confine(st, s.accountId) : st)));
    return outcome(3, TITLE_3, false,
      `The trust policy of role ${role.RoleName} lets ${SERVICE} assume it on behalf of any account (aws:SourceAccount ${OTHER_ACCOUNT} is allowed): it lacks the aws:SourceAccount condition.`,
      judge.deciding(foreign), { target, json });
  }
  return outcome(3, TITLE_3, true,
    `The trust policy of role ${role.RoleName} lets ${SERVICE} assume it for account ${s.accountId}, and not on behalf of another account.`,
    judge.deciding(own));
}
