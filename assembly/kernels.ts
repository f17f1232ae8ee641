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

// ------------------------------------------------------------------------------ dense f64 SPD
// Matrices are n×n row-major f64. Row dot products and axpys run two lanes at a time.

@inline function dot(a: usize, b: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  let c: usize = 0;
  const end = <usize>(len & ~1) << 3;
  for (; c < end; c += 16) acc = f64x2.add(acc, f64x2.mul(v128.load(a + c), v128.load(b + c)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (len & 1) s += load<f64>(a + end) * load<f64>(b + end);
  return s;
}

@inline function axpy(y: usize, x: usize, alpha: f64, len: i32): void {
  const av = f64x2.splat(alpha);
  let c: usize = 0;
  const end = <usize>(len & ~1) << 3;
  for (; c < end; c += 16) v128.store(y + c, f64x2.add(v128.load(y + c), f64x2.mul(av, v128.load(x + c))));
  if (len & 1) store<f64>(y + end, load<f64>(y + end) + alpha * load<f64>(x + end));
}

/**
 * In-place Cholesky A = L·Lᵀ (row-oriented Crout): L overwrites the lower triangle, the strict
 * upper triangle is left as it was. Returns 0, or 1 + the row whose pivot was not positive.
 */
export function cholesky(pA: usize, n: i32): i32 {
  const rb = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = pA + <usize>i * rb;
    for (let j = 0; j < i; j++) {
      const rj = pA + <usize>j * rb;
      store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
    }
    const s = load<f64>(ri + (<usize>i << 3)) - dot(ri, ri, i);
    if (!(s > 0)) return i + 1;
    store<f64>(ri + (<usize>i << 3), Math.sqrt(s));
  }
  return 0;
}

/** Solves L·Lᵀ·x = b in place (b: n f64) with the factor from cholesky. */
export function choleskySolve(pL: usize, n: i32, pB: usize): void {
  const rb = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = pL + <usize>i * rb;
    store<f64>(pB + (<usize>i << 3), (load<f64>(pB + (<usize>i << 3)) - dot(ri, pB, i)) / load<f64>(ri + (<usize>i << 3)));
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = load<f64>(pB + (<usize>i << 3));
    for (let k = i + 1; k < n; k++) s -= load<f64>(pL + <usize>k * rb + (<usize>i << 3)) * load<f64>(pB + (<usize>k << 3));
    store<f64>(pB + (<usize>i << 3), s / load<f64>(pL + <usize>i * rb + (<usize>i << 3)));
  }
}

/**
 * Inverse of an SPD matrix: A (at pA) is destroyed; the full symmetric inverse is written to pW
 * (n×n). Steps: L = chol(A); M = L⁻¹ row by row into pW; Mᵀ into pA; P[i][j] = Mᵀ[i]·Mᵀ[j] over
 * k ≥ max(i, j) into pW. Returns what cholesky returns.
 */
export function spdInverse(pA: usize, n: i32, pW: usize): i32 {
  const bad = cholesky(pA, n);
  if (bad) return bad;
  const rb = <usize>n << 3;
  memory.fill(pW, 0, <usize>n * rb);
  for (let i = 0; i < n; i++) {
    const li = pA + <usize>i * rb;
    const mi = pW + <usize>i * rb;
    for (let k = 0; k < i; k++) axpy(mi, pW + <usize>k * rb, -load<f64>(li + (<usize>k << 3)), k + 1);
    const inv = 1 / load<f64>(li + (<usize>i << 3));
    store<f64>(mi + (<usize>i << 3), load<f64>(mi + (<usize>i << 3)) + 1);
    for (let c = 0; c <= i; c++) store<f64>(mi + (<usize>c << 3), load<f64>(mi + (<usize>c << 3)) * inv);
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) store<f64>(pA + <usize>i * rb + (<usize>k << 3), k >= i ? load<f64>(pW + <usize>k * rb + (<usize>i << 3)) : 0);
  }
  for (let i = 0; i < n; i++) {
    const ti = pA + <usize>i * rb;
    for (let j = 0; j <= i; j++) {
      // Mᵀ[j] is zero before column j and Mᵀ[i] before column i ≥ j: the dot runs from i.
      const s = dot(ti + (<usize>i << 3), pA + <usize>j * rb + (<usize>i << 3), n - i);
      store<f64>(pW + <usize>i * rb + (<usize>j << 3), s);
      store<f64>(pW + <usize>j * rb + (<usize>i << 3), s);
    }
  }
  return 0;
}
