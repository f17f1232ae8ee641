import type { Principal } from '../../gateway/context.js';
import { loadModel } from '../../protocol/model.js';
import { testEnv, type TestCtx, type TestEnv } from '../iam/test-support.js';
import { kmsProvider } from './index.js';

export { TEST_ACCOUNT, rootPrincipal, userPrincipal } from '../iam/test-support.js';

const model = loadModel('kms');

export interface KmsEnv extends TestEnv {
  /** Runs a KMS operation as the gateway would after parsing (root by default); returns its output. */
  call(operation: string, input: Record<string, unknown>, principal?: Principal): any;
  /** The context of the most recent call: its recorded queries and whether it authorised. */
  readonly last: TestCtx;
}

export const rolePrincipal = (role: string, session: string, accountId = '000000000000'): Principal => ({
  type: 'assumed-role',
  arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`,
  accountId,
  userId: `AROATESTROLE:${session}`,
  roleName: role,
  roleArn: `arn:aws:iam::${accountId}:role/${role}`,
  sessionName: session,
  accessKeyId: 'ASIATESTSESSIONKEY00',
});

/** The IAM test environment (temp store, recording authorize) with contexts for KMS operations. */
export function kmsEnv(): KmsEnv {
  const env = testEnv() as KmsEnv;
  let last: TestCtx | undefined;
  Object.defineProperty(env, 'last', { get: () => last });
  env.call = (operation, input, principal) => {
    const op = model.operations.get(operation);
    if (!op) throw new Error(`no KMS operation ${operation}`);
    // The IAM context, with the KMS model and operation in place; its authorize() and records carry over.
    const ctx = Object.create(env.ctx('GetUser', principal), { model: { value: model }, operation: { value: op } }) as TestCtx;
    last = ctx;
    const out = kmsProvider.operations[operation](input, ctx);
    if (!ctx.authorized) throw new Error(`${operation} answered without authorising`);
    return out ?? {};
  };
  return env;
}
