/**
 * The metadata store contract: JSON documents addressed by (kind, id), listed in id order,
 * changed only inside transactions. Every mutation bumps `generation` so caches (compiled
 * policies, principals) know to refresh.
 */
export interface MetadataStore {
  get<T>(kind: string, id: string): T | undefined;
  put(kind: string, id: string, value: unknown): void;
  /** Returns whether a document was removed. */
  delete(kind: string, id: string): boolean;
  /** Documents of a kind whose id starts with `prefix`, in id order, from after `after` (exclusive), at most `limit`. */
  list<T>(kind: string, opts?: { prefix?: string; after?: string; limit?: number }): T[];
  count(kind: string, prefix?: string): number;
  /** Runs fn atomically: all of its puts and deletes land, or none do. Nests. */
  transaction<T>(fn: () => T): T;
  /** Increases with every committed mutation. */
  readonly generation: number;
  /** Increases with every committed mutation of a kind in `namespace` (the part before the first `.`),
   *  so a cache over IAM documents is not dropped by an S3 upload. */
  generationOf(namespace: string): number;
  close(): void;
}
