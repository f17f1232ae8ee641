// A policy document read, validated against AWS's grammar for its policy type, and compiled statement by
// statement. Version 2012-10-17 turns on policy variables; 2008-10-17 or no Version leaves `${…}` literal.
import { isObject, JsonSyntaxError, parseJson, type JsonValue, type Span } from './json.js';
import { reject, type Problem } from './errors.js';
import { compileStatement, type CompiledStatement } from './statement.js';
import type { PolicyType } from './types.js';

export interface Document {
  version: string | undefined;
  statements: CompiledStatement[];
  spans: Span[];
}

const DOCUMENT_FIELDS = new Set(['Version', 'Id', 'Statement']);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);

export function readDocument(text: string, type: PolicyType): Document {
  const fail: (p: Problem) => never = (p) => reject(p, type);
  if (typeof text !== 'string' || text.length === 0) fail({ kind: 'json' });
  // AWS's IAM parser refuses a document that does not start with its opening brace.
  if (/^\s/.test(text)) fail({ kind: 'leadingSpace' });
  const spans = new WeakMap<object, Span>();
  let doc: JsonValue;
  try {
    doc = parseJson(text, spans);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail({ kind: 'json' });
    throw e;
  }
  if (!isObject(doc)) fail(type === 'resource' ? { kind: 'json' } : { kind: 'syntax' });
  for (const k of Object.keys(doc)) if (!DOCUMENT_FIELDS.has(k)) fail({ kind: 'unknownField', field: k });
  const version = doc.Version;
  if (version !== undefined && (typeof version !== 'string' || !VERSIONS.has(version))) fail({ kind: 'version' });
  if (doc.Id !== undefined && typeof doc.Id !== 'string') fail({ kind: 'syntax' });
  const body = doc.Statement;
  if (body === undefined) fail({ kind: 'missing', field: 'Statement' });
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0) fail({ kind: 'emptyStatement' });
  const variables = version === '2012-10-17';
  const sids = new Set<string>();
  const statements: CompiledStatement[] = [];
  const statementSpans: Span[] = [];
  list.forEach((st, i) => {
    if (!isObject(st)) fail({ kind: 'syntax' });
    const s = compileStatement(st, i, type, variables, fail);
    if (s.sid && type !== 'resource' && type !== 'key') {
      if (sids.has(s.sid)) fail({ kind: 'sidUnique' });
      sids.add(s.sid);
    }
    statements.push(s);
    statementSpans.push(spans.get(st)!);
  });
  return { version: version as string | undefined, statements, spans: statementSpans };
}

/** Policy size as IAM counts it against its quotas: characters other than white space. */
export function policySize(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) n++;
  }
  return n;
}
