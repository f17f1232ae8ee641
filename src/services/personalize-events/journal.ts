// The events journal: every accepted Put* record, one JSON line each, appended to one file under
// the data dir. A call's promise resolves only after its lines are fsynced; calls that arrive while
// a write is in flight wait for the next one and share its fsync (group commit), so durability
// costs one fsync per batch of calls, not per call. At start the journal is read back (a torn
// last line, from a crash mid-write, was never acknowledged and is dropped).
// Records of a KMS-keyed dataset group are sealed (AES-256-GCM) under a data key its KMS key
// protects: a key line carries the sealed data key once, then each write holds one sealed line per
// key with all of that write's records, so sealing costs one cipher per write, not per record.
// (Key lines carry a top-level `key` member and sealed lines an `s`; records never do.)
import { gcmOpen, gcmSeal } from '../../shared/gcm.js';
import { closeSync, existsSync, fdatasync, mkdirSync, openSync, readFileSync, write } from 'node:fs';
import { join } from 'node:path';

/** A data key: its id in the journal, the group it belongs to, and its plaintext and KMS-sealed (base64) forms. */
export interface JournalKey {
  id: string;
  g: string;
  plaintext: Buffer;
  sealed: string;
}

/** Opens a group's sealed data key (through KMS); undefined when it cannot be opened. */
export type KeyOpener = (g: string, sealed: Buffer) => Buffer | undefined;

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}

const seal = (text: string, key: Buffer): string => gcmSeal(Buffer.from(text, 'utf8'), key).toString('base64');

/** A sealed journal line's records (throws when they do not authenticate under `key`). */
export const unseal = (b64: string, key: Buffer): string => gcmOpen(Buffer.from(b64, 'base64'), key).toString('utf8');

/** The journal's file under a data dir. */
export const journalPath = (dataDir: string): string => join(dataDir, 'personalize-events', 'journal.jsonl');

export class Journal {
  private fd: number | undefined;
  private queued: string[] = [];
  /** Records waiting to be sealed, per key. */
  private toSeal = new Map<JournalKey, string[]>();
  /** Keys whose key line is on disk. */
  private announced = new Set<string>();
  private waiters: Waiter[] = [];
  private busy = false;

  constructor(readonly path: string) {}

  /** Every complete record written so far, in order; sealed ones opened with `open` (skipped when it cannot). */
  readAll(open?: KeyOpener): unknown[] {
    if (!existsSync(this.path)) return [];
    const out: unknown[] = [];
    const keys = new Map<string, { g: string; sealed: string; plaintext?: Buffer | null }>();
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line) continue;
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(line);
      } catch {
        // Only the last line can be torn; it was never acknowledged.
        continue;
      }
      if (typeof r.key === 'string') {
        keys.set(r.key, { g: r.g as string, sealed: r.sealed as string });
        this.announced.add(r.key);
      } else if (typeof r.s === 'string') {
        const k = keys.get(r.s);
        if (!k) continue;
        if (k.plaintext === undefined) k.plaintext = open?.(k.g, Buffer.from(k.sealed, 'base64')) ?? null;
        if (!k.plaintext) continue;
        let text: string;
        try {
          text = unseal(r.c as string, k.plaintext);
        } catch {
          // Altered on disk: it fails authentication, and is not trusted.
          continue;
        }
        for (const rec of text.split('\n')) out.push(JSON.parse(rec));
      } else {
        out.push(r);
      }
    }
    return out;
  }

  /** Appends records (sealed under `key` when given); resolves once they are on disk. */
  append(records: unknown[], key?: JournalKey): Promise<void> {
    if (key) {
      let list = this.toSeal.get(key);
      if (!list) this.toSeal.set(key, (list = []));
      for (const r of records) list.push(JSON.stringify(r));
    } else {
      for (const r of records) this.queued.push(JSON.stringify(r) + '\n');
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.busy) this.flush();
    });
  }

  private open(): number {
    if (this.fd === undefined) {
      mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
      this.fd = openSync(this.path, 'a', 0o600);
    }
    return this.fd;
  }

  /** This write's text: plain lines, then per key its key line (once) and one sealed line. */
  private take(): { text: string; keys: string[] } {
    const parts = this.queued;
    const keys: string[] = [];
    for (const [k, recs] of this.toSeal) {
      if (!this.announced.has(k.id)) {
        parts.push(`${JSON.stringify({ key: k.id, g: k.g, sealed: k.sealed })}\n`);
        keys.push(k.id);
      }
      parts.push(`${JSON.stringify({ s: k.id, c: seal(recs.join('\n'), k.plaintext) })}\n`);
    }
    this.queued = [];
    this.toSeal = new Map();
    return { text: parts.join(''), keys };
  }

  private flush(): void {
    if (this.waiters.length === 0) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const waiters = this.waiters;
    this.waiters = [];
    let fd: number;
    let data: Buffer;
    let keys: string[];
    try {
      const taken = this.take();
      data = Buffer.from(taken.text);
      keys = taken.keys;
      fd = this.open();
    } catch (e) {
      for (const w of waiters) w.reject(e as Error);
      return this.flush();
    }
    const done = (e: Error | null) => {
      if (!e) for (const k of keys) this.announced.add(k);
      for (const w of waiters) (e ? w.reject(e) : w.resolve());
      this.flush();
    };
    const writeFrom = (offset: number) => {
      write(fd, data, offset, data.length - offset, null, (e, n) => {
        if (e) return done(e);
        if (offset + n < data.length) return writeFrom(offset + n);
        fdatasync(fd, done);
      });
    };
    writeFrom(0);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
