// Hostile and broken requests get AWS-shaped 4xx answers, the server stays up, and stored state is unchanged;
// identity state survives kill -9.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IAMClient, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { startTailor, spawnTailor, ROOT } from './support.js';
import { signedRequest, form, FORM } from './signed-request.js';

let tailor: Awaited<ReturnType<typeof startTailor>>;
const iam = () => new IAMClient({ endpoint: tailor.url, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
const userNames = async () => (await iam().send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);

before(async () => {
  tailor = await startTailor();
  await iam().send(new CreateUserCommand({ UserName: 'keep' }));
});
after(async () => {
  await tailor?.stop();
});

const iamCall = (body: string, headers: Record<string, string> = FORM) => signedRequest(tailor.url, ROOT, { service: 'iam', headers, body });

test('unknown action is InvalidAction', async () => {
  const r = await iamCall(form({ Action: 'MakeCoffee', Version: '2010-05-08' }));
  assert.equal(r.status, 400);
  assert.match(r.text, /<Code>InvalidAction<\/Code>/);
});

test('unsigned requests are MissingAuthenticationToken', async () => {
  const r = await fetch(tailor.url + '/', { method: 'POST', headers: FORM, body: form({ Action: 'ListUsers', Version: '2010-05-08' }) });
  assert.equal(r.status, 403);
  assert.match(await r.text(), /<Code>MissingAuthenticationToken<\/Code>/);
});

test('missing required member, bad pattern, broken encoding, unknown parameters: 400, nothing stored', async () => {
  for (const body of [
    form({ Action: 'CreateUser', Version: '2010-05-08' }),
    form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'x'.repeat(65) }),
    form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'a b' }),
    'Action=CreateUser&Version=2010-05-08&UserName=%ZZ%',
    form({ Action: 'CreateUser', Version: '2010-05-08', UserName: 'ok', 'Tags.member.1.Key': '' }),
    '\u0000\u0001garbage',
  ]) {
    const r = await iamCall(body);
    assert.ok(r.status >= 400 && r.status < 500, `${body}: ${r.status} ${r.text}`);
    assert.match(r.text, /<ErrorResponse/);
  }
  assert.deepEqual(await userNames(), ['keep']);
});

test('wrong content type and deep JSON bodies are refused without harm', async () => {
  const deep = '['.repeat(10000) + ']'.repeat(10000);
  const r1 = await iamCall(deep, { 'content-type': 'application/json' });
  assert.ok(r1.status >= 400 && r1.status < 500, `${r1.status} ${r1.text}`);
  assert.deepEqual(await userNames(), ['keep']);
});

test('an oversized body is refused with 413 and the server stays up', async () => {
  const big = new Uint8Array(17 * 1024 * 1024).fill(97);
  const r = await fetch(tailor.url + '/', { method: 'POST', headers: FORM, body: big }).catch(() => undefined);
  if (r) assert.equal(r.status, 413);
  assert.deepEqual(await userNames(), ['keep']);
});

test('a truncated request does not hurt the server', async () => {
  const u = new URL(tailor.url);
  await new Promise<void>((resolve) => {
    const s = connect(Number(u.port), u.hostname, () => {
      s.end('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\nAction=Create');
    });
    s.on('close', () => resolve());
    s.on('error', () => resolve());
    s.resume();
  });
  assert.deepEqual(await userNames(), ['keep']);
});

test('identity state survives kill -9 mid-stream of writes', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tailor-kill-'));
  try {
    let { child, url } = await spawnTailor(dataDir);
    const client = (endpoint: string) => new IAMClient({ endpoint, region: 'us-east-1', credentials: ROOT, maxAttempts: 1 });
    const acknowledged: string[] = [];
    const writer = (async () => {
      for (let i = 0; i < 10_000; i++) {
        try {
          await client(url).send(new CreateUserCommand({ UserName: `u${i}` }));
          acknowledged.push(`u${i}`);
        } catch {
          return;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 700));
    child.kill('SIGKILL');
    await writer;
    assert.ok(acknowledged.length > 0);
    ({ child, url } = await spawnTailor(dataDir));
    try {
      const names = new Set<string>();
      let Marker: string | undefined;
      do {
        const page = await client(url).send(new ListUsersCommand({ Marker, MaxItems: 1000 }));
        for (const u of page.Users!) names.add(u.UserName!);
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      for (const n of acknowledged) assert.ok(names.has(n), `acknowledged user ${n} lost`);
      assert.ok(names.size <= acknowledged.length + 1);
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
