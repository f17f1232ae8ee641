import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PersonalizeRuntimeClient, GetRecommendationsCommand, GetPersonalizedRankingCommand,
} from '@aws-sdk/client-personalize-runtime';
import { AwsError } from '../shared/aws-error.js';
import { loadModel } from './model.js';
import { restJson1Codec as codec } from './rest-json.js';
import { capture, replay } from './sdk-oracle.js';
import type { HttpRequest } from './types.js';

const runtime = loadModel('personalize-runtime');
const events = loadModel('personalize-events');
const RID = 'd00dfeed-0000-4000-8000-000000000002';

const post = (path: string, body: string, method = 'POST'): HttpRequest => ({
  method, path, rawQuery: '', query: [], sourceIp: '', secure: false, body: Buffer.from(body),
  headers: { 'content-type': 'application/json' },
});

test('runtime requests built by the SDK route and parse back to the command input', async () => {
  for (const command of [
    new GetRecommendationsCommand({
      campaignArn: 'arn:aws:personalize:us-east-1:1:campaign/c', userId: 'u1', numResults: 5,
      context: { DEVICE: 'phone' }, filterValues: { GENRE: '"comedy"' },
      promotions: [{ name: 'p', percentPromotedItems: 10, filterArn: 'arn:f', filterValues: {} }], metadataColumns: { ITEMS: ['title'] },
    }),
    new GetPersonalizedRankingCommand({ campaignArn: 'arn:c', userId: 'u', inputList: ['a', 'b'] }),
  ]) {
    const req = await capture(PersonalizeRuntimeClient, command);
    const op = codec.resolveOperation(req, runtime);
    assert.equal(op?.name, command.constructor.name.replace(/Command$/, ''));
    assert.deepEqual(codec.parse(req, op!, runtime), command.input);
  }
});

test('runtime responses read back through the SDK', async () => {
  const output = {
    itemList: [{ itemId: 'i1', score: 0.5, metadata: { title: 'T' }, reason: ['r'] }, { itemId: 'i2', score: 0.25 }],
    recommendationId: 'RID-1',
  };
  const res = codec.serialize(output, runtime.operations.get('GetRecommendations')!, runtime, RID);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'application/json');
  const { output: got, error } = await replay(PersonalizeRuntimeClient, new GetRecommendationsCommand({ campaignArn: 'a' }), res);
  assert.equal(error, undefined);
  const { $metadata, ...rest } = got!;
  assert.equal($metadata.requestId, RID);
  assert.deepEqual(rest, output);
});

test('errors carry x-amzn-ErrorType and a message body the SDK reads', async () => {
  const res = codec.serializeError(new AwsError('ResourceNotFoundException', 'Resource arn:c does not exist.', 404), runtime, RID);
  assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  assert.deepEqual(JSON.parse(String(res.body)), { message: 'Resource arn:c does not exist.' });
  const { error } = await replay(PersonalizeRuntimeClient, new GetRecommendationsCommand({ campaignArn: 'arn:c' }), res);
  assert.equal(error!.name, 'ResourceNotFoundException');
  assert.equal(error!.message, 'Resource arn:c does not exist.');
  assert.equal(error!.$metadata.httpStatusCode, 404);
});

test('events: timestamps are epoch seconds, outputs are empty bodies', () => {
  const req = post('/events', JSON.stringify({
    trackingId: 't', sessionId: 's', userId: 'u',
    eventList: [{ eventType: 'click', sentAt: 1700000000.5, properties: '{"numberOfRatings":"1"}', impression: ['a', 'b'], eventValue: 1.5 }],
  }));
  const op = codec.resolveOperation(req, events)!;
  assert.equal(op.name, 'PutEvents');
  assert.deepEqual(codec.parse(req, op, events), {
    trackingId: 't', sessionId: 's', userId: 'u',
    eventList: [{ eventType: 'click', sentAt: new Date(1700000000500), properties: '{"numberOfRatings":"1"}', impression: ['a', 'b'], eventValue: 1.5 }],
  });
  const res = codec.serialize({}, op, events, RID);
  assert.deepEqual([res.status, res.body, res.headers['x-amzn-requestid']], [200, '', RID]);
});

test('unknown routes and bad bodies', () => {
  for (const [method, path] of [['POST', '/nope'], ['GET', '/events'], ['POST', '/events/x'], ['POST', '/']]) {
    assert.equal(codec.resolveOperation(post(path, '{}', method), events), undefined, `${method} ${path}`);
  }
  assert.equal(codec.resolveOperation(post('/events/', '{}'), events)?.name, 'PutEvents');
  const e = codec.unknownOperation(post('/nope', ''), events);
  assert.deepEqual([e.code, e.status], ['UnknownOperationException', 404]);
  const op = events.operations.get('PutEvents')!;
  for (const body of ['{', '{"eventList":{}}', '{"eventList":[{"sentAt":"yesterday"}]}', '{"eventList":[{"eventValue":"x"}]}']) {
    assert.throws(() => codec.parse(post('/events', body), op, events),
      (err: unknown) => err instanceof AwsError && err.code === 'SerializationException' && err.status === 400, body);
  }
});
