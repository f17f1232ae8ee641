// aws-item-affinity and aws-item-attribute-affinity: user segments. Given items (or the items with
// an attribute value), users are ranked by how likely they are to interact with them, from an
// item-to-item co-occurrence model (as SIMS): a user's score is the summed similarity of their
// distinct training items to the target items, divided by (their item count)^userNorm so heavy
// users do not lead every segment just by having seen more. The similarity to target items a user
// already has counts only at the data's repeat rate: where users seldom come back to an item, it
// is the targets they have not had yet that they may interact with next.
import type { Artifact } from '../artifact.js';
import type { Sequences, SideData } from '../data.js';
import { bestKernels } from '../kernels/wasm.js';
import type { Model, Recipe, Segment } from './model.js';
import { incidence, Neighbours, sims, trainSims, type SimsParams } from './sims.js';

const VERSION = 1;

export interface AffinityParams extends SimsParams {
  /** 0: users' summed affinity as is; 1: its mean over their items. */
  userNorm: number;
}

/** Items per token ("FIELD=value"), CSR over a token list. */
interface TokenIndex {
  names: string[];
  start: Int32Array;
  items: Int32Array;
}

function tokenIndex(itemTokens: readonly (readonly string[])[] | undefined, n: number): TokenIndex {
  const ids = new Map<string, number>();
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const tok of new Set(itemTokens?.[i] ?? [])) {
      if (!ids.has(tok)) ids.set(tok, ids.size);
      pairs.push(ids.get(tok)!, i);
    }
  }
  const start = new Int32Array(ids.size + 1);
  for (let p = 0; p < pairs.length; p += 2) start[pairs[p] + 1]++;
  for (let t = 0; t < ids.size; t++) start[t + 1] += start[t];
  const fill = start.slice(0, ids.size);
  const items = new Int32Array(pairs.length / 2);
  for (let p = 0; p < pairs.length; p += 2) items[fill[pairs[p]]++] = pairs[p + 1];
  return { names: [...ids.keys()], start, items };
}

/** Per attribute value ("FIELD=value"), the items that have it: the queries item-attribute affinity is asked. */
export function itemsPerToken(itemTokens: readonly (readonly string[])[] | undefined, n: number): Int32Array[] {
  const t = tokenIndex(itemTokens, n);
  return t.names.map((_, x) => t.items.slice(t.start[x], t.start[x + 1]));
}

class Affinity implements Model {
  private readonly tokenIds: Map<string, number>;
  /** The similarity rows by column (CSR over target items): who is near each item, and how near. */
  private readonly colStart: Int32Array;
  private readonly colRows: Int32Array;
  private readonly colVals: Float32Array;
  private readonly mine: Uint8Array;
  /** `repeat`: the share of interactions (after each user's first) with an item the user already had. */
  constructor(readonly recipe: string, readonly sim: Neighbours, readonly userStart: Int32Array, readonly userItems: Int32Array,
    readonly tokens: TokenIndex, readonly userNorm: number, readonly repeat: number) {
    this.tokenIds = new Map(tokens.names.map((t, i) => [t, i]));
    const { rowStart, cols, vals, nItems: n } = sim;
    this.colStart = new Int32Array(n + 1);
    for (const c of cols) this.colStart[c + 1]++;
    for (let i = 0; i < n; i++) this.colStart[i + 1] += this.colStart[i];
    const fill = this.colStart.slice(0, n);
    this.colRows = new Int32Array(cols.length);
    this.colVals = new Float32Array(cols.length);
    for (let h = 0; h < n; h++) {
      for (let e = rowStart[h]; e < rowStart[h + 1]; e++) {
        const at = fill[cols[e]]++;
        this.colRows[at] = h;
        this.colVals[at] = vals[e];
      }
    }
    this.mine = new Uint8Array(n);
  }
  get nItems() { return this.sim.nItems; }
  get nUsers() { return this.userStart.length - 1; }
  score(history: Int32Array, out: Float32Array): void {
    this.sim.score(history, out);
  }
  segment(items: Int32Array, k: number): Segment {
    const n = this.nItems;
    const target = new Uint8Array(n);
    for (const i of items) if (i >= 0 && i < n) target[i] = 1;
    // Each item's similarity to the target set (rows are the items' best neighbours).
    const near = new Float32Array(n);
    const { rowStart, cols, vals } = this.sim;
    for (let h = 0; h < n; h++) {
      let s = 0;
      for (let e = rowStart[h]; e < rowStart[h + 1]; e++) if (target[cols[e]]) s += vals[e];
      near[h] = s;
    }
    const nUsers = this.nUsers;
    const scores = new Float32Array(nUsers);
    for (let u = 0; u < nUsers; u++) {
      const from = this.userStart[u], to = this.userStart[u + 1];
      let s = 0, had = 0;
      for (let p = from; p < to; p++) {
        s += near[this.userItems[p]];
        had += target[this.userItems[p]];
      }
      if (had && this.repeat < 1) s -= (1 - this.repeat) * this.nearOwn(from, to, target);
      scores[u] = to > from ? s / Math.pow(to - from, this.userNorm) : 0;
    }
    const top = bestKernels().topK(scores, 1, nUsers, Math.max(0, Math.min(k, nUsers)));
    return { users: top.items, scores: top.scores };
  }
  /** The part of a user's summed similarity (items userItems[from..to)) that goes to targets they already have. */
  private nearOwn(from: number, to: number, target: Uint8Array): number {
    const { userItems, mine, colStart, colRows, colVals } = this;
    for (let p = from; p < to; p++) mine[userItems[p]] = 1;
    let own = 0;
    for (let p = from; p < to; p++) {
      const t = userItems[p];
      if (target[t]) for (let e = colStart[t]; e < colStart[t + 1]; e++) if (mine[colRows[e]]) own += colVals[e];
    }
    for (let p = from; p < to; p++) mine[userItems[p]] = 0;
    return own;
  }
  itemsWithAttribute(token: string): Int32Array {
    const t = this.tokenIds.get(token);
    return t === undefined ? new Int32Array(0) : this.tokens.items.slice(this.tokens.start[t], this.tokens.start[t + 1]);
  }
  toArtifact(): Artifact {
    const inner = this.sim.toArtifact();
    return {
      recipe: this.recipe, version: VERSION, params: { ...inner.params, userNorm: this.userNorm, repeat: this.repeat, tokens: this.tokens.names },
      arrays: { ...inner.arrays, userStart: this.userStart, userItems: this.userItems, tokenStart: this.tokens.start, tokenItems: this.tokens.items },
    };
  }
}

function affinityRecipe(name: string, useTokens: boolean): Recipe<AffinityParams> {
  return {
    version: VERSION,
    defaults: { ...sims.defaults, userNorm: 0.5 },
    train(data: Sequences, params: AffinityParams, side?: SideData) {
      const sim = trainSims(data, params, side);
      const inc = incidence(data);
      const tokens = tokenIndex(useTokens ? side?.itemTokens : undefined, data.nItems);
      const distinct = inc.userItems.length;
      let active = 0;
      for (let u = 0; u < data.nUsers; u++) if (data.offsets[u + 1] > data.offsets[u]) active++;
      const later = data.items.length - active;
      const repeat = later > 0 ? (data.items.length - distinct) / later : 0;
      return new Affinity(name, sim, inc.userStart, inc.userItems, tokens, params.userNorm, repeat);
    },
    load(a: Artifact) {
      // Models trained before the repeat rate was kept rank users who have a target item as others.
      const { tokens, userNorm, repeat = 1 } = a.params as { tokens: string[]; userNorm: number; repeat?: number };
      const sim = Neighbours.load(a);
      const index = { names: tokens, start: a.arrays.tokenStart as Int32Array, items: a.arrays.tokenItems as Int32Array };
      return new Affinity(a.recipe, sim, a.arrays.userStart as Int32Array, a.arrays.userItems as Int32Array, index, userNorm, repeat);
    },
  };
}

export const itemAffinity = affinityRecipe('aws-item-affinity', false);
export const itemAttributeAffinity = affinityRecipe('aws-item-attribute-affinity', true);
