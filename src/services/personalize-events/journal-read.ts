// Reading one dataset group's records back from the events journal as a stream, for work that
// needs all of them (training) rather than the capped lists serving keeps. A reader takes a
// prefix of the file (its length when the work started), so what it sees never changes, and
// keeps only the group's lines: plain lines are matched by their group member before parsing,
// sealed lines by their data key (other groups' keys are never opened).
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { unseal } from './journal.js';


const CHUNK = 1 << 22;

/**
 * Calls `onLine(data, start, end)` for each complete line of `chunk` after what `carry` held of an
 * unfinished one; returns what is left unfinished, for the next chunk (a torn last line never ends).
 */
function splitLines(carry: Buffer, chunk: Buffer, onLine: (data: Buffer, start: number, end: number) => void): Buffer {
  const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
  let start = 0;
  for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
    if (nl > start) onLine(data, start, nl);
    start = nl + 1;
  }
  return Buffer.from(data.subarray(start));
}

/** Complete lines of the first `length` bytes of `path`, read synchronously (on a worker). */
function eachLine(path: string, length: number, onLine: (line: string) => void): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return;
  }
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (let at = 0; at < length;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK, length - at), at);
      if (n === 0) break;
      at += n;
      carry = splitLines(carry, buf.subarray(0, n), (data, start, end) => onLine(data.toString('utf8', start, end)));
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The sealed data keys (base64, by id) of group key `g` in the first `length` bytes: key lines are
 * few, so they are found by searching the bytes, without parsing the records around them. Read
 * asynchronously: this runs on the request loop, before the training worker starts.
 */
export async function groupKeyLines(path: string, length: number, g: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const marker = Buffer.from('{"key":');
  const file = await open(path, 'r').catch(() => undefined);
  if (!file) return out;
  try {
    const buf = Buffer.alloc(CHUNK);
    let carry: Buffer = Buffer.alloc(0);
    for (let at = 0; at < length;) {
      const { bytesRead } = await file.read(buf, 0, Math.min(CHUNK, length - at), at);
      if (bytesRead === 0) break;
      at += bytesRead;
      carry = splitLines(carry, buf.subarray(0, bytesRead), (data, start, end) => {
        if (data.compare(marker, 0, marker.length, start, start + marker.length) !== 0) return;
        const r = JSON.parse(data.toString('utf8', start, end)) as { key: string; g: string; sealed: string };
        if (r.g === g) out.set(r.key, r.sealed);
      });
    }
  } finally {
    await file.close();
  }
  return out;
}

/**
 * Calls `onRecord` with each record of group key `g` in the first `length` bytes of the journal,
 * in the order they were written. Sealed records are opened with `keys` (data key id → plaintext);
 * lines that fail to parse or authenticate are skipped, as when the journal is read at start.
 */
export function readGroupRecords(path: string, length: number, g: string, keys: ReadonlyMap<string, Buffer>, onRecord: (r: Record<string, unknown>) => void): void {
  const member = `"g":${JSON.stringify(g)}`;
  eachLine(path, length, (line) => {
    if (line.startsWith('{"s":')) {
      let r: { s: string; c: string };
      try {
        r = JSON.parse(line);
      } catch {
        return;
      }
      const key = keys.get(r.s);
      if (!key) return;
      let text: string;
      try {
        text = unseal(r.c, key);
      } catch {
        return;
      }
      for (const rec of text.split('\n')) onRecord(JSON.parse(rec));
      return;
    }
    if (!line.includes(member) || line.startsWith('{"key":')) return;
    let r: Record<string, unknown>;
    try {
      r = JSON.parse(line);
    } catch {
      return;
    }
    if (r.g === g) onRecord(r);
  });
}
