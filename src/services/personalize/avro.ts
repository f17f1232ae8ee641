// Avro record schemas as Personalize accepts them: flat records of primitive (or null-union) fields,
// checked once per schema, then against each dataset type's required and reserved fields.
import { invalidInput } from './errors.js';

export type FieldType = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean';

export interface Field {
  name: string;
  type: FieldType;
  nullable: boolean;
  categorical: boolean;
  textual: boolean;
}

const PRIMITIVES = new Set<string>(['string', 'int', 'long', 'float', 'double', 'boolean']);
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function fieldType(name: string, t: unknown): { type: FieldType; nullable: boolean } {
  if (typeof t === 'string' && PRIMITIVES.has(t)) return { type: t as FieldType, nullable: false };
  if (Array.isArray(t) && t.length === 2 && t.includes('null')) {
    const other = t.find((x) => x !== 'null');
    if (typeof other === 'string' && PRIMITIVES.has(other)) return { type: other as FieldType, nullable: true };
  }
  throw invalidInput(`Field ${name} has an unsupported type: ${JSON.stringify(t)}. Supported types are float, double, int, long, string, boolean and null unions of them.`);
}

/** Parses and checks a schema's structure; returns its fields in order. */
export function parseSchema(text: string): Field[] {
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidInput('The schema is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || doc.type !== 'record') throw invalidInput('The schema must be an Avro record: "type" must be "record".');
  if (typeof doc.name !== 'string' || !FIELD_NAME.test(doc.name)) throw invalidInput('The schema must have a valid record "name".');
  if (!Array.isArray(doc.fields) || doc.fields.length === 0) throw invalidInput('The schema must have a non-empty "fields" array.');
  const seen = new Map<string, string>();
  return doc.fields.map((f: any): Field => {
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || !FIELD_NAME.test(f.name)) {
      throw invalidInput(`Invalid field in schema: ${JSON.stringify(f)}.`);
    }
    // Names must stay distinct once underscores are dropped (GENRES_FIELD_1 and GENRESFIELD1 clash).
    const key = f.name.replace(/_/g, '').toUpperCase();
    const clash = seen.get(key);
    if (clash !== undefined) throw invalidInput(`Field names ${clash} and ${f.name} are not unique when underscores are ignored.`);
    seen.set(key, f.name);
    const { type, nullable } = fieldType(f.name, f.type);
    const categorical = f.categorical === true;
    const textual = f.textual === true;
    if ((categorical || textual) && type !== 'string') throw invalidInput(`Field ${f.name}: only string fields can be categorical or textual.`);
    if (categorical && textual) throw invalidInput(`Field ${f.name} cannot be both categorical and textual.`);
    return { name: f.name, type, nullable, categorical, textual };
  });
}

interface TypeRules {
  required: Record<string, FieldType[]>;
  reserved: Record<string, FieldType[]>;
  /** At least this many fields besides required and reserved ones. */
  minMetadata: number;
  maxMetadata: number;
  textual: boolean;
}

const ID = ['string'] as FieldType[];
const TIME = ['long', 'int'] as FieldType[];

const RULES: Record<string, TypeRules> = {
  Interactions: {
    required: { USER_ID: ID, ITEM_ID: ID, TIMESTAMP: TIME },
    reserved: { EVENT_TYPE: ID, EVENT_VALUE: ['float', 'double'], IMPRESSION: ID, RECOMMENDATION_ID: ID, EVENT_ATTRIBUTION_SOURCE: ID },
    minMetadata: 0, maxMetadata: 5, textual: false,
  },
  Users: { required: { USER_ID: ID }, reserved: {}, minMetadata: 1, maxMetadata: 25, textual: false },
  Items: { required: { ITEM_ID: ID }, reserved: { CREATION_TIMESTAMP: TIME }, minMetadata: 1, maxMetadata: 100, textual: true },
  Actions: {
    required: { ACTION_ID: ID },
    reserved: { VALUE: ['int', 'long', 'float', 'double'], CREATION_TIMESTAMP: TIME, REPEAT_FREQUENCY: ['int', 'long'], ACTION_EXPIRATION_TIMESTAMP: TIME },
    minMetadata: 1, maxMetadata: 10, textual: false,
  },
  Action_Interactions: { required: { USER_ID: ID, ACTION_ID: ID, TIMESTAMP: TIME, EVENT_TYPE: ID }, reserved: {}, minMetadata: 0, maxMetadata: 10, textual: false },
};

/** Fields a domain's default schema requires on top of the dataset type's (ECOMMERCE, VIDEO_ON_DEMAND). */
const DOMAIN_REQUIRED: Record<string, Record<string, Record<string, FieldType[]>>> = {
  ECOMMERCE: { Interactions: { EVENT_TYPE: ID }, Items: { PRICE: ['float', 'double'], CATEGORY_L1: ID } },
  VIDEO_ON_DEMAND: { Interactions: { EVENT_TYPE: ID }, Items: { GENRES: ID, CREATION_TIMESTAMP: TIME } },
};

/** The canonical dataset type for a case-insensitive name, or undefined. */
export function canonicalType(datasetType: string): string | undefined {
  return Object.keys(RULES).find((t) => t.toLowerCase() === datasetType.toLowerCase());
}

/** Checks that `fields` suit a dataset of `datasetType` (canonical) in a group of `domain`. */
export function checkForDatasetType(fields: Field[], datasetType: string, domain?: string): void {
  const rules = RULES[datasetType];
  const byName = new Map(fields.map((f) => [f.name, f]));
  const required = { ...rules.required, ...(domain ? DOMAIN_REQUIRED[domain]?.[datasetType] : undefined) };
  for (const [name, types] of Object.entries(required)) {
    const f = byName.get(name);
    if (!f) throw invalidInput(`Schema for ${datasetType} dataset must contain the required field ${name}.`);
    if (!types.includes(f.type) || (rules.required[name] && f.nullable)) {
      throw invalidInput(`Field ${name} in the ${datasetType} schema must be of type ${types[0]}${rules.required[name] ? ' and not nullable' : ''}.`);
    }
  }
  for (const [name, types] of Object.entries(rules.reserved)) {
    const f = byName.get(name);
    if (f && !types.includes(f.type)) throw invalidInput(`Reserved field ${name} in the ${datasetType} schema must be of type ${types[0]}.`);
  }
  if (datasetType === 'Interactions' && byName.get('EVENT_TYPE')?.categorical) throw invalidInput('Field EVENT_TYPE cannot be categorical.');
  const metadata = fields.filter((f) => !(f.name in required) && !(f.name in rules.reserved));
  if (metadata.length < rules.minMetadata) throw invalidInput(`Schema for ${datasetType} dataset must contain at least ${rules.minMetadata} metadata field.`);
  if (metadata.length > rules.maxMetadata) throw invalidInput(`Schema for ${datasetType} dataset can contain at most ${rules.maxMetadata} metadata fields.`);
  const textual = fields.filter((f) => f.textual);
  if (textual.length && !rules.textual) throw invalidInput(`Textual fields are only supported in Items datasets.`);
  if (textual.length > 1) throw invalidInput('An Items schema can contain at most 1 textual field.');
}
