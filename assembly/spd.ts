// Dense f64 SPD kernels (Cholesky, solve) for small normal equations; EASE's large inverse is f32
// and blocked, in ease.ts.
// Matrices are n×n row-major f64. Row dot products run two lanes at a time.

@inline function dot(a: usize, b: usize, len: i32): f64 {
  let acc = f64x2.splat(0);
  let c: usize = 0;
  const end = <usize>(len & ~1) << 3;
  for (; c < end; c += 16) acc = f64x2.add(acc, f64x2.mul(v128.load(a + c), v128.load(b + c)));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (len & 1) s += load<f64>(a + end) * load<f64>(b + end);
  return s;
}

/** Four dot products of rows a0..a3 with row b over len doubles, sharing the loads of b. */
@inline function dot4(a0: usize, a1: usize, a2: usize, a3: usize, b: usize, len: i32, out: usize): void {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  const end = <usize>(len & ~1) << 3;
  for (let c: usize = 0; c < end; c += 16) {
    const x = v128.load(b + c);
    s0 = f64x2.add(s0, f64x2.mul(v128.load(a0 + c), x));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(a1 + c), x));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(a2 + c), x));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(a3 + c), x));
  }
  let r0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
  let r1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
  let r2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
  let r3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
  if (len & 1) {
    const x = load<f64>(b + end);
    r0 += load<f64>(a0 + end) * x; r1 += load<f64>(a1 + end) * x; r2 += load<f64>(a2 + end) * x; r3 += load<f64>(a3 + end) * x;
  }
  store<f64>(out, r0); store<f64>(out, r1, 8); store<f64>(out, r2, 16); store<f64>(out, r3, 24);
}

/** Scratch for dot4 results (below the heap base, so the host never writes there). */
const scratch = memory.data(32, 16);

/**
 * In-place Cholesky A = L·Lᵀ (row-oriented Crout): L overwrites the lower triangle, the strict
 * upper triangle is left as it was. Returns 0, or 1 + the row whose pivot was not positive.
 * Rows go four at a time so each earlier row is streamed from memory once per four.
 */
export function cholesky(pA: usize, n: i32): i32 {
  const rb = <usize>n << 3;
  let i0 = 0;
  for (; i0 < n; i0 += 4) {
    const rows = min(4, n - i0);
    if (rows == 4) {
      const r0 = pA + <usize>i0 * rb, r1 = r0 + rb, r2 = r1 + rb, r3 = r2 + rb;
      for (let j = 0; j < i0; j++) {
        const rj = pA + <usize>j * rb;
        const at = <usize>j << 3;
        dot4(r0, r1, r2, r3, rj, j, scratch);
        const d = load<f64>(rj + at);
        store<f64>(r0 + at, (load<f64>(r0 + at) - load<f64>(scratch)) / d);
        store<f64>(r1 + at, (load<f64>(r1 + at) - load<f64>(scratch, 8)) / d);
        store<f64>(r2 + at, (load<f64>(r2 + at) - load<f64>(scratch, 16)) / d);
        store<f64>(r3 + at, (load<f64>(r3 + at) - load<f64>(scratch, 24)) / d);
      }
    }
    for (let i = i0; i < i0 + rows; i++) {
      const ri = pA + <usize>i * rb;
      for (let j = rows == 4 ? i0 : 0; j < i; j++) {
        const rj = pA + <usize>j * rb;
        store<f64>(ri + (<usize>j << 3), (load<f64>(ri + (<usize>j << 3)) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
      }
      const s = load<f64>(ri + (<usize>i << 3)) - dot(ri, ri, i);
      if (!(s > 0)) return i + 1;
      store<f64>(ri + (<usize>i << 3), Math.sqrt(s));
    }
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
 * One implicit-ALS row for fixed item factors: A = G + Σ_k (c_k − 1)·y_k·y_kᵀ + lambda·I (G at pA,
 * d×d, overwritten by the factor), b = Σ_k c_k·y_k, then A·x = b solved into pB (d f64, zeroed by
 * the host). Rows y_k are h×d f64 at pY, confidences c_k h f64 at pC. Only the lower triangle is
 * updated (the pair that ends a row may touch one element above the diagonal, which is not read).
 * Returns cholesky's code.
 */
export function foldIn(pA: usize, d: i32, pY: usize, pC: usize, h: i32, lambda: f64, pB: usize): i32 {
  const rb = <usize>d << 3;
  for (let k = 0; k < h; k++) {
    const c = load<f64>(pC + (<usize>k << 3));
    const y = pY + <usize>k * rb;
    for (let x = 0; x < d; x++) {
      const yx = load<f64>(y + (<usize>x << 3));
      const bx = pB + (<usize>x << 3);
      store<f64>(bx, load<f64>(bx) + c * yx);
      const w = (c - 1) * yx;
      const wv = f64x2.splat(w);
      const row = pA + <usize>x * rb;
      // Pairs up to the diagonal, without running past the row's end.
      const pairs = min(x + 2, d) & ~1;
      let z = 0;
      for (; z < pairs; z += 2) {
        const at = <usize>z << 3;
        v128.store(row + at, f64x2.add(v128.load(row + at), f64x2.mul(wv, v128.load(y + at))));
      }
      if (z <= x) store<f64>(row + (<usize>z << 3), load<f64>(row + (<usize>z << 3)) + w * load<f64>(y + (<usize>z << 3)));
    }
  }
  for (let x = 0; x < d; x++) {
    const at = pA + <usize>x * rb + (<usize>x << 3);
    store<f64>(at, load<f64>(at) + lambda);
  }
  const bad = cholesky(pA, d);
  if (bad == 0) choleskySolve(pA, d, pB);
  return bad;
}
