import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policySize } from '../../policy/index.js';
import {
  decodeDocument, inlineDocument, managedDocument, readDocument, trustDocument, INLINE_POLICY_LIMIT, MANAGED_POLICY_LIMIT, TRUST_POLICY_LIMIT,
} from './policy-documents.js';

const code = (c: string, message?: string) => (e: any) => {
  assert.equal(e.code, c);
  if (message !== undefined) assert.equal(e.message, message);
  return true;
};
/** A valid identity document of exactly `size` counted characters (padded in the Sid). */
const sized = (size: number) => {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] });
  return base.replace('"Sid":""', `"Sid":"${'a'.repeat(size - base.length)}"`);
};
const trustSized = (size: number) => {
  const base = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  return base.replace('"Sid":""', `"Sid":"${'a'.repeat(size - base.length)}"`);
};

test('URL-encoded documents are decoded; others are left as they are', () => {
  const text = sized(200);
  assert.equal(decodeDocument(encodeURIComponent(text)), text);
  assert.equal(decodeDocument(`  ${encodeURIComponent(text)}`), `  ${text}`);
  assert.equal(decodeDocument(text), text);
  assert.equal(decodeDocument('%7B%E0%A4%A'), '%7B%E0%A4%A');
});

test('malformed documents answer MalformedPolicyDocument with the engine\'s message', () => {
  assert.throws(() => readDocument('{"Version":', 'identity'), code('MalformedPolicyDocument', 'This policy contains invalid Json'));
  assert.throws(() => readDocument('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}', 'identity'),
    code('MalformedPolicyDocument', 'Policy statement must contain resources.'));
  assert.equal(readDocument(encodeURIComponent(sized(200)), 'identity'), sized(200));
});

test('managed documents: 6,144 characters, white space not counted', () => {
  assert.equal(policySize(sized(MANAGED_POLICY_LIMIT)), MANAGED_POLICY_LIMIT);
  assert.equal(managedDocument(sized(MANAGED_POLICY_LIMIT)), sized(MANAGED_POLICY_LIMIT));
  const spaced = sized(MANAGED_POLICY_LIMIT).replace(/,/g, ' ,\n\t');
  assert.equal(managedDocument(spaced), spaced);
  assert.throws(() => managedDocument(sized(MANAGED_POLICY_LIMIT + 1)), code('LimitExceeded', 'Cannot exceed quota for PolicySize: 6144'));
});

test('trust documents: validated as trust policies, 2,048 characters', () => {
  assert.equal(trustDocument(trustSized(TRUST_POLICY_LIMIT)), trustSized(TRUST_POLICY_LIMIT));
  assert.throws(() => trustDocument(trustSized(TRUST_POLICY_LIMIT + 1)), code('LimitExceeded', 'Cannot exceed quota for ACLSizePerRole: 2048'));
  assert.throws(() => trustDocument(sized(200)), code('MalformedPolicyDocument'));
});

test('inline documents: the entity\'s quota covers the other inline policies too', () => {
  for (const [type, limit] of Object.entries(INLINE_POLICY_LIMIT) as [keyof typeof INLINE_POLICY_LIMIT, number][]) {
    assert.equal(inlineDocument(sized(200), type, 'E', limit - 200), sized(200));
    assert.throws(() => inlineDocument(sized(200), type, 'E', limit - 199), code('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${type} E`));
  }
});
