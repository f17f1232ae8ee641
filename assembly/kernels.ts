// Numeric kernels for training and scoring, compiled to WebAssembly with SIMD. The host owns the
// memory layout: it grows the exported memory and passes byte offsets; nothing here allocates.
// The plain-TS twins in src/training/kernels/reference.ts follow the same loops and are the oracle.

/** Memory above this offset is free for the host. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}

// ---------------------------------------------------------------------------------- top-k heap
// A row's best k as a min-heap (smallest score at 0); ties prefer the lower item index.

@inline function worse(s1: f32, i1: i32, s2: f32, i2: i32): bool {
  return s1 < s2 || (s1 == s2 && i1 > i2);
}

function siftDown(pS: usize, pI: usize, size: i32, at: i32): void {
  let p = at;
  while (true) {
    const l = 2 * p + 1;
    if (l >= size) break;
    let c = l;
    const r = l + 1;
    if (r < size && worse(load<f32>(pS + (<usize>r << 2)), load<i32>(pI + (<usize>r << 2)), load<f32>(pS + (<usize>l << 2)), load<i32>(pI + (<usize>l << 2)))) c = r;
    const cs = load<f32>(pS + (<usize>c << 2));
    const ci = load<i32>(pI + (<usize>c << 2));
    const ps = load<f32>(pS + (<usize>p << 2));
    const pi = load<i32>(pI + (<usize>p << 2));
    if (!worse(cs, ci, ps, pi)) break;
    store<f32>(pS + (<usize>c << 2), ps);
    store<i32>(pI + (<usize>c << 2), pi);
    store<f32>(pS + (<usize>p << 2), cs);
    store<i32>(pI + (<usize>p << 2), ci);
    p = c;
  }
}

/** Offers (s, item) to a full heap of size k, or appends while it fills (`size` is the fill so far). */
@inline function offer(pS: usize, pI: usize, k: i32, size: i32, s: f32, item: i32): i32 {
  if (size < k) {
    // Sift up.
    let c = size;
    while (c > 0) {
      const p = (c - 1) >> 1;
      const ps = load<f32>(pS + (<usize>p << 2));
      const pi = load<i32>(pI + (<usize>p << 2));
      if (!worse(s, item, ps, pi)) break;
      store<f32>(pS + (<usize>c << 2), ps);
      store<i32>(pI + (<usize>c << 2), pi);
      c = p;
    }
    store<f32>(pS + (<usize>c << 2), s);
    store<i32>(pI + (<usize>c << 2), item);
    return size + 1;
  }
  if (worse(load<f32>(pS), load<i32>(pI), s, item)) {
    store<f32>(pS, s);
    store<i32>(pI, item);
    siftDown(pS, pI, k, 0);
  }
  return size;
}

/** Turns a heap into a list, best first; unfilled slots get item -1 and score -Infinity. */
function finish(pS: usize, pI: usize, k: i32, size: i32): void {
  for (let n = size - 1; n > 0; n--) {
    const s = load<f32>(pS);
    const i = load<i32>(pI);
    store<f32>(pS, load<f32>(pS + (<usize>n << 2)));
    store<i32>(pI, load<i32>(pI + (<usize>n << 2)));
    store<f32>(pS + (<usize>n << 2), s);
    store<i32>(pI + (<usize>n << 2), i);
    siftDown(pS, pI, n, 0);
  }
  for (let n = size; n < k; n++) {
    store<f32>(pS + (<usize>n << 2), -Infinity);
    store<i32>(pI + (<usize>n << 2), -1);
  }
}

@inline function excluded(pX: usize, words: i32, row: i32, item: i32): bool {
  if (pX == 0) return false;
  return ((load<u32>(pX + ((<usize>row * <usize>words + <usize>(item >>> 5)) << 2)) >>> (<u32>item & 31)) & 1) != 0;
}

@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/**
 * Scores b user rows (b×d, f32) against n item rows (n×d, f32) and keeps each row's k best items
 * (scores into pS, items into pI, b×k each, best first). d must be a multiple of 4. pX, when not 0,
 * is a b×words bitset (words = ceil(n/32)) of items to skip. Four users share each item load.
 */
export function gemmTopK(pU: usize, pV: usize, b: i32, n: i32, d: i32, k: i32, pX: usize, pS: usize, pI: usize): void {
  const words = (n + 31) >>> 5;
  const rowBytes = <usize>d << 2;
  let u = 0;
  for (; u + 4 <= b; u += 4) {
    const u0 = pU + <usize>u * rowBytes;
    let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
    const h0 = <usize>u * <usize>k << 2;
    const h1 = h0 + (<usize>k << 2), h2 = h1 + (<usize>k << 2), h3 = h2 + (<usize>k << 2);
    for (let j = 0; j < n; j++) {
      const v = pV + <usize>j * rowBytes;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let c: usize = 0; c < rowBytes; c += 16) {
        const x = v128.load(v + c);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(u0 + c), x));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(u0 + rowBytes + c), x));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(u0 + 2 * rowBytes + c), x));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(u0 + 3 * rowBytes + c), x));
      }
      if (!excluded(pX, words, u, j)) f0 = offer(pS + h0, pI + h0, k, f0, hsum(a0), j);
      if (!excluded(pX, words, u + 1, j)) f1 = offer(pS + h1, pI + h1, k, f1, hsum(a1), j);
      if (!excluded(pX, words, u + 2, j)) f2 = offer(pS + h2, pI + h2, k, f2, hsum(a2), j);
      if (!excluded(pX, words, u + 3, j)) f3 = offer(pS + h3, pI + h3, k, f3, hsum(a3), j);
    }
    finish(pS + h0, pI + h0, k, f0);
    finish(pS + h1, pI + h1, k, f1);
    finish(pS + h2, pI + h2, k, f2);
    finish(pS + h3, pI + h3, k, f3);
  }
  for (; u < b; u++) {
    const u0 = pU + <usize>u * rowBytes;
    const h = <usize>u * <usize>k << 2;
    let f = 0;
    for (let j = 0; j < n; j++) {
      const v = pV + <usize>j * rowBytes;
      let a = f32x4.splat(0);
      for (let c: usize = 0; c < rowBytes; c += 16) a = f32x4.add(a, f32x4.mul(v128.load(u0 + c), v128.load(v + c)));
      if (!excluded(pX, words, u, j)) f = offer(pS + h, pI + h, k, f, hsum(a), j);
    }
    finish(pS + h, pI + h, k, f);
  }
}

/** Top-k of b precomputed score rows (b×n, f32), with the same exclusion bitset and output as gemmTopK. */
export function topK(pScores: usize, b: i32, n: i32, k: i32, pX: usize, pS: usize, pI: usize): void {
  const words = (n + 31) >>> 5;
  for (let u = 0; u < b; u++) {
    const row = pScores + (<usize>u * <usize>n << 2);
    const h = <usize>u * <usize>k << 2;
    let f = 0;
    for (let j = 0; j < n; j++) {
      if (!excluded(pX, words, u, j)) f = offer(pS + h, pI + h, k, f, load<f32>(row + (<usize>j << 2)), j);
    }
    finish(pS + h, pI + h, k, f);
  }
}

export { cholesky, choleskySolve, spdInverse } from './spd';
export { gram, alsCG } from './als';
