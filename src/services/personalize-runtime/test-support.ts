// Runtime and events operations in the Personalize test environment, with a trained campaign.
import type { Provider } from '../../gateway/context.js';
import { loadModel } from '../../protocol/model.js';
import { groupWithData, pzEnv, type PzEnv } from '../personalize/test-support.js';
import type { TestCtx } from '../iam/test-support.js';
import { personalizeRuntimeProvider } from './index.js';
import { personalizeEventsProvider } from '../personalize-events/index.js';

export const P = 'arn:aws:personalize:us-east-1:000000000000';
export const GROUP = `${P}:dataset-group/g`;

export interface RtEnv extends PzEnv {
  runtime(operation: string, input: Record<string, unknown>): Promise<any>;
  events(operation: string, input: Record<string, unknown>): Promise<any>;
  readonly lastRuntime: TestCtx;
}

function caller(env: PzEnv, provider: Provider, record: (ctx: TestCtx) => void) {
  const model = loadModel(provider.model);
  return async (operation: string, input: Record<string, unknown>) => {
    const op = model.operations.get(operation)!;
    const ctx = Object.create(env.ctx('GetUser'), { model: { value: model }, operation: { value: op } }) as TestCtx;
    record(ctx);
    const out = await provider.operations[operation](input, ctx);
    if (!ctx.authorized) throw new Error(`${operation} answered without authorising`);
    return out ?? {};
  };
}

/** Group `g` with interactions (i0 most popular, then i1), a campaign `c` of `recipe` and an event tracker. */
export async function campaignEnv(recipe = 'aws-user-personalization'): Promise<RtEnv & { campaignArn: string; trackingId: string }> {
  const env = pzEnv() as RtEnv & { campaignArn: string; trackingId: string };
  let last: TestCtx | undefined;
  env.runtime = caller(env, personalizeRuntimeProvider, (c) => (last = c));
  env.events = caller(env, personalizeEventsProvider, () => {});
  Object.defineProperty(env, 'lastRuntime', { get: () => last });
  await groupWithData(env);
  const { solutionArn } = await env.call('CreateSolution', { name: 's', datasetGroupArn: GROUP, recipeArn: `arn:aws:personalize:::recipe/${recipe}` });
  await env.settle();
  const { solutionVersionArn } = await env.call('CreateSolutionVersion', { solutionArn });
  await env.settle();
  const { campaignArn } = await env.call('CreateCampaign', { name: 'c', solutionVersionArn, campaignConfig: { enableMetadataWithRecommendations: true } });
  const { trackingId } = await env.call('CreateEventTracker', { name: 't', datasetGroupArn: GROUP });
  await env.settle();
  env.campaignArn = campaignArn;
  env.trackingId = trackingId;
  return env;
}
