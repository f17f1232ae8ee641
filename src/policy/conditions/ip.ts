// IpAddress / NotIpAddress: IPv4 and IPv6 addresses or CIDR ranges (RFC 4632 / RFC 4291).
import { plainMatcher, type OperatorDef } from './matcher.js';

interface Cidr {
  bytes: Uint8Array;
  bits: number;
}

/** The 4 or 16 bytes of an address, or undefined when the text is not one. */
export function parseIp(text: string): Uint8Array | undefined {
  return text.includes(':') ? parseV6(text) : parseV4(text);
}

function parseV4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

function parseV6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const bytes = parseIp(addr);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  if (len === undefined) return { bytes, bits: max };
  if (!/^\d{1,3}$/.test(len) || Number(len) > max) return undefined;
  return { bytes, bits: Number(len) };
}

export function inCidr(ip: Uint8Array, cidr: Cidr): boolean {
  if (ip.length !== cidr.bytes.length) return false;
  let bits = cidr.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (cidr.bytes[i] & mask)) return false;
  }
  return true;
}

// Every statement of a decision tests the same aws:SourceIp: parse it once.
let lastText = '';
let lastIp: Uint8Array | undefined;

function ipMatch(req: string, cidr: Cidr | undefined): boolean {
  if (req !== lastText) {
    lastText = req;
    lastIp = parseIp(req.trim());
  }
  const ip = lastIp;
  return ip !== undefined && cidr !== undefined && inCidr(ip, cidr);
}

const factory: OperatorDef['factory'] = (values) => plainMatcher(values, parseCidr, ipMatch);

export const ipOperators: Record<string, OperatorDef> = {
  IpAddress: { factory, negated: false },
  NotIpAddress: { factory, negated: true },
};
