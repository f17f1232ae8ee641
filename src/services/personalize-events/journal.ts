// The events journal: every accepted Put* record, one JSON line each, appended to one file under
// the data dir. A call's promise resolves only after its lines are fsynced; calls that arrive while
// a write is in flight wait for the next one and share its fsync (group commit), so durability
// costs one fsync per batch of calls, not per call. At start the journal is read back (a torn
// last line, from a crash mid-write, was never acknowledged and is dropped).
import { closeSync, existsSync, fdatasync, mkdirSync, openSync, readFileSync, write } from 'node:fs';
import { join } from 'node:path';

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}

export class Journal {
  private fd: number | undefined;
  private queued: string[] = [];
  private waiters: Waiter[] = [];
  private busy = false;

  constructor(readonly path: string) {}

  /** Every complete record written so far, in order. */
  readAll(): unknown[] {
    if (!existsSync(this.path)) return [];
    const out: unknown[] = [];
    for (const line of readFileSync(this.path, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // Only the last line can be torn; it was never acknowledged.
      }
    }
    return out;
  }

  /** Appends records; resolves once they are on disk. */
  append(records: unknown[]): Promise<void> {
    for (const r of records) this.queued.push(JSON.stringify(r) + '\n');
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

  private flush(): void {
    if (this.waiters.length === 0) {
      this.busy = false;
      return;
    }
    this.busy = true;
    const data = Buffer.from(this.queued.join(''));
    const waiters = this.waiters;
    this.queued = [];
    this.waiters = [];
    let fd: number;
    try {
      fd = this.open();
    } catch (e) {
      for (const w of waiters) w.reject(e as Error);
      return this.flush();
    }
    const done = (e: Error | null) => {
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
