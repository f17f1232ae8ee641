/**
 * Property test: every operation, fed inputs generated from its model shape (valid enough to pass the
 * gateway's model validation, hostile in content), answers or throws a 4xx AwsError — never another
 * error — and a refused call leaves the store untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isAwsError } from '../../shared/aws-error.js';
import { loadModel } from '../../protocol/model.js';
import { ioShape, type CShape } from '../../protocol/shapes.js';
import { validateInput } from '../../protocol/validate.js';
import { groupWithData, pzEnv } from './test-support.js';

const model = loadModel('personalize');
const P = 'arn:aws:personalize:us-east-1:000000000000';

/** Strings worth trying: real ARNs and names of the seeded resources, and hostile text. */
const STRINGS = [
  `${P}:dataset-group/g`, `${P}:dataset/g/INTERACTIONS`, `${P}:schema/s`, `${P}:solution/x`, `${P}:campaign/x`,
  `${P}:dataset-group/../../etc`, 'arn:aws:personalize:::recipe/aws-popularity-count', 'arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you',
  'arn:aws:iam::000000000000:role/R', 'arn:aws:kms:us-east-1:000000000000:key/x', 's3://bkt/ix.csv', 's3://bkt/', 's3://../x',
  'Interactions', 'items', 'ECOMMERCE', 'FULL', 'INCREMENTAL', 'UPDATE', 'g', 's', 'x', '{"type":"record"}', 'rate(3 days)',
  'EXCLUDE ItemID WHERE Items.X IN ("a")', 'SAMPLECOUNT()', '', 'a'.repeat(300), '\u0000', 'ñ/..',
];

function value(shape: CShape, depth: number): fc.Arbitrary<unknown> {
  switch (shape.kind) {
    case 'structure': case 'union': {
      if (depth > 3) return fc.constant({});
      const parts: Record<string, fc.Arbitrary<unknown>> = {};
      for (const m of shape.members) parts[m.name] = value(m.shape, depth + 1);
      const required = shape.members.filter((m) => 'smithy.api#required' in m.traits).map((m) => m.name);
      return fc.record(parts, { requiredKeys: required });
    }
    case 'list': return depth > 3 ? fc.constant([]) : fc.array(value(shape.member!.shape, depth + 1), { maxLength: 3 });
    case 'map': return fc.dictionary(fc.constantFrom('a', 'eventValueThreshold', 'POPULARITY'), fc.constantFrom('1', 'x', '0.5'), { maxKeys: 2 });
    case 'boolean': return fc.boolean();
    case 'string': {
      const allowed = shape.traits['smithy.api#enum']?.map((e: { value: string }) => e.value) as string[] | undefined;
      return allowed ? fc.constantFrom(...allowed) : fc.oneof({ arbitrary: fc.constantFrom(...STRINGS), weight: 6 }, { arbitrary: fc.string({ maxLength: 20 }), weight: 1 });
    }
    case 'timestamp': return fc.date();
    default: return fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: -2, max: 600 }));
  }
}

test('no operation crashes or half-applies on model-valid hostile input', async () => {
  const env = pzEnv();
  try {
    await groupWithData(env);
    const ops = [...model.operations.values()];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ops).chain((op) => fc.tuple(fc.constant(op), value(ioShape(model, op.input), 0))), async ([op, input]) => {
      const args = input as Record<string, unknown>;
      if (validateInput(model, op, args).length) return; // the gateway answers these itself
      const before = env.store.generation;
      try {
        await env.call(op.name, args);
      } catch (e) {
        assert.ok(isAwsError(e), `${op.name}(${JSON.stringify(args)}) threw ${(e as Error)?.stack ?? e}`);
        assert.ok(e.status >= 400 && e.status < 500, `${op.name}: ${e.code} ${e.status}`);
        assert.equal(env.store.generation, before, `${op.name} failed with ${e.code} after changing the store`);
      }
    }), { numRuns: 2000 });
    await env.settle();
  } finally {
    env.close();
  }
});
