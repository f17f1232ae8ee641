// AES-256-GCM sealing of small payloads under a data key: [header][12-byte IV][16-byte tag][ciphertext].
// Dataset files and the events journal seal this way; the header (if any) says what the bytes are.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV = 12;
const TAG = 16;
const NO_HEADER = Buffer.alloc(0);

export function gcmSeal(plain: Buffer, key: Buffer, header: Buffer = NO_HEADER): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([header, iv, c.getAuthTag(), body]);
}

/** The plaintext of `gcmSeal`'s bytes (after a header of `headerBytes`); throws when they do not authenticate. */
export function gcmOpen(sealed: Buffer, key: Buffer, headerBytes = 0): Buffer {
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(headerBytes, headerBytes + IV));
  d.setAuthTag(sealed.subarray(headerBytes + IV, headerBytes + IV + TAG));
  return Buffer.concat([d.update(sealed.subarray(headerBytes + IV + TAG)), d.final()]);
}
