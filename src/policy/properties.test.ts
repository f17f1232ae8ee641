// Properties AWS's evaluation logic guarantees, checked on random policy sets and requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MalformedPolicyError, buildRequestContext, compilePolicy, evaluate, validatePolicy, type Decision, type PolicyType } from './index.js';
import type { Principal } from '../gateway/context.js';

const A = '111111111111';
const B = '222222222222';
const principals: Principal[] = [
  { type: 'user', arn: `arn:aws:iam::${A}:user/alice`, accountId: A, userId: 'AIDAALICEXXXXXXXXXXX', userName: 'alice', accessKeyId: 'K1' },
  { type: 'assumed-role', arn: `arn:aws:sts::${A}:assumed-role/app/s`, accountId: A, userId: 'AROAAPPXXXXXXXXXXXXX:s', roleName: 'app', roleArn: `arn:aws:iam::${A}:role/app`, sessionName: 's', accessKeyId: 'K2' },
  { type: 'user', arn: `arn:aws:iam::${B}:user/bob`, accountId: B, userId: 'AIDABOBXXXXXXXXXXXXX', userName: 'bob', accessKeyId: 'K3' },
  { type: 'root', arn: `arn:aws:iam::${A}:root`, accountId: A, userId: A, accessKeyId: 'K4' },
];

const actions = ['s3:GetObject', 's3:PutObject', 's3:*', 's3:Get*', 'iam:PassRole', '*', 'kms:Decrypt'];
const resources = ['*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b/x', 'arn:aws:s3:::b/${aws:username}', 'arn:aws:s3:::?/x', 'arn:aws:iam::*:role/*'];
const conditions = [
  undefined,
  { StringEquals: { 'aws:username': 'alice' } },
  { StringNotEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } },
  { Bool: { 'aws:SecureTransport': 'true' } },
  { 'ForAnyValue:StringLike': { 'aws:TagKeys': 'env*' } },
  { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } },
  { Null: { 'aws:TokenIssueTime': 'true' } },
];
const principalElements = ['*', { AWS: A }, { AWS: B }, { AWS: `arn:aws:iam::${A}:user/alice` }, { AWS: `arn:aws:iam::${A}:role/app` }, { AWS: `arn:aws:sts::${A}:assumed-role/app/s` }];

type Stmt = Record<string, unknown>;

const statement = (withPrincipal: boolean, effect?: 'Allow' | 'Deny'): fc.Arbitrary<Stmt> =>
  fc
    .record({
      effect: effect ? fc.constant(effect) : fc.constantFrom('Allow', 'Deny'),
      notAction: fc.boolean(),
      action: fc.subarray(actions, { minLength: 1 }),
      notResource: fc.boolean(),
      resource: fc.subarray(resources, { minLength: 1 }),
      condition: fc.constantFrom(...conditions),
      principal: fc.constantFrom(...principalElements),
      notPrincipal: fc.boolean(),
    })
    .map((r) => ({
      Effect: r.effect,
      [r.notAction ? 'NotAction' : 'Action']: r.action,
      [r.notResource ? 'NotResource' : 'Resource']: r.resource,
      ...(r.condition ? { Condition: r.condition } : {}),
      ...(withPrincipal ? { [r.notPrincipal && r.effect === 'Deny' ? 'NotPrincipal' : 'Principal']: r.principal } : {}),
    }));

const statements = (withPrincipal: boolean) => fc.array(statement(withPrincipal), { minLength: 1, maxLength: 4 });

const scenario = fc.record({
  identity: fc.array(statements(false), { maxLength: 3 }),
  boundary: fc.option(statements(false), { nil: undefined }),
  session: fc.option(fc.array(statements(false), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  resource: fc.option(fc.record({ type: fc.constantFrom<PolicyType>('resource', 'key'), statements: statements(true) }), { nil: undefined }),
  principal: fc.constantFrom(...principals),
  action: fc.constantFrom('s3:GetObject', 's3:PutObject', 'iam:PassRole', 'kms:Decrypt'),
  resource_: fc.constantFrom('arn:aws:s3:::b/x', 'arn:aws:s3:::b/alice', `arn:aws:iam::${A}:role/r`, '*'),
  resourceAccount: fc.constantFrom(A, B),
  secure: fc.boolean(),
  tags: fc.option(fc.dictionary(fc.constantFrom('env', 'team', 'cost'), fc.constantFrom('a', 'b')), { nil: undefined }),
  passedTo: fc.option(fc.constantFrom('personalize.amazonaws.com', 'ec2.amazonaws.com'), { nil: undefined }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

const doc = (st: Stmt[]) => JSON.stringify({ Version: '2012-10-17', Statement: st });

function decide(s: Scenario): Decision {
  return evaluate({
    principal: s.principal,
    action: s.action,
    resource: s.resource_,
    context: buildRequestContext({
      principal: s.principal,
      now: new Date('2024-06-15T12:00:00Z'),
      secureTransport: s.secure,
      requestTags: s.tags,
      extra: s.passedTo ? { 'iam:PassedToService': s.passedTo } : undefined,
    }),
    identity: s.identity.map((st, i) => compilePolicy(doc(st), `i${i}`, 'identity')),
    boundary: s.boundary && compilePolicy(doc(s.boundary), 'b', 'boundary'),
    session: s.session?.map((st, i) => compilePolicy(doc(st), `s${i}`, 'session')),
    resourcePolicy: s.resource && compilePolicy(doc(s.resource.statements), 'r', s.resource.type),
    resourceAccount: s.resourceAccount,
  });
}

const RUNS = { numRuns: 1500 };

/** Adds `st` to one of the scenario's policies, chosen by `where`. */
function add(s: Scenario, where: number, st: Stmt, principal: Stmt): Scenario {
  const slots = s.identity.length + (s.boundary ? 1 : 0) + (s.session ? s.session.length : 0) + (s.resource ? 1 : 0) + 1;
  let k = where % slots;
  if (k < s.identity.length) return { ...s, identity: s.identity.map((p, i) => (i === k ? [...p, st] : p)) };
  k -= s.identity.length;
  if (s.boundary && k-- === 0) return { ...s, boundary: [...s.boundary, st] };
  if (s.session) {
    if (k < s.session.length) return { ...s, session: s.session.map((p, i) => (i === k ? [...p, st] : p)) };
    k -= s.session.length;
  }
  if (s.resource && k-- === 0) return { ...s, resource: { ...s.resource, statements: [...s.resource.statements, { ...st, ...principal }] } };
  return { ...s, identity: [...s.identity, [st]] };
}

test('adding an explicit deny never turns a denial into an allow', () => {
  fc.assert(
    fc.property(scenario, statement(false, 'Deny'), fc.nat(), fc.constantFrom(...principalElements), (s, st, where, p) => {
      const before = decide(s);
      const after = decide(add(s, where, st, { Principal: p }));
      if (before.decision !== 'allowed') assert.notEqual(after.decision, 'allowed');
      if (before.decision === 'explicitDeny') assert.equal(after.decision, 'explicitDeny');
    }),
    RUNS,
  );
});

test('adding an allow statement never turns an allow into a denial', () => {
  fc.assert(
    fc.property(scenario, statement(false, 'Allow'), fc.nat(), fc.constantFrom(...principalElements), (s, st, where, p) => {
      if (decide(s).decision !== 'allowed') return;
      assert.equal(decide(add(s, where, st, { Principal: p })).decision, 'allowed');
    }),
    RUNS,
  );
});

test('the order of statements and of policies never matters', () => {
  const rev = <T>(xs: T[]) => [...xs].reverse();
  fc.assert(
    fc.property(scenario, (s) => {
      const before = decide(s);
      const after = decide({
        ...s,
        identity: rev(s.identity.map(rev)),
        boundary: s.boundary && rev(s.boundary),
        session: s.session && rev(s.session.map(rev)),
        resource: s.resource && { ...s.resource, statements: rev(s.resource.statements) },
      });
      assert.equal(after.decision, before.decision);
      assert.equal(after.deniedBy, before.deniedBy);
      assert.equal(after.matched.length, before.matched.length);
    }),
    RUNS,
  );
});

test('validation throws nothing but MalformedPolicyError', () => {
  const types: PolicyType[] = ['identity', 'resource', 'boundary', 'session', 'trust', 'key'];
  const check = (text: string) => {
    for (const type of types) {
      try {
        validatePolicy(text, type);
      } catch (e) {
        if (!(e instanceof MalformedPolicyError)) throw e;
      }
    }
  };
  fc.assert(fc.property(fc.json(), check), { numRuns: 1000 });
  fc.assert(fc.property(fc.string(), check), { numRuns: 500 });
  // Policy-shaped documents with random values in every element.
  const value = fc.oneof(fc.jsonValue(), fc.constantFrom('*', 's3:GetObject', 'arn:aws:s3:::b', 'Allow', 'Deny', '2012-10-17'));
  const st = fc.dictionary(fc.constantFrom('Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition', 'Other'), value);
  const policy = fc.record({ Version: value, Statement: fc.oneof(st, fc.array(st), value) }, { requiredKeys: [] });
  fc.assert(fc.property(policy, (p) => check(JSON.stringify(p))), { numRuns: 2000 });
});
