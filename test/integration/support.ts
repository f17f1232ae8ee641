import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { start, type Running, type StartOptions } from '../../src/main.js';

export const ACCOUNT = '000000000000';
export const ROOT = { accessKeyId: 'AKIAROOTTESTKEY00001', secretAccessKey: 'root-secret-for-tests-only-0000000000000' };
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A Tailor server in this process, on a free port, over a fresh data dir. */
export async function startTailor(opts: Pick<StartOptions, 'now' | 'jobs'> = {}): Promise<Running & { dataDir: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-test-'));
  const running = await start(
    { dataDir, accountId: ACCOUNT, host: '127.0.0.1', port: 0 },
    { env: { TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey }, log: () => {}, ...opts },
  );
  return {
    ...running,
    dataDir,
    stop: async () => {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A Tailor server as a child process (`bin/tailor.js serve`), for restart and kill -9 tests. */
export async function spawnTailor(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(REPO, 'bin/tailor.js'), 'serve', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, TAILOR_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId, TAILOR_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`tailor exited ${code}: ${out}`)));
  });
  return { child, url };
}

/** Debian's packages install these; fall back to whatever is on PATH. */
export const AWS_CLI = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws';
export const PYTHON = (() => {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
})();

export function clientEnv(url: string, creds: Creds): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ACCESS_KEY_ID: creds.accessKeyId,
    AWS_SECRET_ACCESS_KEY: creds.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  if (creds.sessionToken) env.AWS_SESSION_TOKEN = creds.sessionToken;
  return env;
}

/** Runs a program to completion, collecting its output. */
export function runProgram(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

const parseJson = (text: string): any => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
};

/** Runs the AWS CLI; resolves with exit status, parsed JSON stdout (when any) and stderr. */
export async function aws(url: string, creds: Creds, args: string[]): Promise<{ status: number; json: any; stdout: string; stderr: string }> {
  const r = await runProgram(AWS_CLI, [...args, '--endpoint-url', url, '--output', 'json'], clientEnv(url, creds));
  return { ...r, json: parseJson(r.stdout.trim()) };
}

/** Runs the AWS CLI and expects it to succeed; resolves with its parsed JSON output. */
export async function awsOk(url: string, creds: Creds, args: string[]): Promise<any> {
  const r = await aws(url, creds, args);
  assert.equal(r.status, 0, `aws ${args.join(' ')}: ${r.stderr}`);
  return r.json;
}

/** Polls `read` every 20 ms until `done` holds (resources moving through their states), for at most `ms`. */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > end) assert.fail(`timed out: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Expects an SDK v3 call to fail with the modeled error `name` (and HTTP status); resolves with the error. */
export async function rejectsWith(p: Promise<unknown>, name: string, status?: number): Promise<any> {
  try {
    await p;
  } catch (e: any) {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (status) assert.equal(e.$metadata.httpStatusCode, status);
    return e;
  }
  assert.fail(`expected ${name}`);
}

/** Runs a Python snippet with boto3 available; the snippet prints JSON on its last line. */
export async function python(url: string, creds: Creds, script: string): Promise<{ status: number; out: any; stderr: string }> {
  const r = await runProgram(PYTHON ?? 'python3', ['-c', script], clientEnv(url, creds));
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, out: parseJson(last) ?? last, stderr: r.stderr };
}

export const SEED_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['personalize:*'], Resource: '*' },
    { Effect: 'Allow', Action: ['iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'personalize.amazonaws.com' } } },
  ],
});

export const PERSONALIZE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow',
    Principal: { Service: 'personalize.amazonaws.com' },
    Action: 'sts:AssumeRole',
    Condition: {
      StringEquals: { 'aws:SourceAccount': ACCOUNT },
      ArnLike: { 'aws:SourceArn': `arn:aws:personalize:us-east-1:${ACCOUNT}:*` },
    },
  }],
});
