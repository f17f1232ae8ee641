// `properties` arrive as a JSON document in a string; its camelCase keys name SCREAMING_SNAKE schema
// fields (numberOfRatings → NUMBER_OF_RATINGS), and each value must fit its field's type.
import { AwsError } from '../../shared/aws-error.js';
import type { Field } from '../personalize/avro.js';
import type { Properties } from './live.js';

export const invalidInput = (message: string) => new AwsError('InvalidInputException', message, 400);

/** numberOfRatings → NUMBER_OF_RATINGS; already-upper names stay as they are. */
export const fieldNameOf = (key: string): string => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

/**
 * Parses and checks one record's properties against the dataset's fields. `forbidden` keys belong
 * to the request itself (userId, eventType…); `reserved` fields are set from request members.
 */
export function parseProperties(text: string | undefined, fields: Field[], forbidden: ReadonlySet<string>, reserved: ReadonlySet<string>, where: string): Properties {
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidInput(`Invalid properties in ${where}: the value is not valid JSON.`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidInput(`Invalid properties in ${where}: the value must be a JSON object.`);
  const out: Properties = {};
  for (const [key, value] of Object.entries(doc)) {
    if (forbidden.has(key)) throw invalidInput(`Invalid properties in ${where}: ${key} is a reserved keyword and cannot be used as a property.`);
    const name = fieldNameOf(key);
    const field = fields.find((f) => f.name === name);
    if (!field || reserved.has(name)) throw invalidInput(`Invalid properties in ${where}: ${key} (${name}) is not a field of the dataset's schema.`);
    out[name] = checkValue(field, value, key, where);
  }
  return out;
}

function checkValue(field: Field, value: unknown, key: string, where: string): string | number | boolean | null {
  if (value === null) {
    if (field.nullable) return null;
    throw invalidInput(`Invalid properties in ${where}: ${key} cannot be null.`);
  }
  switch (field.type) {
    case 'string':
      // A multi-valued categorical field may come as a list; Personalize joins it with '|'.
      if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('|');
      if (typeof value === 'string') return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
    default:
      if (typeof value === 'number' && Number.isFinite(value) && (field.type === 'float' || field.type === 'double' || Number.isInteger(value))) return value;
  }
  throw invalidInput(`Invalid properties in ${where}: ${key} must be of type ${field.type}.`);
}
