// Ids numbered densely in the order they are first seen: the item and user indexes models and
// serving share.

/** Ids in index order; new ids are appended. */
export class IdIndex {
  readonly ids: string[] = [];
  private readonly map = new Map<string, number>();

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  get size(): number {
    return this.ids.length;
  }

  get(id: string): number | undefined {
    return this.map.get(id);
  }

  add(id: string): number {
    let i = this.map.get(id);
    if (i === undefined) {
      this.map.set(id, (i = this.ids.length));
      this.ids.push(id);
    }
    return i;
  }

  /** For each code of a dictionary-encoded column, its index (adding ids not yet known). */
  codes(dict: string[]): Int32Array {
    return Int32Array.from(dict, (id) => this.add(id));
  }
}
