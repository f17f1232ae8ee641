import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kmsEnv, rolePrincipal, TEST_ACCOUNT, userPrincipal } from './test-support.js';

const alice = userPrincipal('alice');
const ALICE = alice.arn;

function setup() {
  const env = kmsEnv();
  const key = env.call('CreateKey', {}).KeyMetadata;
  const blob = (ec?: Record<string, string>) => env.call('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x'), EncryptionContext: ec }).CiphertextBlob;
  return { env, key, blob };
}

test('CreateGrant asks kms:CreateGrant with the grant condition keys and returns an id and a token', () => {
  const { env, key } = setup();
  try {
    const out = env.call('CreateGrant', {
      KeyId: key.KeyId, GranteePrincipal: ALICE, RetiringPrincipal: ALICE, Operations: ['Decrypt', 'Encrypt'],
      Constraints: { EncryptionContextSubset: { dept: 'a' } },
    });
    assert.match(out.GrantId, /^[0-9a-f]{64}$/);
    assert.ok(out.GrantToken.length > 40);
    const [q] = env.last.queries;
    assert.equal(q.action, 'kms:CreateGrant');
    assert.equal(q.resource, key.Arn);
    assert.deepEqual(q.context?.['kms:GrantOperations'], ['Decrypt', 'Encrypt']);
    assert.equal(q.context?.['kms:GranteePrincipal'], ALICE);
    assert.equal(q.context?.['kms:RetiringPrincipal'], ALICE);
    assert.equal(q.context?.['kms:GrantIsForAWSResource'], false);
    assert.equal(q.context?.['kms:GrantConstraintType'], 'EncryptionContextSubset');
    assert.equal(q.context?.['kms:EncryptionContext:dept'], 'a');
    const { Grants } = env.call('ListGrants', { KeyId: key.Arn });
    assert.equal(Grants.length, 1);
    assert.deepEqual({ ...Grants[0], CreationDate: undefined }, {
      KeyId: key.Arn, GrantId: out.GrantId, Name: undefined, CreationDate: undefined, GranteePrincipal: ALICE, RetiringPrincipal: ALICE,
      IssuingAccount: `arn:aws:iam::${TEST_ACCOUNT}:root`, Operations: ['Decrypt', 'Encrypt'], Constraints: { EncryptionContextSubset: { dept: 'a' } },
    });
  } finally {
    env.close();
  }
});

test('a grant allows its operations without any policy allowing them: the query carries the grant', () => {
  const { env, key, blob } = setup();
  try {
    const ciphertext = blob();
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt', 'DescribeKey'] });
    env.deny = () => true;
    assert.equal(env.call('Decrypt', { CiphertextBlob: ciphertext }, alice).Plaintext.toString(), 'x');
    assert.equal(env.last.authorized, true);
    assert.equal(env.last.queries.length, 1);
    assert.ok(env.last.queries[0].grantedBy);
    env.call('DescribeKey', { KeyId: key.KeyId }, alice);
    assert.ok(env.last.queries[0].grantedBy);
    // Operations the grant does not list still go to the policies.
    assert.throws(() => env.call('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('y') }, alice), { code: 'AccessDenied' });
    // Someone the grant does not name gets no help from it.
    assert.throws(() => env.call('Decrypt', { CiphertextBlob: ciphertext }, userPrincipal('mallory')), { code: 'AccessDenied' });
  } finally {
    env.close();
  }
});

test('grant constraints: EncryptionContextSubset and EncryptionContextEquals', () => {
  const { env, key, blob } = setup();
  try {
    const bob = userPrincipal('bob');
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'], Constraints: { EncryptionContextSubset: { dept: 'a' } } });
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: bob.arn, Operations: ['Decrypt'], Constraints: { EncryptionContextEquals: { dept: 'a' } } });
    const exact = blob({ dept: 'a' });
    const wider = blob({ dept: 'a', team: 't' });
    const other = blob({ dept: 'b' });
    env.deny = () => true;
    const decrypt = (ciphertext: Buffer, ec: Record<string, string>, p = alice) => env.call('Decrypt', { CiphertextBlob: ciphertext, EncryptionContext: ec }, p);
    decrypt(exact, { dept: 'a' });
    decrypt(wider, { dept: 'a', team: 't' });
    assert.throws(() => decrypt(other, { dept: 'b' }), { code: 'AccessDenied' });
    decrypt(exact, { dept: 'a' }, bob);
    assert.throws(() => decrypt(wider, { dept: 'a', team: 't' }, bob), { code: 'AccessDenied' });
  } finally {
    env.close();
  }
});

test('a grant to a role applies to its sessions', () => {
  const { env, key, blob } = setup();
  try {
    const session = rolePrincipal('reader', 's1');
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: session.roleArn, Operations: ['Decrypt'] });
    const ciphertext = blob();
    env.deny = () => true;
    env.call('Decrypt', { CiphertextBlob: ciphertext }, session);
    assert.ok(env.last.queries.every((q) => q.grantedBy));
  } finally {
    env.close();
  }
});

test('a grant with CreateGrant lets its grantee pass on a subset of its operations', () => {
  const { env, key } = setup();
  try {
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt', 'Encrypt', 'CreateGrant'] });
    env.deny = () => true;
    env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/bob', Operations: ['Decrypt'] }, alice);
    assert.ok(env.last.queries.every((q) => q.grantedBy));
    assert.throws(() => env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/bob', Operations: ['ReEncryptFrom'] }, alice), { code: 'AccessDenied' });
  } finally {
    env.close();
  }
});

test('CreateGrant refuses disabled keys, bad operations and bad tokens; a named grant is created once', () => {
  const { env, key } = setup();
  try {
    assert.throws(() => env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Sign'] }), { code: 'ValidationException' });
    assert.throws(() => env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'], GrantTokens: ['junk'] }), { code: 'InvalidGrantTokenException' });
    const a = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt', 'Encrypt'], Name: 'n' });
    const b = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Encrypt', 'Decrypt'], Name: 'n' });
    assert.equal(a.GrantId, b.GrantId);
    const c = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'], Name: 'n' });
    assert.notEqual(c.GrantId, a.GrantId);
    env.call('Encrypt', { KeyId: key.KeyId, Plaintext: Buffer.from('x'), GrantTokens: [a.GrantToken] });
    env.call('DisableKey', { KeyId: key.KeyId });
    assert.throws(() => env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] }), { code: 'DisabledException', message: `${key.Arn} is disabled.` });
  } finally {
    env.close();
  }
});

test('ListGrants filters by GrantId and GranteePrincipal and pages', () => {
  const { env, key } = setup();
  try {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: `arn:aws:iam::000000000000:user/u${i}`, Operations: ['Decrypt'] }).GrantId);
    assert.deepEqual(env.call('ListGrants', { KeyId: key.KeyId, GrantId: ids[1] }).Grants.map((g: { GrantId: string }) => g.GrantId), [ids[1]]);
    assert.equal(env.call('ListGrants', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/u2' }).Grants[0].GrantId, ids[2]);
    const first = env.call('ListGrants', { KeyId: key.KeyId, Limit: 2 });
    assert.equal(first.Truncated, true);
    const second = env.call('ListGrants', { KeyId: key.KeyId, Limit: 2, Marker: first.NextMarker });
    assert.equal(second.Truncated, false);
    assert.deepEqual(new Set([...first.Grants, ...second.Grants].map((g: { GrantId: string }) => g.GrantId)), new Set(ids));
    assert.equal(env.last.queries[0].action, 'kms:ListGrants');
  } finally {
    env.close();
  }
});

test('RetireGrant: the retiring principal needs no policy; others need kms:RetireGrant; by token or by id', () => {
  const { env, key } = setup();
  try {
    const g1 = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: 'arn:aws:iam::000000000000:user/x', RetiringPrincipal: ALICE, Operations: ['Decrypt'] });
    const g2 = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt', 'RetireGrant'] });
    const g3 = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] });
    const retirable = env.call('ListRetirableGrants', { RetiringPrincipal: ALICE });
    assert.deepEqual(retirable.Grants.map((g: { GrantId: string }) => g.GrantId), [g1.GrantId]);
    assert.deepEqual(env.last.queries.map((q) => [q.action, q.resource]), [['kms:ListRetirableGrants', '*']]);
    env.deny = () => true;
    env.call('RetireGrant', { GrantToken: g1.GrantToken }, alice);
    assert.equal(env.last.queries.length, 0);
    env.call('RetireGrant', { KeyId: key.Arn, GrantId: g2.GrantId }, alice);
    assert.equal(env.last.queries.length, 0);
    assert.throws(() => env.call('RetireGrant', { KeyId: key.KeyId, GrantId: g3.GrantId }, alice), { code: 'AccessDenied' });
    assert.equal(env.last.queries[0].action, 'kms:RetireGrant');
    env.deny = undefined;
    assert.throws(() => env.call('RetireGrant', { GrantToken: g1.GrantToken }), { code: 'InvalidGrantTokenException' });
    assert.throws(() => env.call('RetireGrant', { KeyId: key.KeyId, GrantId: g1.GrantId }), { code: 'InvalidGrantIdException' });
    assert.throws(() => env.call('RetireGrant', {}), { code: 'ValidationException' });
    assert.deepEqual(env.call('ListGrants', { KeyId: key.KeyId }).Grants.map((g: { GrantId: string }) => g.GrantId), [g3.GrantId]);
  } finally {
    env.close();
  }
});

test('RevokeGrant asks kms:RevokeGrant and removes the grant', () => {
  const { env, key, blob } = setup();
  try {
    const ciphertext = blob();
    const g = env.call('CreateGrant', { KeyId: key.KeyId, GranteePrincipal: ALICE, Operations: ['Decrypt'] });
    env.call('RevokeGrant', { KeyId: key.KeyId, GrantId: g.GrantId });
    assert.equal(env.last.queries[0].action, 'kms:RevokeGrant');
    assert.throws(() => env.call('RevokeGrant', { KeyId: key.KeyId, GrantId: g.GrantId }), { code: 'InvalidGrantIdException' });
    env.deny = () => true;
    assert.throws(() => env.call('Decrypt', { CiphertextBlob: ciphertext }, alice), { code: 'AccessDenied' });
  } finally {
    env.close();
  }
});
