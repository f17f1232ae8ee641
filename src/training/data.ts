// Training input: one entry per interaction in parallel typed arrays, users and items as dense
// indexes (0..nUsers-1, 0..nItems-1; the caller keeps the id dictionaries). Models read it grouped
// by user in time order (Sequences).

export interface Interactions {
  users: Int32Array;
  items: Int32Array;
  /** Seconds (any monotone clock); ties keep input order. */
  times: Float64Array;
  nUsers: number;
  nItems: number;
}

/** Interactions grouped by user, each user's items oldest first: user u owns items[offsets[u]..offsets[u+1]). */
export interface Sequences {
  offsets: Int32Array;
  items: Int32Array;
  times: Float64Array;
  nUsers: number;
  nItems: number;
}

/** Groups by user (counting sort) and orders each user's interactions by time, stably. */
export function toSequences(d: Interactions): Sequences {
  const n = d.users.length;
  const offsets = new Int32Array(d.nUsers + 1);
  for (let r = 0; r < n; r++) offsets[d.users[r] + 1]++;
  for (let u = 0; u < d.nUsers; u++) offsets[u + 1] += offsets[u];
  const fill = offsets.slice(0, d.nUsers);
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[fill[d.users[r]]++] = r;
  const items = new Int32Array(n);
  const times = new Float64Array(n);
  for (let u = 0; u < d.nUsers; u++) {
    const rows = Array.from(order.subarray(offsets[u], offsets[u + 1]));
    rows.sort((a, b) => d.times[a] - d.times[b] || a - b);
    rows.forEach((r, p) => {
      items[offsets[u] + p] = d.items[r];
      times[offsets[u] + p] = d.times[r];
    });
  }
  return { offsets, items, times, nUsers: d.nUsers, nItems: d.nItems };
}

/** Builds Sequences from per-user item lists already in order (times are positions). */
export function fromLists(lists: ArrayLike<number>[], nItems: number): Sequences {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((l, u) => (offsets[u + 1] = offsets[u] + l.length));
  const items = new Int32Array(offsets[lists.length]);
  const times = new Float64Array(items.length);
  lists.forEach((l, u) => {
    items.set(l, offsets[u]);
    for (let p = 0; p < l.length; p++) times[offsets[u] + p] = p;
  });
  return { offsets, items, times, nUsers: lists.length, nItems };
}

/** User u's items, oldest first (a view). */
export const historyOf = (s: Sequences, u: number): Int32Array => s.items.subarray(s.offsets[u], s.offsets[u + 1]);

/**
 * Interactions from dictionary-encoded columns (the imported table's USER_ID and ITEM_ID codes
 * and TIMESTAMP numbers). `rows` selects rows (after event filters); rows with a code of
 * `nullCode` are skipped. Users and items keep their dictionary codes as indexes.
 */
export function fromColumns(c: {
  users: Uint32Array; items: Uint32Array; times: Float64Array; nUsers: number; nItems: number; rows?: Int32Array; nullCode?: number;
}): Interactions {
  const rows = c.rows ?? Int32Array.from({ length: c.users.length }, (_, r) => r);
  const users = new Int32Array(rows.length);
  const items = new Int32Array(rows.length);
  const times = new Float64Array(rows.length);
  let n = 0;
  for (const r of rows) {
    if (c.users[r] === c.nullCode || c.items[r] === c.nullCode) continue;
    users[n] = c.users[r];
    items[n] = c.items[r];
    times[n++] = c.times[r];
  }
  return { users: users.subarray(0, n), items: items.subarray(0, n), times: times.subarray(0, n), nUsers: c.nUsers, nItems: c.nItems };
}

/**
 * What a recipe may use besides interactions, indexed like the interactions (dense item and user
 * indexes). Every field is optional: a dataset group need not have Items or Users data.
 */
export interface SideData {
  /** Per item, its categorical metadata as "FIELD=value" tokens (a multi-valued field gives several). */
  itemTokens?: string[][];
  /** Per item, its textual fields joined by a newline ('' when it has none). */
  itemText?: string[];
  /** Per item, its CREATION_TIMESTAMP in seconds (NaN when unknown); drives exploration and trending. */
  itemCreated?: Float64Array;
  /** Per user, categorical metadata as "FIELD=value" tokens. */
  userTokens?: string[][];
  /** Called as training moves on: a phase name and the fraction of the whole job done (0..1). */
  onProgress?: (phase: string, fraction: number) => void;
}
