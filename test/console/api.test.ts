// The console's own API without a browser: the page and its modules, models, policy validation and the setup check.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTailor, awsOk, ROOT } from '../integration/support.js';
import { KIND as PERSONALIZE } from '../../src/services/personalize/schema.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
before(async () => {
  tailor = await startTailor();
});
after(async () => {
  await tailor?.stop();
});

async function signIn(body: unknown) {
  const r = await fetch(`${tailor.url}/console/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  const answer = await r.json();
  const headers = { cookie: r.headers.get('set-cookie')!.split(';')[0], 'x-csrf-token': answer.csrfToken, 'content-type': 'application/json' };
  return (path: string, payload: unknown) => fetch(`${tailor.url}/console/api/${path}`, { method: 'POST', headers, body: JSON.stringify(payload) });
}

test('the page, its modules and the service models are served; other paths are not', async () => {
  const page = await fetch(`${tailor.url}/console`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy')!, /default-src 'self'/);
  assert.match(await page.text(), /<script type="module" src="\/console\/ui\/app\.js">/);
  const app = await fetch(`${tailor.url}/console/ui/app.js`);
  assert.equal(app.status, 200);
  assert.equal(app.headers.get('content-type'), 'text/javascript; charset=utf-8');
  for (const bad of ['/console/ui/../server.js', '/console/ui/%2e%2e/server.js', '/console/ui/nope.js', '/console/api/model/ec2']) {
    assert.equal((await fetch(`${tailor.url}${bad}`)).status, 404, bad);
  }
  const iam = await (await fetch(`${tailor.url}/console/api/model/iam`)).json();
  assert.equal(iam.protocol, 'awsQuery');
  assert.ok(iam.operations.CreatePolicy);
});

test('a signed request under /console is S3 path-style access to a bucket named "console", not the console', async () => {
  await awsOk(tailor.url, ROOT, ['s3api', 'create-bucket', '--bucket', 'console']);
  const listed = await awsOk(tailor.url, ROOT, ['s3api', 'list-objects-v2', '--bucket', 'console']);
  assert.equal(listed?.Contents, undefined);
});

test('validate-policy: the engine\'s verdict with line and column', async () => {
  const post = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  const check = async (document: string, type = 'identity') => (await post('validate-policy', { document, type })).json();
  assert.deepEqual(await check('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}'), { valid: true });
  assert.deepEqual(await check('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}\n  ]\n}'),
    { valid: false, message: 'Syntax errors in policy.', line: 5, column: 5 });
  const syntax = await check('{\n  "Version": "2012-10-17",\n  "Statement": [\n');
  assert.equal(syntax.valid, false);
  assert.equal(syntax.message, 'This policy contains invalid Json');
  assert.equal(syntax.line, 4);
  assert.equal((await check('{"Statement":[]}', 'nonsense')).valid, undefined);
});

test('setup-check needs iam:GetAccountAuthorizationDetails and then reports the five steps', async () => {
  await awsOk(tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'dave']);
  await awsOk(tailor.url, ROOT, ['iam', 'create-login-profile', '--user-name', 'dave', '--password', 'Dave-password-1']);
  const dave = await signIn({ mode: 'user', accountId: '000000000000', userName: 'dave', password: 'Dave-password-1' });
  const denied = await dave('setup-check', { user: 'dave', role: 'PersonalizeRole', bucket: 'data' });
  assert.equal(denied.status, 403);
  assert.deepEqual(await denied.json(), {
    code: 'AccessDenied',
    message: 'User: arn:aws:iam::000000000000:user/dave is not authorized to perform: iam:GetAccountAuthorizationDetails because no identity-based policy allows the iam:GetAccountAuthorizationDetails action',
  });
  const root = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  assert.equal((await root('setup-check', { user: 'dave' })).status, 400);
  const report = await (await root('setup-check', { user: 'dave', role: 'PersonalizeRole', bucket: 'data' })).json();
  assert.equal(report.passed, false);
  assert.ok(report.checks.length >= 4);
  assert.ok(report.checks.every((c: any) => typeof c.title === 'string' && typeof c.passed === 'boolean'));
});

test('training-progress reports a version\'s phase and percentage to whoever may describe it', async () => {
  const arn = 'arn:aws:personalize:us-east-1:000000000000:solution/s/abcd1234';
  tailor.app.store.put(PERSONALIZE.solutionVersion, arn, { solutionVersionArn: arn, status: 'CREATE IN_PROGRESS', trainingProgress: { phase: 'training', percent: 40 } });
  await awsOk(tailor.url, ROOT, ['iam', 'create-user', '--user-name', 'erin']);
  await awsOk(tailor.url, ROOT, ['iam', 'create-login-profile', '--user-name', 'erin', '--password', 'Erin-password-1']);
  const erin = await signIn({ mode: 'user', accountId: '000000000000', userName: 'erin', password: 'Erin-password-1' });
  const denied = await erin('training-progress', { solutionVersionArn: arn });
  assert.equal(denied.status, 400);
  assert.match((await denied.json()).message, /is not authorized to perform: personalize:DescribeSolutionVersion on resource: arn:aws:personalize:us-east-1:000000000000:solution\/s\/abcd1234/);
  const root = await signIn({ mode: 'root', accessKeyId: ROOT.accessKeyId, secretAccessKey: ROOT.secretAccessKey });
  assert.equal((await root('training-progress', {})).status, 400);
  assert.deepEqual(await (await root('training-progress', { solutionVersionArn: arn })).json(), { status: 'CREATE IN_PROGRESS', trainingProgress: { phase: 'training', percent: 40 } });
});
