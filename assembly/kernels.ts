// Numeric kernels for training and scoring, compiled to WebAssembly with SIMD. The host owns the
// memory layout: it grows the exported memory and passes byte offsets; nothing here allocates
// (packing and scratch buffers are static, below the heap base). The plain-TS twins in
// src/training/kernels/reference.ts compute the same results and are the oracle.
import { KC, MC, MR, NC, NR, microKernel, packA, packB, packedA, packedB, tile } from './gemm';

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

/** Each user row's heap fill while a group of rows is scored (rows go in groups of at most GROUP). */
const GROUP = 1024;
const fills = memory.data(GROUP * 4, 16);
/** MR rows of this depth fill packedA. */
const MAX_PACKED_DEPTH = MC * KC / MR;

/**
 * Offers row u's slice of the MR×NR score tile (items j..j+cols) to its heap. Once the heap is full,
 * a SIMD compare against its worst score drops most lanes at once: items come in ascending order,
 * so an equal score never displaces an earlier item.
 */
@inline function offerTile(r: i32, u: i32, j: i32, cols: i32, k: i32, words: i32, pX: usize, pS: usize, pI: usize, slot: usize): void {
  const h = <usize>u * <usize>k << 2;
  const row = tile + (<usize>(r * NR) << 2);
  let f = load<i32>(slot);
  let mask = (1 << cols) - 1;
  if (f == k) {
    const thr = f32x4.splat(load<f32>(pS + h));
    mask &= i32x4.bitmask(f32x4.gt(v128.load(row), thr)) | (i32x4.bitmask(f32x4.gt(v128.load(row, 16), thr)) << 4);
  }
  while (mask != 0) {
    const lane = ctz(mask);
    mask &= mask - 1;
    if (!excluded(pX, words, u, j + lane)) f = offer(pS + h, pI + h, k, f, load<f32>(row + (<usize>lane << 2)), j + lane);
  }
  store<i32>(slot, f);
}

/**
 * Scores b user rows (b×d, f32) against n item rows (n×d, f32) and keeps each row's k best items
 * (scores into pS, items into pI, b×k each, best first). d must be a multiple of 4. pX, when not
 * 0, is a b×words bitset (words = ceil(n/32)) of items to skip. From four rows on, items are
 * packed a chunk at a time and scored by the GEMM micro-kernel, MR users by NR items per tile;
 * fewer rows (a serving query) take plain dot products, which packing would not repay, as do rows
 * too long (or too short) for the packing buffers.
 */
export function gemmTopK(pU: usize, pV: usize, b: i32, n: i32, d: i32, k: i32, pX: usize, pS: usize, pI: usize): void {
  if (k <= 0) return;
  if (b < MR || d == 0 || d > MAX_PACKED_DEPTH) {
    gemvTopK(pU, pV, b, n, d, k, pX, pS, pI);
    return;
  }
  const words = (n + 31) >>> 5;
  const chunk = min(n, ((KC * NC) / d) & ~(NR - 1));
  for (let g = 0; g < b; g += GROUP) {
    const rows = min(GROUP, b - g);
    memory.fill(fills, 0, <usize>rows << 2);
    for (let j0 = 0; j0 < n; j0 += chunk) {
      const nc = min(chunk, n - j0);
      packB(pV, d, true, 0, d, j0, nc);
      for (let r0 = 0; r0 < rows; r0 += MR) {
        const mr = min(MR, rows - r0);
        packA(pU, d, false, g + r0, mr, 0, d);
        for (let s = 0; s < nc; s += NR) {
          const cols = min(NR, nc - s);
          memory.fill(tile, 0, MR * NR * 4);
          microKernel(d, packedA, packedB + <usize>s * <usize>d * 4, tile, NR, 1, MR, NR);
          for (let r = 0; r < mr; r++) offerTile(r, g + r0 + r, j0 + s, cols, k, words, pX, pS, pI, fills + (<usize>(r0 + r) << 2));
        }
      }
    }
    for (let r = 0; r < rows; r++) {
      const h = <usize>(g + r) * <usize>k << 2;
      finish(pS + h, pI + h, k, load<i32>(fills + (<usize>r << 2)));
    }
  }
}

/** gemmTopK for a few rows: one SIMD dot product per (row, item). */
function gemvTopK(pU: usize, pV: usize, b: i32, n: i32, d: i32, k: i32, pX: usize, pS: usize, pI: usize): void {
  const words = (n + 31) >>> 5;
  const rowBytes = <usize>d << 2;
  for (let u = 0; u < b; u++) {
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

export { cholesky, choleskySolve, foldIn } from './spd';
export { sgemm } from './gemm';
export { easeStart, easeFactorStep, easeInvertStep, easeProductStep, easeFinish } from './ease';
export { gram, alsCG } from './als';
