import type { Principal } from '../../gateway/context.js';
import { loadModel } from '../../protocol/model.js';
import { testEnv, type TestCtx, type TestEnv } from '../iam/test-support.js';
import { personalizeProvider } from './index.js';
import { Scheduler } from './lifecycle.js';

export { TEST_ACCOUNT, rootPrincipal, userPrincipal } from '../iam/test-support.js';

const model = loadModel('personalize');

export interface PzEnv extends TestEnv {
  /** Runs a Personalize operation as the gateway would after parsing (root by default). */
  call(operation: string, input: Record<string, unknown>, principal?: Principal): Promise<any>;
  /** The context of the most recent call. */
  readonly last: TestCtx;
  /** Moves every pending resource through its states until nothing is left to do. */
  settle(): Promise<void>;
}

/** The IAM test environment (temp store, recording authorize) with contexts for Personalize operations. */
export function pzEnv(): PzEnv {
  const env = testEnv() as PzEnv;
  let last: TestCtx | undefined;
  const scheduler = new Scheduler(env.app, 1);
  Object.defineProperty(env, 'last', { get: () => last });
  env.call = async (operation, input, principal) => {
    const op = model.operations.get(operation);
    if (!op) throw new Error(`no Personalize operation ${operation}`);
    const ctx = Object.create(env.ctx('GetUser', principal), { model: { value: model }, operation: { value: op } }) as TestCtx;
    last = ctx;
    const out = await personalizeProvider.operations[operation](input, ctx);
    if (!ctx.authorized) throw new Error(`${operation} answered without authorising`);
    return out ?? {};
  };
  env.settle = () => scheduler.drain();
  return env;
}

/** A minimal valid Interactions schema. */
export const INTERACTIONS_SCHEMA = JSON.stringify({
  type: 'record', name: 'Interactions', namespace: 'com.amazonaws.personalize.schema', version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
  ],
});
