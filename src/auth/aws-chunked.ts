import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { AwsError } from '../shared/aws-error.js';
import { s3SignatureMismatch } from './sigv4/errors.js';
import { EMPTY_SHA256, sha256Hex } from './sigv4/keys.js';
import { checkSignature } from './sigv4/verify.js';

/**
 * `Content-Encoding: aws-chunked` bodies (S3 uploads): `hex-size[;chunk-signature=sig]\r\n data \r\n`
 * repeated, a zero-size chunk, then trailing headers (checksums) and an empty line.
 * `signed` chains each chunk's signature from the request's (the seed); `signed-trailer` also signs
 * the trailing headers; `unsigned-trailer` signs nothing in the body.
 */
export type ChunkedMode = 'signed' | 'signed-trailer' | 'unsigned-trailer';

export interface ChunkSigning {
  key: Buffer;
  amzDate: string;
  scope: string;
  /** The request's own signature, which the first chunk's signature chains from. */
  seed: string;
  accessKeyId: string;
}

export interface AwsChunkedOptions {
  mode: ChunkedMode;
  /** Required for the signed modes. */
  signing?: ChunkSigning;
  /** `x-amz-decoded-content-length`, when the client sent it: the decoded body must have exactly this length. */
  decodedLength?: number;
}

const MAX_LINE = 4096;
const MAX_TRAILERS = 16 * 1024;
const MIN_CHUNK = 8192;
const CHUNK_SIGNATURE = /^([0-9a-fA-F]{1,16})(?:;chunk-signature=([^;]*))?(?:;.*)?$/;

const incomplete = () => new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
const malformedTrailer = () =>
  new AwsError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400);

type State = 'size' | 'data' | 'dataEnd' | 'trailer' | 'done';

/** The decoding state machine, fed buffers as they arrive; emits decoded data without copying it. */
class ChunkParser {
  readonly trailers: Record<string, string> = {};
  private state: State = 'size';
  private line = '';
  private lineEnd = false;
  private trailerBytes = 0;
  private trailerText = '';
  private trailerSigned = false;
  private remaining = 0;
  private size = 0;
  private index = 0;
  private previousSize = -1;
  private decoded = 0;
  private hash?: Hash;
  private provided = '';
  private previous: string;
  private readonly signed: boolean;

  constructor(private readonly options: AwsChunkedOptions) {
    this.signed = options.mode !== 'unsigned-trailer';
    if (this.signed && !options.signing) throw new Error(`aws-chunked mode ${options.mode} needs signing`);
    this.previous = options.signing?.seed ?? '';
  }

  push(buf: Buffer, emit: (data: Buffer) => void): void {
    let at = 0;
    while (at < buf.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, buf.length - at);
        const piece = buf.subarray(at, at + n);
        this.hash?.update(piece);
        this.decoded += n;
        if (this.options.decodedLength !== undefined && this.decoded > this.options.decodedLength) throw incomplete();
        emit(piece);
        at += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'dataEnd';
      } else if (this.state === 'done') {
        throw incomplete();
      } else {
        at = this.readLine(buf, at);
        if (this.lineEnd) this.onLine();
      }
    }
  }

  end(): void {
    if (this.state !== 'done') throw incomplete();
    if (this.options.decodedLength !== undefined && this.decoded !== this.options.decodedLength) throw incomplete();
  }

  /** Appends to the current line up to `\n`; sets lineEnd when the line is complete (without its CRLF). */
  private readLine(buf: Buffer, at: number): number {
    const nl = buf.indexOf(0x0a, at);
    const end = nl < 0 ? buf.length : nl;
    this.line += buf.toString('latin1', at, end);
    if (this.line.length > (this.state === 'trailer' ? MAX_TRAILERS : MAX_LINE)) throw this.state === 'trailer' ? malformedTrailer() : incomplete();
    this.lineEnd = nl >= 0;
    if (this.lineEnd) {
      if (!this.line.endsWith('\r')) throw this.state === 'trailer' ? malformedTrailer() : incomplete();
      this.line = this.line.slice(0, -1);
    }
    return nl < 0 ? buf.length : nl + 1;
  }

  private onLine(): void {
    const line = this.line;
    this.line = '';
    this.lineEnd = false;
    if (this.state === 'size') this.startChunk(line);
    else if (this.state === 'dataEnd') {
      if (line !== '') throw incomplete();
      this.finishChunk();
      this.state = 'size';
    } else this.trailerLine(line);
  }

  private startChunk(line: string): void {
    const m = CHUNK_SIGNATURE.exec(line);
    if (!m) throw incomplete();
    this.size = parseInt(m[1], 16);
    this.index++;
    if (this.signed) {
      if (this.size > 0 && this.previousSize >= 0 && this.previousSize < MIN_CHUNK) {
        throw new AwsError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 403,
          'client', { Chunk: String(this.index - 1), BadChunkSize: String(this.previousSize) });
      }
      this.provided = m[2] ?? '';
      this.hash = createHash('sha256');
    }
    this.previousSize = this.size;
    if (this.size > 0) {
      this.remaining = this.size;
      this.state = 'data';
      return;
    }
    this.finishChunk();
    this.state = 'trailer';
  }

  /** Checks the signature of the chunk just read, which the next one chains from. */
  private finishChunk(): void {
    if (!this.hash) return;
    const s = this.options.signing!;
    this.verify(`AWS4-HMAC-SHA256-PAYLOAD\n${s.amzDate}\n${s.scope}\n${this.previous}\n${EMPTY_SHA256}\n${this.hash.digest('hex')}`, this.provided);
    this.hash = undefined;
  }

  private verify(text: string, provided: string): void {
    const s = this.options.signing!;
    const computed = checkSignature(s.key, text, provided);
    if (computed === undefined) throw s3SignatureMismatch({ kind: 'signatureMismatch', accessKeyId: s.accessKeyId, provided, stringToSign: text });
    this.previous = computed;
  }

  private trailerLine(line: string): void {
    if (line === '') return this.finishTrailers();
    const colon = line.indexOf(':');
    if (colon <= 0 || this.options.mode === 'signed') throw malformedTrailer();
    this.trailerBytes += line.length;
    if (this.trailerBytes > MAX_TRAILERS) throw malformedTrailer();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'x-amz-trailer-signature') {
      // The trailer signature comes once, after the trailers it signs.
      if (this.options.mode !== 'signed-trailer' || this.trailerSigned) throw malformedTrailer();
      const s = this.options.signing!;
      this.verify(`AWS4-HMAC-SHA256-TRAILER\n${s.amzDate}\n${s.scope}\n${this.previous}\n${sha256Hex(this.trailerText)}`, value);
      this.trailerSigned = true;
      return;
    }
    if (this.trailerSigned) throw malformedTrailer();
    this.trailers[name] = value;
    this.trailerText += `${name}:${value}\n`;
  }

  private finishTrailers(): void {
    if (this.options.mode === 'signed-trailer' && !this.trailerSigned) throw malformedTrailer();
    this.state = 'done';
  }
}

/** A streaming decoder: pipe the raw body in, read the decoded bytes out; `trailers` once it ends. */
export class AwsChunkedDecoder extends Transform {
  private readonly parser: ChunkParser;

  constructor(options: AwsChunkedOptions) {
    super();
    this.parser = new ChunkParser(options);
  }

  /** Trailing headers (lower-case names, e.g. `x-amz-checksum-crc32`), complete after 'end'. */
  get trailers(): Readonly<Record<string, string>> {
    return this.parser.trailers;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.parser.push(chunk, (data) => this.push(data));
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.parser.end();
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }
}

/** The whole body at once: the decoded bytes and the trailing headers. Throws S3's AwsError. */
export function decodeAwsChunked(body: Buffer, options: AwsChunkedOptions): { body: Buffer; trailers: Record<string, string> } {
  const parser = new ChunkParser(options);
  const out: Buffer[] = [];
  parser.push(body, (data) => out.push(data));
  parser.end();
  return { body: out.length === 1 ? out[0] : Buffer.concat(out), trailers: parser.trailers };
}
