// Runs the data-driven corpus in test/policy-corpus: every case names its policies, the caller, the
// request and the decision AWS documents for it (its `cite` says where).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { buildRequestContext, compilePolicy, denialMessage, evaluate, type CompiledPolicy, type PolicyType } from './index.js';
import type { Principal } from '../gateway/context.js';
import type { RequestContextOptions } from './request-context.js';

const dir = new URL('../../../test/policy-corpus/', import.meta.url);

type Doc = string | object;

interface Case {
  name: string;
  cite: string;
  principal: string;
  action: string;
  resource?: string;
  resourceAccount?: string;
  policies: {
    identity?: Doc[];
    boundary?: Doc;
    session?: Doc[];
    resource?: { type: 'resource' | 'trust' | 'key'; document: Doc };
  };
  request?: Omit<RequestContextOptions, 'principal' | 'now' | 'tokenIssueTime' | 'extra'> & { now?: string; tokenIssueTime?: string };
  context?: RequestContextOptions['extra'];
  federatedProvider?: string;
  canonicalUser?: string;
  expect: { decision: string; deniedBy?: PolicyType; matched?: string[]; message?: string };
}

const principals: Record<string, Principal> = JSON.parse(readFileSync(new URL('principals.json', dir), 'utf8'));
const files = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'principals.json');
const text = (d: Doc) => (typeof d === 'string' ? d : JSON.stringify(d));

let total = 0;
for (const file of files) {
  const cases: Case[] = JSON.parse(readFileSync(new URL(file, dir), 'utf8')).cases;
  total += cases.length;
  for (const c of cases) {
    test(`${file}: ${c.name}`, () => {
      assert.ok(c.cite && c.cite.length > 10, 'every case cites the AWS behaviour it encodes');
      const principal = principals[c.principal];
      assert.ok(principal, `unknown principal ${c.principal}`);
      const compile = (d: Doc, id: string, type: PolicyType): CompiledPolicy => compilePolicy(text(d), id, type);
      const r = c.request ?? {};
      const context = buildRequestContext({
        ...r,
        principal,
        now: new Date(r.now ?? '2024-06-15T12:00:00Z'),
        tokenIssueTime: r.tokenIssueTime ? new Date(r.tokenIssueTime) : undefined,
        extra: c.context,
      });
      const p = c.policies;
      const resource = c.resource ?? '*';
      const d = evaluate({
        principal,
        action: c.action,
        resource,
        context,
        identity: (p.identity ?? []).map((doc, i) => compile(doc, `identity-${i}`, 'identity')),
        boundary: p.boundary === undefined ? undefined : compile(p.boundary, 'boundary', 'boundary'),
        session: p.session?.map((doc, i) => compile(doc, `session-${i}`, 'session')),
        resourcePolicy: p.resource && compile(p.resource.document, 'resource', p.resource.type),
        resourceAccount: c.resourceAccount ?? principal.accountId,
        federatedProvider: c.federatedProvider,
        canonicalUser: c.canonicalUser,
      });
      assert.equal(d.decision, c.expect.decision);
      assert.equal(d.deniedBy, c.expect.deniedBy);
      if (c.expect.matched) assert.deepEqual(d.matched.map((m) => `${m.policyId}#${m.statementIndex}`).sort(), [...c.expect.matched].sort());
      if (c.expect.message) assert.equal(denialMessage(principal.arn, c.action, c.resource, d), c.expect.message);
    });
  }
}

test('the corpus holds at least 300 cases', () => {
  assert.ok(total >= 300, `only ${total} cases`);
});
