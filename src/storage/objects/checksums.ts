import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from './types.js';

/** An incremental checksum; `digest()` is the big-endian value in base64, as S3 prints it. */
export interface Checksum {
  update(chunk: Buffer): void;
  digest(): string;
}

/** Reflected CRC-32C (Castagnoli) table. */
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** Reflected CRC-64/NVME table, as (high, low) 32-bit halves: BigInt per byte would be far too slow. */
const CRC64_TABLE = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  const POLY_HI = 0x9a6c9329, POLY_LO = 0xac4bc9b5;
  for (let i = 0; i < 256; i++) {
    let h = 0, l = i;
    for (let k = 0; k < 8; k++) {
      const carry = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (carry) { h = (h ^ POLY_HI) >>> 0; l = (l ^ POLY_LO) >>> 0; }
    }
    hi[i] = h;
    lo[i] = l;
  }
  return { hi, lo };
})();

const be32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

function crc32Checksum(): Checksum {
  let c = 0;
  return { update: (b) => { c = crc32(b, c); }, digest: () => be32(c) };
}

function crc32cChecksum(): Checksum {
  let c = 0xffffffff;
  return {
    update(b) {
      for (let i = 0; i < b.length; i++) c = CRC32C_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
    },
    digest: () => be32(~c),
  };
}

function crc64Checksum(): Checksum {
  let h = 0xffffffff, l = 0xffffffff;
  const { hi, lo } = CRC64_TABLE;
  return {
    update(b) {
      for (let i = 0; i < b.length; i++) {
        const idx = (l ^ b[i]) & 0xff;
        l = (((l >>> 8) | (h << 24)) ^ lo[idx]) >>> 0;
        h = ((h >>> 8) ^ hi[idx]) >>> 0;
      }
    },
    digest() {
      const out = Buffer.alloc(8);
      out.writeUInt32BE(~h >>> 0, 0);
      out.writeUInt32BE(~l >>> 0, 4);
      return out.toString('base64');
    },
  };
}

function hashChecksum(algorithm: string): Checksum {
  const h = createHash(algorithm);
  return { update: (b) => { h.update(b); }, digest: () => h.digest('base64') };
}

export function newChecksum(algorithm: ChecksumAlgorithm): Checksum {
  switch (algorithm) {
    case 'CRC32': return crc32Checksum();
    case 'CRC32C': return crc32cChecksum();
    case 'CRC64NVME': return crc64Checksum();
    case 'SHA1': return hashChecksum('sha1');
    case 'SHA256': return hashChecksum('sha256');
  }
}

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];
