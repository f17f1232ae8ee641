// HNSW search over a built graph (src/training/ann/hnsw.ts builds it and holds the plain-TS
// search this one must agree with). Serving spends nearly all of a request's time in distances,
// and they are bound by memory: a search reads a few hundred rows at random. So the walk reads
// int8 rows (one or two cache lines each instead of five f32 ones) and the ef nodes it ends with
// are ranked again by exact f32 dot products. The host lays the graph out once and passes
// offsets to `configure`; a search allocates nothing.

/** Memory above this offset is free for the host. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

// The graph (see HnswGraph): unit rows padded with zeros to `dimP` floats (a multiple of 4),
// level-0 links as n × (2m + 1) ints (count first), upper-level links at upperAt[node].
let vec: usize = 0;
let n: i32 = 0;
let dimP: i32 = 0;
// The same rows as int8 without the norm coordinate (the query's is 0), `dimQ` bytes each (a
// multiple of 16; 64 for 64 factors, one cache line): each row scaled to ±127, with the f32 that
// scales its dot products back at qscale[node]. The query as int16, `dimQ` lanes.
let qvec: usize = 0;
let qscale: usize = 0;
let dimQ: i32 = 0;
let qq: usize = 0;
let qInv: f32 = 0;
let m: i32 = 0;
let base: usize = 0;
let upperAt: usize = 0;
let upper: usize = 0;
// Scratch: a visit tag per node, the candidate min-heap and the result max-heap (n entries each).
let visited: usize = 0;
let candD: usize = 0;
let candV: usize = 0;
let resD: usize = 0;
let resV: usize = 0;
let tag: u32 = 0;

export function configure(pVec: usize, nodes: i32, dim: i32, links: i32, pBase: usize, pUpperAt: usize, pUpper: usize,
  pVisited: usize, pCandD: usize, pCandV: usize, pResD: usize, pResV: usize, pQvec: usize, pQscale: usize, bytes: i32, pQq: usize): void {
  vec = pVec; n = nodes; dimP = dim; m = links; base = pBase; upperAt = pUpperAt; upper = pUpper;
  qvec = pQvec; qscale = pQscale; dimQ = bytes; qq = pQq;
  visited = pVisited; candD = pCandD; candV = pCandV; resD = pResD; resV = pResV;
  tag = 0;
  memory.fill(visited, 0, <usize>n << 2);
}

@inline function dist(q: usize, node: i32): f32 {
  const p = vec + ((<usize>node * <usize>dimP) << 2);
  let a = f32x4.splat(0);
  let b = f32x4.splat(0);
  let c = 0;
  for (; c + 8 <= dimP; c += 8) {
    const o = <usize>c << 2;
    a = f32x4.add(a, f32x4.mul(v128.load(q + o), v128.load(p + o)));
    b = f32x4.add(b, f32x4.mul(v128.load(q + o + 16), v128.load(p + o + 16)));
  }
  if (c < dimP) a = f32x4.add(a, f32x4.mul(v128.load(q + (<usize>c << 2)), v128.load(p + (<usize>c << 2))));
  const s = f32x4.add(a, b);
  return 1 - (f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3));
}

/** 1 − the int8 row's dot product with the int16 query, rescaled: the distance the walk uses. */
@inline function distQ(node: i32): f32 {
  const p = qvec + <usize>node * <usize>dimQ;
  let acc = i32x4.splat(0);
  for (let c = 0; c < dimQ; c += 16) {
    const r = v128.load(p + <usize>c);
    const o = qq + (<usize>c << 1);
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(r), v128.load(o)));
    acc = i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(r), v128.load(o + 16)));
  }
  const s = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3);
  return 1 - <f32>s * load<f32>(qscale + (<usize>node << 2)) * qInv;
}

/** Writes the f32 query at `q` as int16 lanes at ±32767 (the largest product sums stay far inside i32). */
function quantizeQuery(q: usize): void {
  let big: f32 = 0;
  for (let c = 0; c < min(dimP, dimQ); c++) big = max(big, abs(load<f32>(q + (<usize>c << 2))));
  const s: f32 = big > 0 ? 32767 / big : 0;
  qInv = big > 0 ? big / 32767 : 0;
  for (let c = 0; c < dimQ; c++) {
    const v: f32 = c < dimP ? load<f32>(q + (<usize>c << 2)) : 0;
    store<i16>(qq + (<usize>c << 1), <i16>nearest(v * s));
  }
}

/** `max`: the largest distance on top (results); else the smallest (candidates). */
@inline function above(pD: usize, a: i32, b: i32, max: bool): bool {
  const da = load<f32>(pD + (<usize>a << 2));
  const db = load<f32>(pD + (<usize>b << 2));
  return max ? da > db : da < db;
}

@inline function swap(pD: usize, pV: usize, a: i32, b: i32): void {
  const oa = <usize>a << 2;
  const ob = <usize>b << 2;
  const d = load<f32>(pD + oa); store<f32>(pD + oa, load<f32>(pD + ob)); store<f32>(pD + ob, d);
  const v = load<i32>(pV + oa); store<i32>(pV + oa, load<i32>(pV + ob)); store<i32>(pV + ob, v);
}

function push(pD: usize, pV: usize, size: i32, d: f32, v: i32, max: bool): i32 {
  let c = size;
  store<f32>(pD + (<usize>c << 2), d);
  store<i32>(pV + (<usize>c << 2), v);
  while (c > 0) {
    const p = (c - 1) >> 1;
    if (!above(pD, c, p, max)) break;
    swap(pD, pV, c, p);
    c = p;
  }
  return size + 1;
}

function pop(pD: usize, pV: usize, size: i32, max: bool): i32 {
  const last = size - 1;
  store<f32>(pD, load<f32>(pD + (<usize>last << 2)));
  store<i32>(pV, load<i32>(pV + (<usize>last << 2)));
  let c = 0;
  while (true) {
    const l = 2 * c + 1;
    if (l >= last) break;
    const r = l + 1;
    const t = r < last && above(pD, r, l, max) ? r : l;
    if (!above(pD, t, c, max)) break;
    swap(pD, pV, t, c);
    c = t;
  }
  return last;
}

@inline function linksOf(node: i32, level: i32): usize {
  return level == 0
    ? base + ((<usize>node * <usize>(2 * m + 1)) << 2)
    : upper + ((<usize>(load<i32>(upperAt + (<usize>node << 2)) + (level - 1) * (m + 1))) << 2);
}

function greedy(ep: i32, level: i32): i32 {
  let best = ep;
  let bestD = distQ(ep);
  let moved = true;
  while (moved) {
    moved = false;
    const l = linksOf(best, level);
    const count = load<i32>(l);
    for (let j = 1; j <= count; j++) {
      const nb = load<i32>(l + (<usize>j << 2));
      const d = distQ(nb);
      if (d < bestD) { bestD = d; best = nb; moved = true; }
    }
  }
  return best;
}

@inline function allowed(pX: usize, i: i32): bool {
  return pX == 0 || (load<u32>(pX + (<usize>(i >>> 5) << 2)) & (<u32>1 << (i & 31))) == 0;
}

/**
 * The ef nearest nodes to the query at `pQ` (dimP floats) that the exclusion bitset at `pX` (0:
 * none) lets through, written closest first by exact distance to `pOutV`/`pOutD`; returns how many.
 */
export function search(pQ: usize, entry: i32, maxLevel: i32, ef: i32, pX: usize, pOutV: usize, pOutD: usize): i32 {
  quantizeQuery(pQ);
  let ep = entry;
  for (let l = maxLevel; l > 0; l--) ep = greedy(ep, l);
  tag++;
  if (tag == 0) { memory.fill(visited, 0, <usize>n << 2); tag = 1; }
  let nc = 0;
  let nr = 0;
  const d0 = distQ(ep);
  store<u32>(visited + (<usize>ep << 2), tag);
  nc = push(candD, candV, nc, d0, ep, false);
  if (allowed(pX, ep)) nr = push(resD, resV, nr, d0, ep, true);
  while (nc > 0) {
    const cd = load<f32>(candD);
    if (nr >= ef && cd > load<f32>(resD)) break;
    const c = load<i32>(candV);
    nc = pop(candD, candV, nc, false);
    const l = linksOf(c, 0);
    const count = load<i32>(l);
    // The unvisited neighbours' distances first, in a loop with no other branches, so their rows'
    // loads overlap (the output arrays are free until the end and serve as scratch).
    let k = 0;
    for (let j = 1; j <= count; j++) {
      const nb = load<i32>(l + (<usize>j << 2));
      const at = visited + (<usize>nb << 2);
      if (load<u32>(at) == tag) continue;
      store<u32>(at, tag);
      store<i32>(pOutV + (<usize>k << 2), nb);
      k++;
    }
    for (let p = 0; p < k; p++) store<f32>(pOutD + (<usize>p << 2), distQ(load<i32>(pOutV + (<usize>p << 2))));
    for (let p = 0; p < k; p++) {
      const nb = load<i32>(pOutV + (<usize>p << 2));
      const d = load<f32>(pOutD + (<usize>p << 2));
      if (nr < ef || d < load<f32>(resD)) {
        nc = push(candD, candV, nc, d, nb, false);
        if (allowed(pX, nb)) {
          nr = push(resD, resV, nr, d, nb, true);
          if (nr > ef) nr = pop(resD, resV, nr, true);
        }
      }
    }
  }
  // The found nodes again by exact distance: a min-heap (the free candidate one) popped in order.
  const count = nr;
  nc = 0;
  for (let p = 0; p < count; p++) {
    const v = load<i32>(resV + (<usize>p << 2));
    nc = push(candD, candV, nc, dist(pQ, v), v, false);
  }
  for (let p = 0; p < count; p++) {
    store<i32>(pOutV + (<usize>p << 2), load<i32>(candV));
    store<f32>(pOutD + (<usize>p << 2), load<f32>(candD));
    nc = pop(candD, candV, nc, false);
  }
  return count;
}
