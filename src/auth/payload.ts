import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { AwsError } from '../shared/aws-error.js';
import type { Authenticated } from './authenticate.js';
import { AwsChunkedDecoder, decodeAwsChunked } from './aws-chunked.js';
import { authError } from './sigv4/errors.js';

const mismatch = (client: string, computed: string) =>
  authError('restXml', { kind: 'contentSha256Mismatch', client, computed });

/** Passes bytes through and fails at the end unless they hash to the signed SHA-256. */
class Sha256Check extends Transform {
  private readonly hash = createHash('sha256');
  constructor(private readonly expected: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback) {
    const computed = this.hash.digest('hex');
    cb(computed === this.expected ? null : mismatch(this.expected, computed));
  }
}

/**
 * The payload an S3 operation reads from a streamed body: de-chunked (aws-chunked, each chunk's
 * signature checked) and hash-checked as it flows. It errors before it ends if anything is wrong,
 * so a consumer must commit only after 'end'.
 */
export function streamedPayload(stream: Readable, auth: Authenticated): { body: Readable; trailers?: () => Record<string, string> } {
  let body = stream;
  let decoder: AwsChunkedDecoder | undefined;
  const stage = (t: Transform) => {
    // pipe(), not pipeline(): a consumer that gives up destroys its stage but not the request, so the
    // server can still answer and drain the connection.
    body.on('error', (e) => t.destroy(e));
    body = body.pipe(t);
  };
  if (auth.chunked) stage((decoder = new AwsChunkedDecoder(auth.chunked)));
  if (auth.payloadSha256) stage(new Sha256Check(auth.payloadSha256));
  return { body, trailers: decoder && (() => ({ ...decoder!.trailers })) };
}

/** The same checks on a body read whole. */
export function bufferedPayload(body: Buffer, auth: Authenticated): Buffer {
  const decoded = auth.chunked ? decodeAwsChunked(body, auth.chunked).body : body;
  if (auth.payloadSha256) {
    const computed = createHash('sha256').update(decoded).digest('hex');
    if (computed !== auth.payloadSha256) throw mismatch(auth.payloadSha256, computed);
  }
  return decoded;
}

/** Reads a stream whole, refusing more than `limit` bytes with S3's error. */
export async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream) {
    size += (c as Buffer).length;
    if (size > limit) {
      stream.destroy();
      throw new AwsError('MaxMessageLengthExceeded', 'Your request was too big.', 400);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
