// Copies the AWS Smithy models Tailor serves into models/, without the traits the server never reads
// (documentation, examples, endpoint rules), so the committed copies stay small. The Personalize models
// also get the members only botocore has (see merge-botocore.mjs).
// Usage: node tools/codegen/strip-models.mjs <dir holding the original model files>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { mergeBotocore } from './merge-botocore.mjs';

const DROP = new Set([
  'smithy.api#documentation', 'smithy.api#examples', 'smithy.rules#endpointRuleSet',
  'smithy.rules#endpointTests', 'smithy.rules#contextParam', 'smithy.rules#staticContextParams',
  'smithy.rules#clientContextParams', 'smithy.rules#operationContextParams', 'smithy.api#externalDocumentation',
  'smithy.api#suppress', 'aws.api#clientEndpointDiscovery', 'smithy.test#smokeTests', 'smithy.api#deprecated',
]);
const strip = (value) => {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!DROP.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
};

const [src] = process.argv.slice(2);
if (!src) throw new Error('usage: strip-models.mjs <source dir>');
const read = (file) => JSON.parse(readFileSync(join(src, file), 'utf8'));
const PERSONALIZE = ['personalize', 'personalize-runtime', 'personalize-events'];
mkdirSync('models', { recursive: true });
for (const name of ['iam', 'sts', 'kms', 's3', ...PERSONALIZE]) {
  const model = read(`${name}.json`);
  // AWS's Smithy files for Personalize trail its botocore files by a few members the current SDKs send.
  if (PERSONALIZE.includes(name)) {
    for (const line of mergeBotocore(model, read(`${name}.botocore-service-2.json`))) console.log(`${name}: added ${line}`);
  }
  writeFileSync(join('models', `${name}.json`), JSON.stringify(strip(model)) + '\n');
}
for (const name of PERSONALIZE) {
  const model = read(`${name}.botocore-service-2.json`);
  for (const shape of Object.values(model.shapes)) delete shape.documentation;
  for (const op of Object.values(model.operations)) delete op.documentation;
  delete model.documentation;
  writeFileSync(join('models', `${name}.botocore.json`), JSON.stringify(model) + '\n');
}
