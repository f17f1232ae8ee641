import { Readable } from 'node:stream';
import { AwsError } from '../shared/aws-error.js';
import type { OperationModel, ServiceModel } from './model.js';
import { ioShape, isNumeric, lowerFirst, MAX_DEPTH, type CShape } from './shapes.js';

/** One constraint an input value breaks, as AWS reports it. */
export interface ValidationFailure {
  /** Member path as AWS writes it: `tags.1.member.key`. */
  path: string;
  /** The offending value; undefined for a missing required member. */
  value: unknown;
  /** Leave the value out of the message (sensitive members, blobs, structures). */
  hidden: boolean;
  /** `Member must …` */
  constraint: string;
}

/** The error each service answers constraint failures with (one table, so services never word it twice). */
const VALIDATION_ERRORS: Record<string, { code: string; status: number }> = {
  iam: { code: 'ValidationError', status: 400 },
  sts: { code: 'ValidationError', status: 400 },
  kms: { code: 'ValidationException', status: 400 },
  personalize: { code: 'ValidationException', status: 400 },
  'personalize-runtime': { code: 'ValidationException', status: 400 },
  'personalize-events': { code: 'ValidationException', status: 400 },
  // S3 has no Coral-style validation; its closest answer to a value out of bounds.
  s3: { code: 'InvalidArgument', status: 400 },
};

interface CompiledPattern { re: RegExp | undefined; shown: string }
const patterns = new Map<string, CompiledPattern>();

/**
 * Compiles a model pattern once. AWS's originals are Java regexes matched against the whole value; the
 * Smithy models add `^…$` around them, so a pattern anchored at both ends is shown without the anchors,
 * as AWS prints it. `u` lets `\p{…}` work; patterns invalid under `u` (identity escapes such as `\:`)
 * compile without it. A pattern JS cannot compile is not enforced rather than rejecting every value.
 */
function compilePattern(source: string): CompiledPattern {
  let p = patterns.get(source);
  if (p) return p;
  const anchored = source.length > 1 && source.startsWith('^') && source.endsWith('$') && !source.endsWith('\\$');
  const shown = anchored ? source.slice(1, -1) : source;
  const body = anchored ? `^(?:${shown})$` : source;
  let re: RegExp | undefined;
  for (const flags of ['u', '']) {
    try { re = new RegExp(body, flags); break; } catch { /* try the next flags */ }
  }
  patterns.set(source, (p = { re, shown }));
  return p;
}

/** Smithy counts string length in Unicode code points. */
const codePoints = (s: string): number => (/[\uD800-\uDFFF]/.test(s) ? [...s].length : s.length);

function lengthOf(value: unknown): number | undefined {
  if (typeof value === 'string') return codePoints(value);
  if (Array.isArray(value)) return value.length;
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) return Object.keys(value).length;
  return undefined;
}

function typeMatches(value: unknown, shape: CShape): boolean {
  switch (shape.kind) {
    case 'string': return typeof value === 'string';
    case 'boolean': return typeof value === 'boolean';
    case 'timestamp': return value instanceof Date;
    // A streaming payload (S3 PutObject, UploadPart) arrives as a Readable.
    case 'blob': return value instanceof Uint8Array || typeof value === 'string' || value instanceof Readable;
    case 'list': return Array.isArray(value);
    case 'structure': case 'union': case 'map': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'document': return true;
    default: return isNumeric(shape.kind) && typeof value === 'number';
  }
}

/** The constraints `value` breaks at its own level (nested values are checked by the walk). */
function check(value: unknown, shape: CShape, traits: Record<string, any>): string[] {
  if (!typeMatches(value, shape)) return [`Member must be of type ${shape.kind}`];
  const out: string[] = [];
  const length = traits['smithy.api#length'];
  if (length) {
    const n = lengthOf(value);
    if (n !== undefined && length.min !== undefined && n < length.min) out.push(`Member must have length greater than or equal to ${length.min}`);
    if (n !== undefined && length.max !== undefined && n > length.max) out.push(`Member must have length less than or equal to ${length.max}`);
  }
  const pattern = traits['smithy.api#pattern'];
  if (pattern && typeof value === 'string') {
    const p = compilePattern(pattern);
    if (p.re && !p.re.test(value)) out.push(`Member must satisfy regular expression pattern: ${p.shown}`);
  }
  if (shape.enumValues && typeof value === 'string' && !shape.enumValues.includes(value)) {
    out.push(`Member must satisfy enum value set: [${shape.enumValues.join(', ')}]`);
  }
  const range = traits['smithy.api#range'];
  if (range && typeof value === 'number') {
    if (range.min !== undefined && value < range.min) out.push(`Member must have value greater than or equal to ${range.min}`);
    if (range.max !== undefined && value > range.max) out.push(`Member must have value less than or equal to ${range.max}`);
  }
  return out;
}

/** Every constraint of a shape, worded as in the messages (for map entries). */
function describe(shape: CShape, traits: Record<string, any>): string[] {
  const out: string[] = [];
  const length = traits['smithy.api#length'];
  if (length?.max !== undefined) out.push(`Member must have length less than or equal to ${length.max}`);
  if (length?.min !== undefined) out.push(`Member must have length greater than or equal to ${length.min}`);
  if (traits['smithy.api#pattern']) out.push(`Member must satisfy regular expression pattern: ${compilePattern(traits['smithy.api#pattern']).shown}`);
  const range = traits['smithy.api#range'];
  if (range?.max !== undefined) out.push(`Member must have value less than or equal to ${range.max}`);
  if (range?.min !== undefined) out.push(`Member must have value greater than or equal to ${range.min}`);
  if (shape.enumValues) out.push(`Member must satisfy enum value set: [${shape.enumValues.join(', ')}]`);
  return out;
}

function hiddenValue(shape: CShape, traits: Record<string, any>): boolean {
  return traits['smithy.api#sensitive'] !== undefined || shape.traits['smithy.api#sensitive'] !== undefined
    || shape.kind === 'blob' || shape.kind === 'structure' || shape.kind === 'union';
}

function walk(value: unknown, shape: CShape, traits: Record<string, any>, path: string, depth: number, out: ValidationFailure[]): void {
  const broken = check(value, shape, traits);
  const hidden = hiddenValue(shape, traits);
  for (const constraint of broken) out.push({ path, value, hidden, constraint });
  if ((broken.length && broken[0].startsWith('Member must be of type')) || depth >= MAX_DEPTH) return;
  if (shape.kind === 'structure' || shape.kind === 'union') {
    const obj = value as Record<string, unknown>;
    for (const m of shape.members) {
      const v = obj[m.name];
      const at = path ? `${path}.${lowerFirst(m.name)}` : lowerFirst(m.name);
      if (v === undefined || v === null) {
        if (m.own['smithy.api#required'] !== undefined) out.push({ path: at, value: undefined, hidden: false, constraint: 'Member must not be null' });
      } else {
        walk(v, m.shape, m.traits, at, depth + 1, out);
      }
    }
  } else if (shape.kind === 'list') {
    const m = shape.member!;
    (value as unknown[]).forEach((v, i) => { if (v !== undefined && v !== null) walk(v, m.shape, m.traits, `${path}.${i + 1}.member`, depth + 1, out); });
  } else if (shape.kind === 'map') {
    const k = shape.key!;
    const v = shape.value!;
    const map = value as Record<string, unknown>;
    let badKey = false;
    let badValue = false;
    for (const key of Object.keys(map)) {
      badKey ||= check(key, k.shape, k.traits).length > 0;
      if (map[key] === null || map[key] === undefined) continue;
      if (v.shape.kind === 'structure' || v.shape.kind === 'list' || v.shape.kind === 'map') walk(map[key], v.shape, v.traits, `${path}.${key}`, depth + 1, out);
      else badValue ||= check(map[key], v.shape, v.traits).length > 0;
    }
    // Coral reports a map's entries once, listing every constraint of the entry shape in brackets.
    if (badKey) out.push({ path, value, hidden: true, constraint: `Map keys must satisfy constraint: [${describe(k.shape, k.traits).join(', ')}]` });
    if (badValue) out.push({ path, value, hidden: true, constraint: `Map value must satisfy constraint: [${describe(v.shape, v.traits).join(', ')}]` });
  }
}

/** Every constraint of the operation's input shape that `input` breaks, in member order. */
export function validateInput(model: ServiceModel, op: OperationModel, input: Record<string, unknown>): ValidationFailure[] {
  const out: ValidationFailure[] = [];
  const shape = ioShape(model, op.input);
  walk(input, shape, shape.traits, '', 0, out);
  return out;
}

/** Java's rendering of a value, as it appears between quotes in AWS's messages. */
function show(value: unknown, depth = 0): string {
  if (Array.isArray(value)) return depth > 2 ? '[...]' : `[${value.map((v) => show(v, depth + 1)).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) {
    return depth > 2 ? '{...}' : `{${Object.entries(value).map(([k, v]) => `${k}=${show(v, depth + 1)}`).join(', ')}}`;
  }
  return String(value);
}

/** `N validation error(s) detected: Value 'x' at 'p' failed to satisfy constraint: …; …` */
export function validationMessage(failures: ValidationFailure[]): string {
  const parts = failures.map((f) => {
    const v = f.value === undefined ? 'Value null' : f.hidden ? 'Value' : `Value '${show(f.value)}'`;
    return `${v} at '${f.path}' failed to satisfy constraint: ${f.constraint}`;
  });
  return `${failures.length} validation error${failures.length === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

/** The service's own error for these failures. */
export function validationError(model: ServiceModel, failures: ValidationFailure[]): AwsError {
  const kind = VALIDATION_ERRORS[model.name];
  if (!kind) throw new Error(`no validation error defined for service ${model.name}`);
  return new AwsError(kind.code, validationMessage(failures), kind.status);
}

/** Throws the service's validation error when `input` breaks any constraint of the operation's input. */
export function assertValidInput(model: ServiceModel, op: OperationModel, input: Record<string, unknown>): void {
  const failures = validateInput(model, op, input);
  if (failures.length) throw validationError(model, failures);
}
