import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  PersonalizeClient, CreateCampaignCommand, CreateSolutionCommand, UpdateSolutionCommand, DescribeSolutionCommand,
  DescribeCampaignCommand,
} from '@aws-sdk/client-personalize';
import { awsJson11Codec as codec } from './aws-json.js';
import { loadModel } from './model.js';
import { capture, replay } from './sdk-oracle.js';
import { validateInput, validationMessage } from './validate.js';

// The Personalize Smithy models get the members only AWS's botocore models have (tools/codegen/merge-botocore.mjs).
const personalize = loadModel('personalize');
const NS = 'com.amazonaws.personalize#';
const member = (struct: string, name: string) => personalize.shape(NS + struct).members?.[name];
const target = (struct: string, name: string) => {
  const m = member(struct, name);
  assert.ok(m, `${struct}.${name} is in the model`);
  return personalize.shape(m.target);
};
const enumValues = (id: string) => Object.values(personalize.shape(id).members ?? {}).map((m) => m.traits?.['smithy.api#enumValue']);

test('rankingInfluence: a map of POPULARITY/FRESHNESS to a weight in [0, 1]', () => {
  for (const struct of ['CampaignConfig', 'BatchInferenceJobConfig']) {
    const map = target(struct, 'rankingInfluence');
    assert.equal(map.type, 'map');
    assert.equal(member(struct, 'rankingInfluence')!.traits?.['smithy.api#required'], undefined);
    assert.equal(personalize.shape(map.key!.target).type, 'enum');
    assert.deepEqual(enumValues(map.key!.target), ['POPULARITY', 'FRESHNESS']);
    const weight = personalize.shape(map.value!.target);
    assert.equal(weight.type, 'double');
    assert.deepEqual(weight.traits?.['smithy.api#range'], { min: 0, max: 1 });
  }
});

test('performIncrementalUpdate: an optional boolean on solution requests and descriptions', () => {
  for (const struct of ['CreateSolutionRequest', 'UpdateSolutionRequest', 'Solution', 'SolutionVersion', 'SolutionUpdateSummary']) {
    assert.equal(target(struct, 'performIncrementalUpdate').type, 'boolean');
    assert.deepEqual(member(struct, 'performIncrementalUpdate')!.traits, {});
  }
});

test('includedDatasetColumns mirrors excludedDatasetColumns: up to 3 dataset types, 50 column names each', () => {
  const map = target('TrainingDataConfig', 'includedDatasetColumns');
  assert.equal(map.type, 'map');
  assert.deepEqual(map.traits?.['smithy.api#length'], { max: 3 });
  assert.equal(map.key!.target, `${NS}DatasetType`);
  assert.equal(map.value!.target, `${NS}ColumnNamesList`);
  const list = personalize.shape(map.value!.target);
  assert.equal(list.traits?.['smithy.api#length'].max, 50);
  const column = personalize.shape(list.member!.target);
  assert.equal(column.traits?.['smithy.api#length'].max, 150);
  assert.equal(column.traits?.['smithy.api#pattern'], '^[A-Za-z_][A-Za-z\\d_]*$');
});

test('every botocore structure member is in the matching Smithy structure', () => {
  const dir = fileURLToPath(new URL('../../../models/', import.meta.url));
  for (const name of ['personalize', 'personalize-runtime', 'personalize-events']) {
    const model = loadModel(name);
    const ns = model.serviceId.split('#')[0];
    const boto = JSON.parse(readFileSync(`${dir}${name}.botocore.json`, 'utf8'));
    assert.deepEqual([...model.operations.keys()].sort(), Object.keys(boto.operations).sort(), `${name} operations`);
    for (const [shape, b] of Object.entries<any>(boto.shapes)) {
      if (b.type !== 'structure') continue;
      let smithy;
      try { smithy = model.shape(`${ns}#${shape}`); } catch { continue; } // Only referenced under another name.
      for (const m of Object.keys(b.members)) assert.ok(smithy.members?.[m], `${name}: ${shape}.${m}`);
    }
  }
});

test('SDK requests with the merged members parse back unchanged', async () => {
  const commands = [
    new CreateCampaignCommand({
      name: 'c', solutionVersionArn: 'arn:aws:personalize:us-east-1:1:solution/s/1', minProvisionedTPS: 1,
      campaignConfig: { rankingInfluence: { POPULARITY: 0.25, FRESHNESS: 1 }, syncWithLatestSolutionVersion: true },
    }),
    new CreateSolutionCommand({
      name: 's', datasetGroupArn: 'arn:aws:personalize:us-east-1:1:dataset-group/g', performIncrementalUpdate: true,
      solutionConfig: { trainingDataConfig: { includedDatasetColumns: { ITEMS: ['GENRE', 'PRICE'] } } },
    }),
    new UpdateSolutionCommand({ solutionArn: 'arn:aws:personalize:us-east-1:1:solution/s', performIncrementalUpdate: false }),
  ];
  for (const command of commands) {
    const req = await capture(PersonalizeClient, command);
    const op = codec.resolveOperation(req, personalize)!;
    const input = codec.parse(req, op, personalize);
    assert.deepEqual(input, command.input);
    assert.deepEqual(validateInput(personalize, op, input), []);
  }
});

test('responses with the merged members read back through the SDK', async () => {
  const cases: [object, Record<string, unknown>][] = [
    [new DescribeCampaignCommand({ campaignArn: 'a' }), { campaign: { campaignArn: 'a', campaignConfig: { rankingInfluence: { FRESHNESS: 0.5 } } } }],
    [new DescribeSolutionCommand({ solutionArn: 'a' }), {
      solution: {
        solutionArn: 'a', performIncrementalUpdate: true, solutionConfig: { trainingDataConfig: { includedDatasetColumns: { USERS: ['AGE'] } } },
        latestSolutionUpdate: { performIncrementalUpdate: false },
      },
    }],
  ];
  for (const [command, output] of cases) {
    const name = command.constructor.name.replace(/Command$/, '');
    const res = codec.serialize(output, personalize.operations.get(name)!, personalize, 'r');
    const { output: got, error } = await replay(PersonalizeClient, command, res);
    assert.equal(error, undefined, String(error));
    const { $metadata, ...rest } = got!;
    assert.deepEqual(rest, output);
  }
});

test('the merged constraints are enforced with AWS wording', () => {
  const op = personalize.operations.get('CreateCampaign')!;
  const base = { name: 'c', solutionVersionArn: 'arn:aws:personalize:us-east-1:1:solution/s/1' };
  const bad = validationMessage(validateInput(personalize, op, { ...base, campaignConfig: { rankingInfluence: { POPULARITY: 1.5 } } }));
  assert.match(bad, /^1 validation error detected: Value at 'campaignConfig\.rankingInfluence' failed to satisfy constraint: Map value must satisfy constraint/);
  const key = validationMessage(validateInput(personalize, op, { ...base, campaignConfig: { rankingInfluence: { AGE: 0.5 } } }));
  assert.match(key, /Map keys must satisfy constraint: \[Member must satisfy enum value set: \[POPULARITY, FRESHNESS\]\]/);
  const cols = Object.fromEntries(['ITEMS', 'USERS', 'INTERACTIONS', 'ACTIONS'].map((t) => [t, ['A']]));
  const solution = personalize.operations.get('CreateSolution')!;
  const many = validationMessage(validateInput(personalize, solution, {
    name: 's', datasetGroupArn: 'arn:aws:personalize:us-east-1:1:dataset-group/g', solutionConfig: { trainingDataConfig: { includedDatasetColumns: cols } },
  }));
  assert.match(many, /at 'solutionConfig\.trainingDataConfig\.includedDatasetColumns' failed to satisfy constraint: Member must have length less than or equal to 3/);
});
