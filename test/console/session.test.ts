// Sign-in, the session cookie, CSRF protection, sign-out and idle expiry.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startTailor, aws, awsOk, ROOT } from '../integration/support.js';
import { openConsole, skipWithoutChromium, type Tailor } from './support.js';

let tailor: Tailor;
let offset = 0;
before(async () => {
  tailor = await startTailor({ now: () => new Date(Date.now() + offset) });
  await awsOk(tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'carol']);
  await awsOk(tailor.url, ROOT, ['iam', 'create-login-profile', '--user-name', 'carol', '--password', 'Carol-password-1']);
});
after(async () => {
  await tailor?.stop();
});
// Tests that move the server's clock put it back: the browser signs with the real time.
afterEach(() => {
  offset = 0;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${tailor.url}/console/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function signIn(body: unknown) {
  const r = await post('signin', body);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  return { r, cookie, answer: await r.json() };
}

test('a failed sign-in reads the same whatever was wrong', async () => {
  const wrong = [
    { mode: 'user', accountId: '000000000000', userName: 'carol', password: 'wrong-Password-1' },
    { mode: 'user', accountId: '000000000000', userName: 'nobody', password: 'Carol-password-1' },
    { mode: 'user', accountId: '111111111111', userName: 'carol', password: 'Carol-password-1' },
    { mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: 'nope' },
    { mode: 'root', accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: ROOT.secretAccessKey },
    { mode: 'access-key', accessKeyId: '', secretAccessKey: '' },
    { mode: 'something' },
  ];
  for (const body of wrong) {
    const { r, cookie, answer } = await signIn(body);
    assert.equal(r.status, 401);
    assert.equal(cookie, '');
    assert.deepEqual(answer, { code: 'SignInFailed', message: 'Your authentication information is incorrect. Please try again.' });
  }
});

test('session credentials are real STS session credentials for the signed-in principal', async () => {
  const { r, answer } = await signIn({ mode: 'user', accountId: '000000000000', userName: 'carol', password: 'Carol-password-1' });
  assert.equal(r.status, 200);
  assert.equal(answer.principalArn, 'arn:aws:iam::000000000000:user/carol');
  assert.match(answer.credentials.accessKeyId, /^ASIA/);
  const who = await awsOk(tailor.url, answer.credentials, ['sts', 'get-caller-identity']);
  assert.equal(who.Arn, 'arn:aws:iam::000000000000:user/carol');
});

test('access-key sign-in takes long-term keys only; credentials are renewed before they expire', async () => {
  const key = (await awsOk(tailor.url, ROOT, ['iam', 'create-access-key', '--user-name', 'carol'])).AccessKey;
  const { answer } = await signIn({ mode: 'access-key', accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey });
  assert.equal(answer.principalArn, 'arn:aws:iam::000000000000:user/carol');
  // Session credentials cannot open another session (GetSessionToken refuses them too).
  const again = await signIn({ mode: 'access-key', accessKeyId: answer.credentials.accessKeyId, secretAccessKey: answer.credentials.secretAccessKey });
  assert.equal(again.r.status, 401);
  // A root key is not an IAM user's: 'access-key' accepts it, 'root' accepts nothing else.
  assert.equal((await signIn({ mode: 'root', accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey })).r.status, 401);

  const { cookie, answer: first } = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  const lifetime = Date.parse(first.credentials.expiration) - (Date.now() + offset);
  assert.ok(lifetime > 14 * 60_000 && lifetime <= 15 * 60_000, `credentials last 15 minutes (${lifetime} ms)`);
  const session = async () => (await fetch(`${tailor.url}/console/api/session`, { headers: { cookie, 'x-csrf-token': first.csrfToken } })).json();
  assert.equal((await session()).credentials.accessKeyId, first.credentials.accessKeyId, 'fresh credentials are kept');
  offset += 6 * 60_000;
  const renewed = await session();
  assert.notEqual(renewed.credentials.accessKeyId, first.credentials.accessKeyId, 'renewed with less than 10 minutes left');
});

test('cookie flags, CSRF refusals, cross-site refusal, sign-out', async () => {
  const { r, cookie, answer } = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  const flags = r.headers.get('set-cookie')!;
  assert.match(flags, /HttpOnly/);
  assert.match(flags, /SameSite=Strict/);
  assert.match(flags, /Path=\/console/);
  const session = (headers: Record<string, string>) => fetch(`${tailor.url}/console/api/session`, { headers });
  assert.equal((await session({ cookie })).status, 401, 'no CSRF token');
  assert.equal((await session({ cookie, 'x-csrf-token': 'forged' })).status, 401, 'wrong CSRF token');
  assert.equal((await session({ 'x-csrf-token': answer.csrfToken })).status, 401, 'no cookie');
  assert.equal((await session({ cookie, 'x-csrf-token': answer.csrfToken })).status, 200);
  // A cross-site page: forged Origin, or a form post (not JSON).
  assert.equal((await post('signout', {}, { cookie, 'x-csrf-token': answer.csrfToken, origin: 'https://evil.example' })).status, 403);
  const form = await fetch(`${tailor.url}/console/api/signout`, { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': answer.csrfToken }, body: 'a=1' });
  assert.equal(form.status, 403);
  assert.equal((await post('signout', {}, { cookie })).status, 403, 'sign-out without the token');
  const { accessKeyId, secretAccessKey, sessionToken } = answer.credentials;
  const creds = { accessKeyId, secretAccessKey, sessionToken };
  assert.equal((await awsOk(tailor.url, creds, ['sts', 'get-caller-identity'])).Arn, 'arn:aws:iam::000000000000:root');
  const out = await post('signout', {}, { cookie, 'x-csrf-token': answer.csrfToken });
  assert.equal(out.status, 200);
  assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
  assert.equal((await session({ cookie, 'x-csrf-token': answer.csrfToken })).status, 401, 'signed out');
  // Sign-out revokes the page's credentials at once, not at their expiry.
  const after = await aws(tailor.url, creds, ['sts', 'get-caller-identity']);
  assert.notEqual(after.status, 0);
  assert.match(after.stderr, /InvalidClientTokenId/);
});

test('idle expiry: a session unused for 15 minutes is gone', async () => {
  const { cookie, answer } = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  const session = () => fetch(`${tailor.url}/console/api/session`, { headers: { cookie, 'x-csrf-token': answer.csrfToken } });
  offset += 14 * 60_000;
  assert.equal((await session()).status, 200, 'still active after 14 minutes');
  offset += 16 * 60_000;
  assert.equal((await session()).status, 401, 'expired after 16 idle minutes');
});

test('in the browser: sign in, reload keeps the session, sign out returns to sign-in', { skip: skipWithoutChromium }, async () => {
  const c = await openConsole({ tailor });
  try {
    const { page } = c;
    await page.getByRole('radio', { name: 'IAM user' }).check();
    await page.getByLabel('Account ID (12 digits)').fill('000000000000');
    await page.getByLabel('IAM user name').fill('carol');
    await page.getByLabel('Password', { exact: true }).fill('not-her-Password-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.getByRole('alert').innerText(), /Your authentication information is incorrect/);
    await c.signInAsUser('carol', 'Carol-password-1');
    const cookies = await page.context().cookies();
    assert.equal(cookies.length, 1);
    assert.equal(cookies[0].httpOnly, true);
    assert.equal(cookies[0].sameSite, 'Strict');
    assert.equal(cookies[0].path, '/console');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the page script cannot read the session cookie');
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.match(await page.locator('header').innerText(), /user\/carol/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.match(await page.getByRole('status').innerText(), /You have signed out/);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  } finally {
    await c.close();
  }
});
