import { AwsError } from '../shared/aws-error.js';
import type { ServiceModel } from './model.js';
import { jsonText, readJson, type JsonOptions } from './json-shapes.js';
import { ioShape, shapesOf, type CShape } from './shapes.js';
import type { Codec, HttpResponse } from './types.js';

/** The JSON protocols' deserialisation failure (Coral answers a bare `SerializationException`). */
export function serializationError(message = ''): AwsError {
  return new AwsError('SerializationException', message, 400);
}

const TOKEN = (v: unknown): string =>
  Array.isArray(v) ? 'START_ARRAY' : v === null ? 'VALUE_NULL' : typeof v === 'object' ? 'START_OBJECT'
    : typeof v === 'string' ? 'VALUE_STRING' : typeof v === 'boolean' ? (v ? 'VALUE_TRUE' : 'VALUE_FALSE')
      : Number.isInteger(v) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
const JAVA_TYPE: Record<string, string> = {
  structure: 'Structure', union: 'Structure', list: 'List', map: 'Map', string: 'String', blob: 'Blob', boolean: 'Boolean',
  timestamp: 'Date', byte: 'Byte', short: 'Short', integer: 'Integer', long: 'Long', float: 'Float', double: 'Double',
};

/** Options for JSON bodies: a value that does not fit its shape is a SerializationException. */
export function jsonOptions(jsonName: boolean): JsonOptions {
  return {
    jsonName,
    invalid(_path, value, shape) {
      throw serializationError(`${TOKEN(value)} can not be converted to ${JAVA_TYPE[shape.kind] ?? shape.kind}`);
    },
  };
}

/** Parses a JSON request body into the structure `shape` (an empty body is `{}`). */
export function parseJsonBody(body: Buffer, shape: CShape, opts: JsonOptions): Record<string, unknown> {
  const text = body.toString('utf8');
  if (!text.trim()) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw serializationError();
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw serializationError();
  return readJson(data, shape, shape.traits, opts, '') as Record<string, unknown>;
}

/** The JSON error document: `__type`, the message under the casing the error shape declares, modeled fields. */
export function errorText(err: AwsError, model: ServiceModel, opts: JsonOptions, withType: boolean): string {
  const shape = shapesOf(model).errorShape(err.code);
  const parts: string[] = withType ? [`"__type":${JSON.stringify(err.code)}`] : [];
  if (err.message) parts.push(`"${shape?.memberByName.has('Message') ? 'Message' : 'message'}":${JSON.stringify(err.message)}`);
  for (const [name, value] of Object.entries(err.fields)) {
    if (value === undefined || value === null) continue;
    const m = shape?.memberByName.get(name);
    parts.push(`${JSON.stringify(name)}:${m ? jsonText(value, m.shape, m.traits, opts, m) : JSON.stringify(value)}`);
  }
  return `{${parts.join(',')}}`;
}

const RPC = jsonOptions(false);

function jsonRpcCodec(protocol: 'awsJson1_0' | 'awsJson1_1'): Codec {
  const contentType = `application/x-amz-json-${protocol === 'awsJson1_0' ? '1.0' : '1.1'}`;
  const respond = (status: number, body: string, requestId: string, extra: Record<string, string> = {}): HttpResponse => ({
    status,
    headers: { 'content-type': contentType, 'x-amzn-requestid': requestId, ...extra },
    body,
  });
  return {
    protocol,
    resolveOperation(req, model) {
      const target = req.headers['x-amz-target'];
      const dot = target ? target.lastIndexOf('.') : -1;
      if (dot < 0 || target!.slice(0, dot) !== model.targetPrefix) return undefined;
      return model.operations.get(target!.slice(dot + 1));
    },
    unknownOperation() {
      // Coral's answer carries no message: `{"__type":"UnknownOperationException"}` with 400.
      return new AwsError('UnknownOperationException', '', 400);
    },
    parse(req, op, model) {
      // The content type is not checked: the target header already chose the protocol.
      return parseJsonBody(req.body, ioShape(model, op.input), RPC);
    },
    serialize(output, op, model, requestId) {
      const shape = ioShape(model, op.output);
      return respond(200, jsonText(output, shape, shape.traits, RPC), requestId);
    },
    serializeError(err, model, requestId) {
      return respond(err.status, errorText(err, model, RPC, true), requestId, { 'x-amzn-errortype': err.code });
    },
  };
}

export const awsJson10Codec = jsonRpcCodec('awsJson1_0');
export const awsJson11Codec = jsonRpcCodec('awsJson1_1');
