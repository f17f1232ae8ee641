import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretBox } from '../../shared/secret-box.js';
import type { KeyDoc } from './schema.js';
import { invalidCiphertext } from './errors.js';

/**
 * Ciphertext blob, version 1 (all lengths in bytes):
 *
 *   0      1 version (1)
 *   1      1 n = length of the key ARN
 *   2      n key ARN (ASCII): blobs name their key, so Decrypt needs no KeyId
 *   2+n   12 IV
 *   14+n  16 GCM tag
 *   30+n   … AES-256-GCM ciphertext
 *
 * The AAD is the header (version, length, ARN) followed by the canonical encryption context, so
 * the plaintext comes back only under the same key and the same context.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const MATERIAL_BYTES = 32;

/** The encryption context as bytes independent of member order: JSON of [key, value] pairs sorted by key. */
export function canonicalContext(ec: Record<string, string> | undefined): Buffer {
  if (!ec) return Buffer.from('[]');
  return Buffer.from(JSON.stringify(Object.keys(ec).sort().map((k) => [k, ec[k]])));
}

function header(keyArn: string): Buffer {
  const arn = Buffer.from(keyArn, 'latin1');
  if (arn.length > 255) throw new Error('key ARN too long for a ciphertext header');
  return Buffer.concat([Buffer.from([VERSION, arn.length]), arn]);
}

export function sealBlob(material: Buffer, keyArn: string, plaintext: Uint8Array, ec: Record<string, string> | undefined): Buffer {
  const head = header(keyArn);
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', material, iv);
  c.setAAD(Buffer.concat([head, canonicalContext(ec)]));
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([head, iv, c.getAuthTag(), body]);
}

/** The key ARN a blob names; InvalidCiphertextException when it is not a blob this format describes. */
export function blobKeyArn(blob: Uint8Array): string {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (b.length < 2 || b[0] !== VERSION || b.length < 2 + b[1] + IV_BYTES + TAG_BYTES) throw invalidCiphertext();
  return b.toString('latin1', 2, 2 + b[1]);
}

/** The plaintext; InvalidCiphertextException when the blob was altered or the context differs. */
export function openBlob(material: Buffer, blob: Uint8Array, ec: Record<string, string> | undefined): Buffer {
  const b = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = 2 + blobKeyArn(b).length;
  try {
    const d = createDecipheriv('aes-256-gcm', material, b.subarray(n, n + IV_BYTES));
    d.setAAD(Buffer.concat([b.subarray(0, n), canonicalContext(ec)]));
    d.setAuthTag(b.subarray(n + IV_BYTES, n + IV_BYTES + TAG_BYTES));
    return Buffer.concat([d.update(b.subarray(n + IV_BYTES + TAG_BYTES)), d.final()]);
  } catch {
    throw invalidCiphertext();
  }
}

/** New key material, sealed under the master key with the key ARN as AAD (a sealed value moved to another key won't open). */
export const newSealedMaterial = (secrets: SecretBox, keyArn: string): string =>
  secrets.seal(randomBytes(MATERIAL_BYTES).toString('base64'), keyArn);

/** Unsealed material, cached by sealed text: unsealing on every call would double the cost of small operations. */
const materials = new Map<string, Buffer>();
const MAX_CACHED_MATERIALS = 1024;

export function keyMaterial(secrets: SecretBox, key: KeyDoc): Buffer {
  let m = materials.get(key.SealedMaterial);
  if (!m) {
    m = Buffer.from(secrets.unseal(key.SealedMaterial, key.Arn), 'base64');
    if (materials.size >= MAX_CACHED_MATERIALS) materials.clear();
    materials.set(key.SealedMaterial, m);
  }
  return m;
}
