import Database from 'better-sqlite3';
import type { MetadataStore } from './store.js';

/** Embedded default: one SQLite file in WAL mode; each transaction is one durable commit. */
export class SqliteStore implements MetadataStore {
  private readonly db: Database.Database;
  private gen = 0;
  private readonly namespaceGens = new Map<string, number>();
  /** Namespaces written by the transaction in progress. */
  private readonly dirty = new Set<string>();
  private readonly stmts;
  private readonly tx: (fn: () => unknown) => unknown;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: a commit survives power loss too, not only a killed process.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS documents (
      kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID`);
    this.stmts = {
      get: this.db.prepare<[string, string], { body: string }>('SELECT body FROM documents WHERE kind = ? AND id = ?'),
      put: this.db.prepare('INSERT INTO documents (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body'),
      del: this.db.prepare('DELETE FROM documents WHERE kind = ? AND id = ?'),
      list: this.db.prepare<[string, string, string, string, number], { body: string }>(
        `SELECT body FROM documents WHERE kind = ? AND id >= ? AND id < ? AND id > ? ORDER BY id LIMIT ?`),
      count: this.db.prepare<[string, string, string], { n: number }>(
        'SELECT count(*) AS n FROM documents WHERE kind = ? AND id >= ? AND id < ?'),
    };
    const run = this.db.transaction((fn: () => unknown) => fn());
    this.tx = (fn) => {
      try {
        const out = run(fn);
        this.gen++;
        for (const ns of this.dirty) this.namespaceGens.set(ns, (this.namespaceGens.get(ns) ?? 0) + 1);
        return out;
      } finally {
        this.dirty.clear();
      }
    };
  }

  get generation(): number {
    return this.gen;
  }

  generationOf(namespace: string): number {
    return this.namespaceGens.get(namespace) ?? 0;
  }

  get<T>(kind: string, id: string): T | undefined {
    const row = this.stmts.get.get(kind, id);
    return row ? (JSON.parse(row.body) as T) : undefined;
  }

  put(kind: string, id: string, value: unknown): void {
    this.inTx(() => {
      this.dirty.add(namespaceOf(kind));
      this.stmts.put.run(kind, id, JSON.stringify(value));
    });
  }

  delete(kind: string, id: string): boolean {
    return this.inTx(() => {
      this.dirty.add(namespaceOf(kind));
      return this.stmts.del.run(kind, id).changes > 0;
    });
  }

  list<T>(kind: string, opts: { prefix?: string; after?: string; limit?: number } = {}): T[] {
    const prefix = opts.prefix ?? '';
    return this.stmts.list
      .all(kind, prefix, prefixEnd(prefix), opts.after ?? '', opts.limit ?? -1)
      .map((r) => JSON.parse(r.body) as T);
  }

  count(kind: string, prefix = ''): number {
    return this.stmts.count.get(kind, prefix, prefixEnd(prefix))!.n;
  }

  transaction<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : (this.tx(fn) as T);
  }

  close(): void {
    this.db.close();
  }

  private inTx<T>(fn: () => T): T {
    return this.transaction(fn);
  }
}

const namespaceOf = (kind: string) => {
  const dot = kind.indexOf('.');
  return dot < 0 ? kind : kind.slice(0, dot);
};

/** The smallest string greater than every string starting with `prefix`. */
function prefixEnd(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
