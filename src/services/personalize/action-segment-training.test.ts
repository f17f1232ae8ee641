import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupWithData, importData, pzEnv, trainVersion, type PzEnv } from './test-support.js';
import { KIND, type SolutionVersionDoc } from './schema.js';
import { loadModel } from './training.js';

const P = 'arn:aws:personalize:us-east-1:000000000000';
const GROUP = `${P}:dataset-group/g`;
const ROLE = 'arn:aws:iam::000000000000:role/R';

async function train(env: PzEnv, recipe: string, name = recipe, extra: Record<string, unknown> = {}): Promise<SolutionVersionDoc> {
  const v = await trainVersion(env, recipe, name, extra);
  assert.equal(v.status, 'ACTIVE', v.failureReason);
  return v;
}

/**
 * Action interactions where "mass" is taken by 60 users and "niche" by 30, with filler actions
 * for Personalize's minimums; `declined` adds the ones shown without a take: mass declined by 240
 * users (spelled as the CSV docs and PutActionInteractions spell it) and seen by 20 more, niche
 * declined by 3.
 */
function actionInteractions(declined: boolean): string {
  const rows = ['USER_ID,ACTION_ID,TIMESTAMP,EVENT_TYPE'];
  for (let r = 0; r < 1200; r++) rows.push(`f${r % 200},filler${r % 4},${r},TAKEN`);
  for (let u = 0; u < 60; u++) rows.push(`m${u},mass,${2000 + u},Taken`);
  for (let u = 0; u < 30; u++) rows.push(`n${u},niche,${3000 + u},TAKEN`);
  if (declined) {
    for (let u = 0; u < 240; u++) rows.push(`d${u},mass,${4000 + u},${['NOT_TAKEN', 'Not taken', 'Not Taken'][u % 3]}`);
    for (let u = 0; u < 20; u++) rows.push(`v${u},mass,${5000 + u},Viewed`);
    for (let u = 0; u < 3; u++) rows.push(`d${u},niche,${6000 + u},NOT_TAKEN`);
  }
  return rows.join('\n');
}

/** The next-best-action model's scores for a user without history, by action id. */
async function coldScores(declined: boolean): Promise<{ scores: Map<string, number>; cold: string[] }> {
  const env = pzEnv();
  try {
    await groupWithData(env);
    await importData(env, 'Actions', [{ name: 'ACTION_ID', type: 'string' }, { name: 'KIND', type: 'string', categorical: true }],
      ['ACTION_ID,KIND', 'mass,offer', 'niche,offer', 'filler0,ask', 'filler1,ask', 'filler2,ask', 'filler3,ask'].join('\n'));
    await importData(env, 'Action_Interactions', [
      { name: 'USER_ID', type: 'string' }, { name: 'ACTION_ID', type: 'string' }, { name: 'TIMESTAMP', type: 'long' }, { name: 'EVENT_TYPE', type: 'string' },
    ], actionInteractions(declined));
    const served = loadModel(env.app, GROUP, (await train(env, 'aws-next-best-action')).model!);
    const { model, itemIds } = served.engine!;
    const out = new Float32Array(model.nItems);
    model.score(Int32Array.of(), out);
    return { scores: new Map(itemIds.map((id, i) => [id, out[i]])), cold: served.items };
  } finally {
    env.close();
  }
}

test('next-best-action: NOT_TAKEN and VIEWED rows turn take counts into take rates', async () => {
  const without = await coldScores(false);
  assert.ok(without.scores.get('mass')! > without.scores.get('niche')!, 'by counts, the most taken action leads');
  const withDeclined = await coldScores(true);
  const [mass, niche] = [withDeclined.scores.get('mass')!, withDeclined.scores.get('niche')!];
  // mass: 60 of 320 shown took it; niche: 30 of 33.
  assert.ok(niche > 0.6 && mass < 0.3 && niche > mass, `niche ${niche}, mass ${mass}`);
  // The popularity order (for cold users) still counts takes only, and the users who only
  // declined are not counted as takers anywhere.
  assert.deepEqual(withDeclined.cold, without.cold);
});

test('item affinity and item-attribute affinity: GetSolutionMetrics gives the USER_SEGMENTATION metrics', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const items = ['ITEM_ID,GENRE'];
    for (let i = 0; i < 7; i++) items.push(`i${i},g${i % 3}`);
    await importData(env, 'Items', [{ name: 'ITEM_ID', type: 'string' }, { name: 'GENRE', type: 'string', categorical: true }], items.join('\n'));
    const tuned = {
      performHPO: true,
      solutionConfig: { hpoConfig: {
        hpoResourceConfig: { maxNumberOfTrainingJobs: '3', maxParallelTrainingJobs: '1' },
        algorithmHyperParameterRanges: { continuousHyperParameterRanges: [{ name: 'userNorm', minValue: 0, maxValue: 1 }] },
      } },
    };
    for (const [recipe, name, extra] of [['aws-item-affinity'], ['aws-item-attribute-affinity'], ['aws-item-affinity', 'tuned', tuned]] as const) {
      const v = await train(env, recipe, name, extra);
      const { metrics } = await env.call('GetSolutionMetrics', { solutionVersionArn: v.solutionVersionArn });
      assert.deepEqual(Object.keys(metrics).sort(), ['coverage', 'hit', 'recall'], recipe);
      for (const [k, x] of Object.entries(metrics as Record<string, number>)) assert.ok(x > 0 && (k === 'hit' || x <= 1), `${recipe} ${k} = ${x}`);
    }
  } finally {
    env.close();
  }
});
