// Packed, register-blocked f32 GEMM (the Goto/BLIS scheme): op(B) is packed KC×NC into slivers of
// NR columns, op(A) MC×KC into slivers of MR rows, and a micro-kernel keeps an MR×NR tile of C
// in eight SIMD registers while it streams one sliver of each. Packing is what lets the kernel
// read both operands contiguously whatever their layout or transposition.

export const MR = 4;
export const NR = 8;
export const KC = 256;
export const MC = 128;
export const NC = 1024;

/** Packing buffers (static, zeroed, below the host's heap base). */
export const packedA = memory.data(MC * KC * 4, 16);
export const packedB = memory.data(KC * NC * 4, 16);
/** An MR×NR tile for partial edges and for callers that want the raw products. */
export const tile = memory.data(MR * NR * 4, 16);

/**
 * Packs rows i0..i0+mc, columns p0..p0+kc of op(A) (A[i][p], or A[p][i] when `trans`) into MR-row
 * slivers: for each p, the sliver's MR values side by side; rows past mc are zero.
 */
export function packA(pA: usize, lda: i32, trans: bool, i0: i32, mc: i32, p0: i32, kc: i32): void {
  let dst = packedA;
  const ld = <usize>lda << 2;
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    if (trans) {
      // op(A)[i][p] = A[p][i]: a sliver's MR values for one p are adjacent in memory.
      let src = pA + <usize>p0 * ld + (<usize>(i0 + s) << 2);
      for (let p = 0; p < kc; p++, src += ld, dst += 16) {
        if (rows == MR) v128.store(dst, v128.load(src));
        else for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
      }
    } else {
      const src = pA + <usize>(i0 + s) * ld + (<usize>p0 << 2);
      for (let p = 0; p < kc; p++, dst += 16) {
        const at = src + (<usize>p << 2);
        for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(at + <usize>r * ld) : 0);
      }
    }
  }
}

/**
 * Packs rows p0..p0+kc, columns j0..j0+nc of op(B) (B[p][j], or B[j][p] when `trans`) into
 * NR-column slivers: for each p, the sliver's NR values side by side; columns past nc are zero.
 */
export function packB(pB: usize, ldb: i32, trans: bool, p0: i32, kc: i32, j0: i32, nc: i32): void {
  let dst = packedB;
  const ld = <usize>ldb << 2;
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    if (trans) {
      const src = pB + <usize>(j0 + s) * ld + (<usize>p0 << 2);
      for (let p = 0; p < kc; p++, dst += 32) {
        const at = src + (<usize>p << 2);
        for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < cols ? load<f32>(at + <usize>c * ld) : 0);
      }
    } else {
      let src = pB + <usize>p0 * ld + (<usize>(j0 + s) << 2);
      for (let p = 0; p < kc; p++, src += ld, dst += 32) {
        if (cols == NR) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
      }
    }
  }
}

@inline function update(c: usize, alpha: v128, lo: v128, hi: v128): void {
  v128.store(c, f32x4.add(v128.load(c), f32x4.mul(alpha, lo)));
  v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(alpha, hi)), 16);
}

/**
 * C[rows×cols] += alpha · (sliver a)·(sliver b) over kc steps, C at pC with row stride ldc floats.
 * A separate (not inlined) function so that V8 swaps in its optimised tier between calls.
 */
export function microKernel(kc: i32, a: usize, b: usize, pC: usize, ldc: i32, alpha: f32, rows: i32, cols: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++, a += 16, b += 32) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0)); c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0)); c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0)); c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0)); c31 = f32x4.add(c31, f32x4.mul(x, b1));
  }
  const al = f32x4.splat(alpha);
  if (rows == MR && cols == NR) {
    const ld = <usize>ldc << 2;
    update(pC, al, c00, c01);
    update(pC + ld, al, c10, c11);
    update(pC + 2 * ld, al, c20, c21);
    update(pC + 3 * ld, al, c30, c31);
    return;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16); v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80); v128.store(tile, c30, 96); v128.store(tile, c31, 112);
  for (let r = 0; r < rows; r++) {
    const cr = pC + (<usize>r * <usize>ldc << 2);
    for (let c = 0; c < cols; c++) {
      const at = cr + (<usize>c << 2);
      store<f32>(at, load<f32>(at) + alpha * load<f32>(tile + (<usize>(r * NR + c) << 2)));
    }
  }
}

/**
 * C (m×n, row stride ldc) += alpha · op(A)·op(B), with op(A) m×k (A[i][p], or A[p][i] when ta) and
 * op(B) k×n (B[p][j], or B[j][p] when tb); all row-major f32 with row strides lda, ldb.
 */
export function sgemm(m: i32, n: i32, k: i32, alpha: f32, pA: usize, lda: i32, ta: bool, pB: usize, ldb: i32, tb: bool, pC: usize, ldc: i32): void {
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packB(pB, ldb, tb, p0, kc, j0, nc);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packA(pA, lda, ta, i0, mc, p0, kc);
        for (let s = 0; s < nc; s += NR) {
          const b = packedB + <usize>s * <usize>kc * 4;
          const cj = pC + (<usize>(j0 + s) << 2);
          for (let r = 0; r < mc; r += MR) {
            microKernel(kc, packedA + <usize>r * <usize>kc * 4, b, cj + (<usize>(i0 + r) * <usize>ldc << 2), ldc, alpha, min(MR, mc - r), min(NR, nc - s));
          }
        }
      }
    }
  }
}
