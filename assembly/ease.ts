// EASE's weights in f32, in place in one n×n buffer: B = I − P·diag(1/diag(P)), diagonal zero, with
// P = (G + λI)⁻¹. The inverse is LAPACK's recipe — Cholesky (potrf), inverse of the factor
// (trtri), product of the inverse factor with its transpose (lauum) — blocked by NB so that nearly
// all the n³ work runs in the packed GEMM. Only the lower triangle is read; the strict upper one
// is scratch until the last step writes B over the whole matrix.
import { sgemm } from './gemm';

const NB = 128;
/** Strip height of the Cholesky trailing update: the work above the diagonal it wastes is NB/STRIP of it. */
const STRIP = 256;
const rowTmp = memory.data(NB * 4, 16);

@inline function at(pA: usize, n: i32, i: i32, j: i32): usize {
  return pA + ((<usize>i * <usize>n + <usize>j) << 2);
}

@inline function dot(a: usize, b: usize, len: i32): f32 {
  let acc = f32x4.splat(0);
  let c: usize = 0;
  const end = <usize>(len & ~3) << 2;
  for (; c < end; c += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(a + c), v128.load(b + c)));
  let s = (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
  for (; c < <usize>len << 2; c += 4) s += load<f32>(a + c) * load<f32>(b + c);
  return s;
}

/** y += alpha · x over len floats. */
@inline function axpy(y: usize, x: usize, alpha: f32, len: i32): void {
  const av = f32x4.splat(alpha);
  let c: usize = 0;
  const end = <usize>(len & ~3) << 2;
  for (; c < end; c += 16) v128.store(y + c, f32x4.add(v128.load(y + c), f32x4.mul(av, v128.load(x + c))));
  for (; c < <usize>len << 2; c += 4) store<f32>(y + c, load<f32>(y + c) + alpha * load<f32>(x + c));
}

/** Cholesky of the diagonal block at k0 (size kb); returns 0 or 1 + the failing row. */
function potf2(pA: usize, n: i32, k0: i32, kb: i32): i32 {
  for (let i = 0; i < kb; i++) {
    const ri = at(pA, n, k0 + i, k0);
    for (let j = 0; j < i; j++) {
      const rj = at(pA, n, k0 + j, k0);
      store<f32>(ri + (<usize>j << 2), (load<f32>(ri + (<usize>j << 2)) - dot(ri, rj, j)) / load<f32>(rj + (<usize>j << 2)));
    }
    const s = load<f32>(ri + (<usize>i << 2)) - dot(ri, ri, i);
    if (!(s > 0)) return k0 + i + 1;
    store<f32>(ri + (<usize>i << 2), Mathf.sqrt(s));
  }
  return 0;
}

/**
 * Step k0 (a multiple of NB) of the in-place Cholesky of the lower triangle: factors block column
 * k0 and updates the trailing matrix. Returns 0 or 1 + the row whose pivot was not positive.
 */
export function easeFactorStep(pA: usize, n: i32, k0: i32): i32 {
  const kb = min(NB, n - k0);
  const bad = potf2(pA, n, k0, kb);
  if (bad) return bad;
  // Panel below the block: each row x solves x·L11ᵀ = a by forward substitution.
  for (let i = k0 + kb; i < n; i++) {
    const x = at(pA, n, i, k0);
    for (let j = 0; j < kb; j++) {
      const lj = at(pA, n, k0 + j, k0);
      store<f32>(x + (<usize>j << 2), (load<f32>(x + (<usize>j << 2)) - dot(x, lj, j)) / load<f32>(lj + (<usize>j << 2)));
    }
  }
  // Trailing update A22 −= L21·L21ᵀ, lower part, a strip of rows at a time.
  const t0 = k0 + kb;
  for (let i0 = t0; i0 < n; i0 += STRIP) {
    const mb = min(STRIP, n - i0);
    sgemm(mb, i0 + mb - t0, kb, -1, at(pA, n, i0, k0), n, false, at(pA, n, t0, k0), n, true, at(pA, n, i0, t0), n);
  }
  return 0;
}

/** Inverts the lower-triangular diagonal block at j0 (size jb) in place, column by column from the last. */
function trti2(pA: usize, n: i32, j0: i32, jb: i32): void {
  for (let j = jb - 1; j >= 0; j--) {
    const d: f32 = 1 / load<f32>(at(pA, n, j0 + j, j0 + j));
    store<f32>(at(pA, n, j0 + j, j0 + j), d);
    // Column below j := −d · T·column, T the already inverted block below-right of j (descending rows keep it in place).
    for (let i = jb - 1; i > j; i--) {
      const ri = at(pA, n, j0 + i, j0);
      let s: f32 = 0;
      for (let c = j + 1; c <= i; c++) s += load<f32>(ri + (<usize>c << 2)) * load<f32>(at(pA, n, j0 + c, j0 + j));
      store<f32>(ri + (<usize>j << 2), -d * s);
    }
  }
}

/**
 * Step j0 of the in-place inverse of the lower-triangular factor, run for block columns from the
 * last: with the block below-right (T) already inverted, the block column below the diagonal block
 * D becomes −T·X·D⁻¹.
 */
export function easeInvertStep(pA: usize, n: i32, j0: i32): void {
  const jb = min(NB, n - j0);
  trti2(pA, n, j0, jb);
  const r0 = j0 + jb;
  // X := T·X, row blocks from the bottom so each block still sees the original rows above it.
  for (let b0 = (n - r0 - 1) / NB * NB; b0 >= 0 && r0 < n; b0 -= NB) {
    const bs = min(NB, n - r0 - b0);
    for (let i = bs - 1; i >= 0; i--) {
      const row = r0 + b0 + i;
      const xi = at(pA, n, row, j0);
      const ti = at(pA, n, row, r0);
      const tii = load<f32>(ti + (<usize>(b0 + i) << 2));
      for (let c = 0; c < jb; c++) store<f32>(xi + (<usize>c << 2), tii * load<f32>(xi + (<usize>c << 2)));
      for (let c = b0; c < b0 + i; c++) axpy(xi, at(pA, n, r0 + c, j0), load<f32>(ti + (<usize>c << 2)), jb);
    }
    if (b0 > 0) sgemm(bs, jb, b0, 1, at(pA, n, r0 + b0, r0), n, false, at(pA, n, r0, j0), n, false, at(pA, n, r0 + b0, j0), n);
  }
  // X := −X·D⁻¹, a row at a time through rowTmp.
  for (let row = r0; row < n; row++) {
    const x = at(pA, n, row, j0);
    memory.fill(rowTmp, 0, <usize>jb << 2);
    for (let r = 0; r < jb; r++) axpy(rowTmp, at(pA, n, j0 + r, j0), -load<f32>(x + (<usize>r << 2)), r + 1);
    memory.copy(x, rowTmp, <usize>jb << 2);
  }
}

/**
 * Step i0 of P = Mᵀ·M for the inverse factor M in the lower triangle, in place (P's lower
 * triangle), run for block rows from the first.
 */
export function easeProductStep(pA: usize, n: i32, i0: i32): void {
  const ib = min(NB, n - i0);
  // Rows i0.. left of the block := Lᵀ·rows, L the diagonal block (ascending rows keep it in place).
  if (i0 > 0) {
    for (let r = 0; r < ib; r++) {
      const xr = at(pA, n, i0 + r, 0);
      const lrr = load<f32>(at(pA, n, i0 + r, i0 + r));
      for (let c = 0; c < i0; c++) store<f32>(xr + (<usize>c << 2), lrr * load<f32>(xr + (<usize>c << 2)));
      for (let c = r + 1; c < ib; c++) axpy(xr, at(pA, n, i0 + c, 0), load<f32>(at(pA, n, i0 + c, i0 + r)), i0);
    }
  }
  // Diagonal block := LᵀL (lower), ascending so every entry still reads original rows.
  for (let r = 0; r < ib; r++) {
    for (let c = 0; c <= r; c++) {
      let s: f32 = 0;
      for (let k = r; k < ib; k++) s += load<f32>(at(pA, n, i0 + k, i0 + r)) * load<f32>(at(pA, n, i0 + k, i0 + c));
      store<f32>(at(pA, n, i0 + r, i0 + c), s);
    }
  }
  // Block row += (rows below)ᵀ·(rows below), its diagonal block included.
  const below = i0 + ib;
  if (below < n) sgemm(ib, below, n - below, 1, at(pA, n, below, i0), n, true, at(pA, n, below, 0), n, false, at(pA, n, i0, 0), n);
}

const TILE = 32;

/**
 * Adds lambda to the diagonal of the Gram matrix G (n×n f32 at pA, lower triangle read) before
 * the steps; the host then runs easeFactorStep, easeInvertStep and easeProductStep over the
 * blocks (one call each, so every call after the first few runs V8's optimised code) and
 * easeFinish. Returns the block size.
 */
export function easeStart(pA: usize, n: i32, lambda: f32): i32 {
  for (let i = 0; i < n; i++) store<f32>(at(pA, n, i, i), load<f32>(at(pA, n, i, i)) + lambda);
  return NB;
}

/** Writes B over the whole matrix from P's lower triangle; pD is scratch for n floats. */
export function easeFinish(pA: usize, n: i32, pD: usize): void {
  for (let i = 0; i < n; i++) store<f32>(pD + (<usize>i << 2), load<f32>(at(pA, n, i, i)));
  for (let i0 = 0; i0 < n; i0 += TILE) {
    for (let j0 = 0; j0 <= i0; j0 += TILE) {
      for (let i = i0; i < min(n, i0 + TILE); i++) {
        const di = load<f32>(pD + (<usize>i << 2));
        for (let j = j0; j < min(i, j0 + TILE); j++) {
          const p = load<f32>(at(pA, n, i, j));
          store<f32>(at(pA, n, i, j), -p / load<f32>(pD + (<usize>j << 2)));
          store<f32>(at(pA, n, j, i), -p / di);
        }
      }
    }
  }
  for (let i = 0; i < n; i++) store<f32>(at(pA, n, i, i), 0);
}
