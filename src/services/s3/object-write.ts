import { Readable } from 'node:stream';
import type { HttpRequest } from '../../protocol/types.js';
import { CHECKSUM_ALGORITHMS } from '../../storage/objects/checksums.js';
import type { ChecksumAlgorithm, ObjectAttributes, WriteOptions, Written } from '../../storage/objects/types.js';
import {
  badChecksum, badDigest, entityTooLarge, incompleteBody, invalidArgument, invalidChecksum, invalidDigest, keyTooLong, metadataTooLarge,
} from './errors.js';

/** The largest single PUT (and part, and copy source) S3 takes: 5 GiB. */
export const MAX_PUT = 5 * 1024 ** 3;
const MAX_KEY_BYTES = 1024;
const MAX_METADATA_BYTES = 2048;

/** The payload as a stream, whatever form the codec handed it in (a stream for real uploads). */
export function bodyStream(body: unknown): Readable {
  if (body instanceof Readable) return body;
  if (body === undefined || body === null) return Readable.from([]);
  if (typeof body === 'string') return Readable.from([Buffer.from(body)]);
  if (body instanceof Uint8Array) return Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]);
  throw new Error('object body is neither a stream nor bytes');
}

export function checkKey(key: string): void {
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) throw keyTooLong(bytes);
}

/**
 * The payload's length as the client declared it: with `aws-chunked` uploads Content-Length counts
 * the chunk framing, and the payload's own length travels in x-amz-decoded-content-length.
 */
export function payloadLength(input: { ContentLength?: number }, request?: HttpRequest): number | undefined {
  const decoded = request?.headers['x-amz-decoded-content-length'];
  return decoded !== undefined && /^\d+$/.test(decoded) ? Number(decoded) : input.ContentLength;
}

/** Fails at once when the declared length is too big, and while streaming if the body runs past it. */
export function sizeLimit(contentLength: number | undefined, max = MAX_PUT): NonNullable<WriteOptions['limit']> {
  if (contentLength !== undefined && contentLength > max) throw entityTooLarge(contentLength, max);
  return { bytes: max, error: () => entityTooLarge(contentLength ?? max + 1, max) };
}

/** S3 keeps `aws-chunked` (a transfer detail) out of the stored Content-Encoding. */
function storedEncoding(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const rest = value.split(',').map((s) => s.trim()).filter((s) => s && s !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

/** The attributes a write request gives its object (user metadata keys are case-insensitive: kept lower-case). */
export function attributesFrom(input: any): ObjectAttributes {
  let metadata: Record<string, string> | undefined;
  if (input.Metadata && Object.keys(input.Metadata).length) {
    metadata = {};
    let bytes = 0;
    for (const [k, v] of Object.entries(input.Metadata as Record<string, string>)) {
      metadata[k.toLowerCase()] = v;
      bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
    }
    if (bytes > MAX_METADATA_BYTES) throw metadataTooLarge(bytes, MAX_METADATA_BYTES);
  }
  return {
    contentType: input.ContentType,
    cacheControl: input.CacheControl,
    contentDisposition: input.ContentDisposition,
    contentEncoding: storedEncoding(input.ContentEncoding),
    contentLanguage: input.ContentLanguage,
    expires: input.Expires === undefined ? undefined : new Date(input.Expires).toISOString(),
    websiteRedirectLocation: input.WebsiteRedirectLocation,
    metadata,
  };
}

/** The checksum a write asks for: named by the SDK header, carried as a header, or announced as a trailer. */
export function checksumAlgorithm(input: any, request?: HttpRequest): ChecksumAlgorithm | undefined {
  const named = input.ChecksumAlgorithm as string | undefined;
  if (named !== undefined) {
    if (!CHECKSUM_ALGORITHMS.includes(named as ChecksumAlgorithm)) {
      throw invalidArgument('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
        'x-amz-sdk-checksum-algorithm', named);
    }
    return named as ChecksumAlgorithm;
  }
  const present = CHECKSUM_ALGORITHMS.find((a) => input[`Checksum${a}`] !== undefined);
  if (present) return present;
  const trailer = request?.headers['x-amz-trailer']?.toLowerCase();
  return CHECKSUM_ALGORITHMS.find((a) => trailer === `x-amz-checksum-${a.toLowerCase()}`);
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

/**
 * Checks what arrived against what the request declared: its length, Content-MD5 and the
 * checksum. Content-MD5's form is checked now; the checksum value is read only once the body has
 * ended, because a streamed upload sends it as a trailer after the payload.
 */
export function digestCheck(input: any, algorithm: ChecksumAlgorithm | undefined, length: number | undefined): (w: Written) => void {
  const md5Text: string | undefined = input.ContentMD5;
  const md5 = md5Text === undefined ? undefined : Buffer.from(md5Text, 'base64');
  if (md5Text !== undefined && (!BASE64.test(md5Text) || md5!.length !== 16)) throw invalidDigest(md5Text);
  return (w) => {
    if (length !== undefined && w.size < length) throw incompleteBody();
    if (md5 && !md5.equals(w.md5)) throw badDigest(md5Text!, w.md5.toString('base64'));
    if (!algorithm) return;
    const given: string | undefined = input[`Checksum${algorithm}`];
    if (given === undefined || given === w.checksum) return;
    if (!BASE64.test(given) || Buffer.from(given, 'base64').length !== CHECKSUM_BYTES[algorithm]) throw invalidChecksum(algorithm);
    throw badChecksum(algorithm);
  };
}

/** `{ ChecksumCRC32: value }` and the like, for responses. */
export function checksumOutput(checksum: { algorithm: ChecksumAlgorithm; value: string } | undefined): Record<string, string> {
  return checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value } : {};
}
