import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KMSClient, EncryptCommand, CreateKeyCommand, DescribeKeyCommand, DecryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import {
  PersonalizeClient, CreateSolutionCommand, DescribeCampaignCommand, GetSolutionMetricsCommand, CreateDatasetGroupCommand,
  ListDatasetGroupsCommand,
} from '@aws-sdk/client-personalize';
import { AwsError } from '../shared/aws-error.js';
import { awsJson11Codec as codec } from './aws-json.js';
import { loadModel } from './model.js';
import { capture, replay } from './sdk-oracle.js';
import type { HttpRequest } from './types.js';

const kms = loadModel('kms');
const personalize = loadModel('personalize');
const RID = 'c0ffee00-0000-4000-8000-000000000001';
const opName = (command: object) => command.constructor.name.replace(/Command$/, '');

async function roundTripInput(Client: any, command: any, model: typeof kms) {
  const req = await capture(Client, command);
  assert.equal(req.headers['content-type'], 'application/x-amz-json-1.1');
  const op = codec.resolveOperation(req, model);
  assert.equal(op?.name, opName(command));
  assert.deepEqual(codec.parse(req, op!, model), command.input);
}

async function roundTripOutput(Client: any, command: any, output: Record<string, unknown>, model: typeof kms) {
  const res = codec.serialize(output, model.operations.get(opName(command))!, model, RID);
  const { output: got, error } = await replay(Client, command, res);
  assert.equal(error, undefined, String(error));
  const { $metadata, ...rest } = got!;
  assert.equal($metadata.requestId, RID);
  assert.deepEqual(rest, output);
}

const post = (target: string | undefined, body: string): HttpRequest => ({
  method: 'POST', path: '/', rawQuery: '', query: [], sourceIp: '', secure: false, body: Buffer.from(body),
  headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
});

test('KMS and Personalize requests built by the SDK parse back to the command input', async () => {
  await roundTripInput(KMSClient, new EncryptCommand({
    KeyId: 'alias/k', Plaintext: Buffer.from([0, 1, 2, 255]), EncryptionContext: { purpose: 'test', __proto__: 'x' } as any,
    GrantTokens: ['g1'], EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  }), kms);
  await roundTripInput(KMSClient, new CreateKeyCommand({
    Description: 'd', KeyUsage: 'ENCRYPT_DECRYPT', KeySpec: 'SYMMETRIC_DEFAULT', BypassPolicyLockoutSafetyCheck: false,
    Tags: [{ TagKey: 'k', TagValue: 'v' }], MultiRegion: true,
  }), kms);
  await roundTripInput(KMSClient, new ListKeysCommand({}), kms);
  await roundTripInput(PersonalizeClient, new CreateSolutionCommand({
    name: 'sol', datasetGroupArn: 'arn:aws:personalize:us-east-1:1:dataset-group/g', performHPO: true,
    solutionConfig: {
      eventValueThreshold: '0.5', algorithmHyperParameters: { hidden_dimension: '64' },
      hpoConfig: { hpoResourceConfig: { maxNumberOfTrainingJobs: '4' }, algorithmHyperParameterRanges: { integerHyperParameterRanges: [{ name: 'n', minValue: 1, maxValue: 9 }] } },
    },
    tags: [{ tagKey: 'a', tagValue: 'b' }],
  }), personalize);
  await roundTripInput(PersonalizeClient, new ListDatasetGroupsCommand({ maxResults: 5, nextToken: 't' }), personalize);
});

test('our KMS and Personalize responses read back through the SDK', async () => {
  await roundTripOutput(KMSClient, new DecryptCommand({ CiphertextBlob: Buffer.from('x') }), {
    KeyId: 'arn:aws:kms:us-east-1:1:key/k', Plaintext: new Uint8Array([9, 8, 7]), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
  }, kms);
  await roundTripOutput(KMSClient, new DescribeKeyCommand({ KeyId: 'k' }), {
    KeyMetadata: {
      KeyId: 'k', Arn: 'arn:aws:kms:us-east-1:1:key/k', AWSAccountId: '1', CreationDate: new Date('2024-02-03T04:05:06.789Z'),
      Enabled: true, KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false,
    },
  }, kms);
  await roundTripOutput(KMSClient, new ListKeysCommand({}), { Keys: [], Truncated: false }, kms);
  await roundTripOutput(PersonalizeClient, new DescribeCampaignCommand({ campaignArn: 'a' }), {
    campaign: {
      name: 'c', campaignArn: 'a', minProvisionedTPS: 1, status: 'ACTIVE',
      creationDateTime: new Date('2024-01-01T00:00:00.5Z'), lastUpdatedDateTime: new Date(1700000000123),
      campaignConfig: { itemExplorationConfig: { explorationWeight: '0.3' }, enableMetadataWithRecommendations: true },
    },
  }, personalize);
  await roundTripOutput(PersonalizeClient, new GetSolutionMetricsCommand({ solutionVersionArn: 'a' }), {
    solutionVersionArn: 'a', metrics: { 'precision_at_25': 0.125, coverage: 1 },
  }, personalize);
  await roundTripOutput(PersonalizeClient, new CreateDatasetGroupCommand({ name: 'g' }), { datasetGroupArn: 'arn:g' }, personalize);
});

test('errors surface in the SDK with name, message and status', async () => {
  const nf = codec.serializeError(new AwsError('NotFoundException', "Key 'k' does not exist", 404), kms, RID);
  assert.equal(nf.headers['x-amzn-errortype'], 'NotFoundException');
  assert.deepEqual(JSON.parse(String(nf.body)), { __type: 'NotFoundException', message: "Key 'k' does not exist" });
  const r1 = await replay(KMSClient, new DescribeKeyCommand({ KeyId: 'k' }), nf);
  assert.equal(r1.error!.name, 'NotFoundException');
  assert.equal(r1.error!.message, "Key 'k' does not exist");
  assert.equal(r1.error!.$metadata.httpStatusCode, 404);
  assert.equal(r1.error!.$metadata.requestId, RID);

  const inv = codec.serializeError(new AwsError('InvalidInputException', 'bad', 400), personalize, RID);
  const r2 = await replay(PersonalizeClient, new DescribeCampaignCommand({ campaignArn: 'a' }), inv);
  assert.equal(r2.error!.name, 'InvalidInputException');
  assert.equal(r2.error!.message, 'bad');

  const val = codec.serializeError(new AwsError('ValidationException', '1 validation error detected: x', 400), personalize, RID);
  const r3 = await replay(PersonalizeClient, new DescribeCampaignCommand({ campaignArn: 'a' }), val);
  assert.equal(r3.error!.name, 'ValidationException');
  assert.equal(r3.error!.message, '1 validation error detected: x');
});

test('unknown targets are UnknownOperationException', () => {
  for (const t of [undefined, 'AmazonPersonalize.Nope', 'TrentService.CreateKey', 'CreateKey']) {
    assert.equal(codec.resolveOperation(post(t, '{}'), personalize), undefined);
  }
  const e = codec.unknownOperation(post('AmazonPersonalize.Nope', '{}'), personalize);
  assert.deepEqual([e.code, e.status], ['UnknownOperationException', 400]);
  assert.equal(String(codec.serializeError(e, personalize, RID).body), '{"__type":"UnknownOperationException"}');
  assert.equal(codec.resolveOperation(post('TrentService.CreateKey', '{}'), kms)?.name, 'CreateKey');
});

test('bodies: empty is {}, malformed or mistyped is SerializationException', () => {
  const op = personalize.operations.get('ListDatasetGroups')!;
  assert.deepEqual(codec.parse(post('AmazonPersonalize.ListDatasetGroups', ''), op, personalize), {});
  assert.deepEqual(codec.parse(post('AmazonPersonalize.ListDatasetGroups', '{"maxResults":null,"x":[1]}'), op, personalize), {});
  const bad = ['{', '[]', 'null', '"s"', '{"maxResults":"5"}', '{"maxResults":1.5}', '{"maxResults":1e40}', '{"nextToken":{}}',
    '['.repeat(10000) + ']'.repeat(10000), '{"nextToken":' + '['.repeat(10000) + ']'.repeat(10000) + '}'];
  for (const body of bad) {
    assert.throws(() => codec.parse(post('AmazonPersonalize.ListDatasetGroups', body), op, personalize),
      (e: unknown) => e instanceof AwsError && e.code === 'SerializationException' && e.status === 400, body.slice(0, 40));
  }
  const kmsOp = kms.operations.get('Encrypt')!;
  assert.throws(() => codec.parse(post('TrentService.Encrypt', '{"KeyId":"k","Plaintext":"***"}'), kmsOp, kms),
    (e: unknown) => e instanceof AwsError && e.code === 'SerializationException');
});
