// `tailor doctor` as a person runs it: next to a running server on the same data dir, after setting
// things up with the AWS CLI; each fix it prints is applied with the AWS CLI until every step passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTailor, runProgram, ROOT, ACCOUNT, REPO, type Creds, awsOk } from './support.js';
import { fixRequest } from '../../src/setup/fix-request.js';

let dir: string;
let dataDir: string;
let server: { child: ChildProcess; url: string };

const ok = (creds: Creds, args: string[]) => awsOk(server.url, creds, args);

/** Runs `tailor doctor` with `args` (and --data-dir unless given). */
function doctor(args: string[], withDataDir = true): Promise<{ status: number; stdout: string; stderr: string }> {
  const all = [join(REPO, 'bin/tailor.js'), 'doctor', ...args, ...(withDataDir ? ['--data-dir', dataDir] : [])];
  return runProgram(process.execPath, all, { PATH: process.env.PATH, HOME: process.env.HOME });
}

const SETUP = ['--user', 'alice', '--role', 'PersonalizeRole', '--bucket', 'data', '--key', 'alias/personalize'];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tailor-doctor-'));
  dataDir = join(dir, 'data');
  server = await spawnTailor(dataDir);
});
after(() => {
  server?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

test('usage errors exit 2', async () => {
  const none = await doctor([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /--user is required/);
  assert.match(none.stderr, /Usage: tailor doctor --user NAME --role NAME --bucket NAME/);
  const unknown = await doctor([...SETUP, '--frobnicate']);
  assert.equal(unknown.status, 2);
  const nowhere = await doctor([...SETUP, '--data-dir', join(dir, 'missing')], false);
  assert.equal(nowhere.status, 2);
  assert.match(nowhere.stderr, /no Tailor data in /);
});

const kebab = (name: string) => name.replace(/[a-z](?=[A-Z])/g, '$&-').toLowerCase();

/** Applies a printed fix with the AWS CLI command for the request fixRequest() names (s3 → s3api, CamelCase → --kebab-case). */
async function applyWithCli(fix: { target: string; json: string }): Promise<void> {
  const request = fixRequest(fix);
  assert.ok(request, `no request for ${fix.target}`);
  const args = [request.service === 's3' ? 's3api' : request.service, kebab(request.operation)];
  for (const [k, v] of Object.entries(request.input)) args.push(...(v === true ? [`--${kebab(k)}`] : [`--${kebab(k)}`, String(v)]));
  await ok(ROOT, args);
}

test('with the server running: every step fails, the printed fixes applied with the AWS CLI make each pass, then exit 0', async () => {
  await ok(ROOT, ['iam', 'create-user', '--user-name', 'alice']);
  await ok(ROOT, ['iam', 'create-role', '--role-name', 'PersonalizeRole', '--assume-role-policy-document',
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'personalize.amazonaws.com' }, Action: 'sts:AssumeRole' }] })]);
  await ok(ROOT, ['s3', 'mb', 's3://data']);
  const key = await ok(ROOT, ['kms', 'create-key', '--description', 'personalize data']);
  await ok(ROOT, ['kms', 'create-alias', '--alias-name', 'alias/personalize', '--target-key-id', key.KeyMetadata.KeyId]);

  const text = await doctor(SETUP);
  assert.equal(text.status, 1, text.stderr);
  assert.match(text.stdout, /^FAILED {2}1\. User can use Personalize\n/);
  assert.match(text.stdout, new RegExp(`User: arn:aws:iam::${ACCOUNT}:user/alice is not authorized to perform: personalize:CreateDatasetGroup`));
  assert.match(text.stdout, /Fix: put this in the inline policy PersonalizeAccess of user alice:\n {10}\{/);
  assert.match(text.stdout, /FAILED {2}3\. Role trusts Personalize, for this account only\n.*on behalf of any account/);
  assert.match(text.stdout, /\n5 of 5 steps fail\.\n$/);

  for (let round = 1; ; round++) {
    const r = await doctor([...SETUP, '--json']);
    const report = JSON.parse(r.stdout);
    if (report.passed) {
      assert.equal(r.status, 0, r.stderr);
      break;
    }
    assert.equal(r.status, 1, r.stderr);
    assert.ok(round <= 5, `still failing after ${round - 1} fixes: ${r.stdout}`);
    const failing = report.checks.find((c: any) => !c.passed);
    assert.ok(failing.fix, `step ${failing.step} has no fix: ${failing.detail}`);
    await applyWithCli(failing.fix);
    const after = JSON.parse((await doctor([...SETUP, '--json'])).stdout).checks.find((c: any) => c.step === failing.step);
    assert.equal(after.passed, true, `step ${failing.step} after its fix: ${after.detail}`);
  }

  const done = await doctor(SETUP);
  assert.equal(done.status, 0, done.stderr + done.stdout);
  assert.match(done.stdout, /^passed {2}1\. User can use Personalize\n/m);
  assert.match(done.stdout, /Allowed by: inline policy PersonalizeAccess of user alice \(Sid PersonalizeAccess\)/);
  assert.match(done.stdout, /\nAll 5 steps pass\.\n$/);
  // A disabled key fails step 5 only; its fix (EnableKey) brings exit 0 back.
  await ok(ROOT, ['kms', 'disable-key', '--key-id', key.KeyMetadata.KeyId]);
  const disabled = await doctor([...SETUP, '--json']);
  assert.equal(disabled.status, 1, disabled.stderr);
  const failing = JSON.parse(disabled.stdout).checks.filter((c: any) => !c.passed);
  assert.deepEqual(failing.map((c: any) => c.step), [5]);
  assert.match(failing[0].detail, /is Disabled/);
  await applyWithCli(failing[0].fix);
  const enabled = await doctor(SETUP);
  assert.equal(enabled.status, 0, enabled.stderr + enabled.stdout);

  // The user the fixes were made for can now do what step 1 checked, through the server.
  const created = await ok(ROOT, ['iam', 'create-access-key', '--user-name', 'alice']);
  const alice = { accessKeyId: created.AccessKey.AccessKeyId, secretAccessKey: created.AccessKey.SecretAccessKey };
  await ok(alice, ['personalize', 'create-dataset-group', '--name', 'g', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/PersonalizeRole`,
    '--kms-key-arn', key.KeyMetadata.Arn]);
});
