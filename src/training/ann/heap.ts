// The candidate and result queues of an HNSW search: (distance, node) pairs in typed arrays that
// grow as needed and are reused across searches.

/** A binary heap of (distance, node) over growable typed arrays; `max` picks the order. */
export class Heap {
  d = new Float32Array(64);
  v = new Int32Array(64);
  size = 0;
  constructor(private readonly max: boolean) {}
  private above(a: number, b: number): boolean {
    return this.max ? this.d[a] > this.d[b] : this.d[a] < this.d[b];
  }
  private swap(a: number, b: number): void {
    const d = this.d[a]; this.d[a] = this.d[b]; this.d[b] = d;
    const v = this.v[a]; this.v[a] = this.v[b]; this.v[b] = v;
  }
  push(dist: number, node: number): void {
    if (this.size === this.d.length) {
      const d = new Float32Array(this.size * 2); d.set(this.d); this.d = d;
      const v = new Int32Array(this.size * 2); v.set(this.v); this.v = v;
    }
    let c = this.size++;
    this.d[c] = dist;
    this.v[c] = node;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.above(c, p)) break;
      this.swap(c, p);
      c = p;
    }
  }
  pop(): void {
    this.size--;
    this.d[0] = this.d[this.size];
    this.v[0] = this.v[this.size];
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const t = r < this.size && this.above(r, l) ? r : l;
      if (!this.above(t, c)) break;
      this.swap(t, c);
      c = t;
    }
  }
  get topD(): number { return this.d[0]; }
  get topV(): number { return this.v[0]; }
}
