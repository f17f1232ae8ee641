import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../app.js';
import type { AuthzQuery, OperationHandler, Principal, RequestContext } from '../../gateway/context.js';
import { AwsError } from '../../shared/aws-error.js';
import { SecretBox } from '../../shared/secret-box.js';
import { requestId } from '../../shared/ids.js';
import { loadModel } from '../../protocol/model.js';
import { SqliteStore } from '../../storage/metadata/sqlite.js';

export const TEST_ACCOUNT = '000000000000';

export const rootPrincipal = (accountId = TEST_ACCOUNT): Principal => ({
  type: 'root', arn: `arn:aws:iam::${accountId}:root`, accountId, userId: accountId, accessKeyId: 'AKIAROOTROOTROOTROOT',
});

export const userPrincipal = (userName: string, userId = 'AIDATESTUSER', accountId = TEST_ACCOUNT): Principal => ({
  type: 'user', arn: `arn:aws:iam::${accountId}:user/${userName}`, accountId, userId, userName, accessKeyId: 'AKIATESTUSERKEY00000',
});

export interface TestCtx extends RequestContext {
  /** Every query authorize() was asked, in order. */
  readonly queries: AuthzQuery[];
}

export interface TestEnv {
  readonly app: App;
  readonly store: SqliteStore;
  readonly secrets: SecretBox;
  /** The time handed to contexts; tests may move it. */
  clock: Date;
  /** Makes authorize() throw AccessDenied for matching queries (after recording them). */
  deny?: (q: AuthzQuery) => boolean;
  /** A context for one call of `operation` (an IAM operation name) by `principal` (root by default). */
  ctx(operation: string, principal?: Principal): TestCtx;
  /** Runs `ops[operation]` on a fresh context; gives its output and the context (for the recorded queries). */
  run(ops: Record<string, OperationHandler>, operation: string, input?: object, principal?: Principal): Promise<{ out: any; ctx: TestCtx }>;
  close(): void;
}

/** An App over a SQLite store in a fresh temp dir, with an authorize() that records and allows. */
export function testEnv(): TestEnv {
  const dir = mkdtempSync(join(tmpdir(), 'tailor-iam-'));
  const store = new SqliteStore(join(dir, 'meta.db'));
  const secrets = SecretBox.open(dir);
  const model = loadModel('iam');
  const env: TestEnv = {
    app: undefined as unknown as App,
    store,
    secrets,
    clock: new Date('2024-01-02T03:04:05Z'),
    ctx(operation, principal = rootPrincipal()) {
      const op = model.operations.get(operation);
      if (!op) throw new Error(`no IAM operation ${operation}`);
      const queries: AuthzQuery[] = [];
      let authorized = false;
      return {
        app: env.app, requestId: requestId(), model, operation: op, principal,
        request: { method: 'POST', path: '/', rawQuery: '', query: [], headers: {}, body: Buffer.alloc(0), sourceIp: '127.0.0.1', secure: false },
        region: 'us-east-1', accountId: principal.accountId, now: env.clock, queries,
        get authorized() { return authorized; },
        authorize(...qs: AuthzQuery[]) {
          authorized = true;
          queries.push(...qs);
          // A granted query is stopped only by an explicit deny, which this stand-in has no notion of.
          const denied = qs.find((q) => !q.grantedBy && env.deny?.(q));
          if (denied) throw new AwsError('AccessDenied', `User: ${principal.arn} is not authorized to perform: ${denied.action}`, 403);
        },
      };
    },
    async run(ops, operation, input = {}, principal) {
      const ctx = env.ctx(operation, principal);
      const out = await ops[operation](input, ctx);
      return { out, ctx };
    },
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  (env as { app: App }).app = {
    config: { dataDir: dir, accountId: TEST_ACCOUNT, host: '127.0.0.1', port: 0 },
    store, secrets, now: () => env.clock, credentials: [], providers: [],
    principalPolicies: () => ({ identity: [], tags: {} }),
  };
  return env;
}

/** An `assert.rejects`/`assert.throws` matcher for an AwsError with this code (and message, status). */
export const awsErrorIs = (code: string, message?: string, status?: number) => (e: any) => {
  assert.equal(e.code, code);
  if (message !== undefined) assert.equal(e.message, message);
  if (status !== undefined) assert.equal(e.status, status);
  return true;
};
