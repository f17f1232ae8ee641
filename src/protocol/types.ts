import type { Readable } from 'node:stream';
import type { AwsError } from '../shared/aws-error.js';
import type { ServiceModel, OperationModel } from './model.js';

/** A request as read off the wire; header names are lower-case, `path` excludes the query string. */
export interface HttpRequest {
  method: string;
  /** Raw (still percent-encoded) path, e.g. `/my-bucket/a%20b`. */
  path: string;
  /** Raw query string without `?` (still encoded), '' when absent. */
  rawQuery: string;
  /** Decoded query parameters in order of appearance. */
  query: [string, string][];
  headers: Record<string, string>;
  /** The body, when the server read it whole (every request but a streamed PUT). */
  body: Buffer;
  /**
   * A PUT body not yet read: the gateway hands it to operations with a streaming payload (S3
   * PutObject, UploadPart) and reads it whole for any other operation.
   */
  stream?: Readable;
  /** Remote address, for aws:SourceIp. */
  sourceIp: string;
  secure: boolean;
  /**
   * S3 virtual-hosted style: the bucket the Host header names (see `bucketFromHost` in rest-xml.ts). The
   * gateway sets it before calling `resolveOperation`; the path then holds only the key.
   */
  virtualHostBucket?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** A Readable for streaming payloads (S3 GetObject), piped to the client. */
  body: Buffer | string | Readable;
}

/** One wire protocol, interpreting any service model of that protocol. */
export interface Codec {
  readonly protocol: ProtocolName;
  /** Which operation the request names; undefined when it names none the model knows. */
  resolveOperation(req: HttpRequest, model: ServiceModel): OperationModel | undefined;
  /** The error AWS returns for a request naming no known operation. */
  unknownOperation(req: HttpRequest, model: ServiceModel): AwsError;
  /** Wire request → plain input object (members by their model names). Throws AwsError on malformed input. */
  parse(req: HttpRequest, op: OperationModel, model: ServiceModel): Record<string, unknown>;
  serialize(output: Record<string, unknown>, op: OperationModel, model: ServiceModel, requestId: string): HttpResponse;
  serializeError(err: AwsError, model: ServiceModel, requestId: string): HttpResponse;
}

export type ProtocolName = 'awsQuery' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1' | 'restXml';
