// Dense f64 SPD kernels (Cholesky, solve, inverse) for EASE and ALS normal equations.
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

/** Four axpys y_t += alpha_t · x over len doubles, sharing the loads of x. */
@inline function axpy4(y0: usize, y1: usize, y2: usize, y3: usize, x: usize, a0: f64, a1: f64, a2: f64, a3: f64, len: i32): void {
  const v0 = f64x2.splat(a0), v1 = f64x2.splat(a1), v2 = f64x2.splat(a2), v3 = f64x2.splat(a3);
  const end = <usize>(len & ~1) << 3;
  for (let c: usize = 0; c < end; c += 16) {
    const xv = v128.load(x + c);
    v128.store(y0 + c, f64x2.add(v128.load(y0 + c), f64x2.mul(v0, xv)));
    v128.store(y1 + c, f64x2.add(v128.load(y1 + c), f64x2.mul(v1, xv)));
    v128.store(y2 + c, f64x2.add(v128.load(y2 + c), f64x2.mul(v2, xv)));
    v128.store(y3 + c, f64x2.add(v128.load(y3 + c), f64x2.mul(v3, xv)));
  }
  if (len & 1) {
    const xe = load<f64>(x + end);
    store<f64>(y0 + end, load<f64>(y0 + end) + a0 * xe);
    store<f64>(y1 + end, load<f64>(y1 + end) + a1 * xe);
    store<f64>(y2 + end, load<f64>(y2 + end) + a2 * xe);
    store<f64>(y3 + end, load<f64>(y3 + end) + a3 * xe);
  }
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
 * Inverse of an SPD matrix: A (at pA) is destroyed; the full symmetric inverse is written to pW
 * (n×n). Steps: L = chol(A); M = L⁻¹ row by row into pW; Mᵀ into pA; P[i][j] = Mᵀ[i]·Mᵀ[j] over
 * k ≥ max(i, j) into pW. Rows go four at a time, as in cholesky. Returns what cholesky returns.
 */
export function spdInverse(pA: usize, n: i32, pW: usize): i32 {
  const bad = cholesky(pA, n);
  if (bad) return bad;
  const rb = <usize>n << 3;
  memory.fill(pW, 0, <usize>n * rb);
  for (let i0 = 0; i0 < n; i0 += 4) {
    const rows = min(4, n - i0);
    if (rows == 4) {
      const l0 = pA + <usize>i0 * rb, l1 = l0 + rb, l2 = l1 + rb, l3 = l2 + rb;
      const m0 = pW + <usize>i0 * rb, m1 = m0 + rb, m2 = m1 + rb, m3 = m2 + rb;
      for (let k = 0; k < i0; k++) {
        const at = <usize>k << 3;
        axpy4(m0, m1, m2, m3, pW + <usize>k * rb, -load<f64>(l0 + at), -load<f64>(l1 + at), -load<f64>(l2 + at), -load<f64>(l3 + at), k + 1);
      }
    }
    for (let i = i0; i < i0 + rows; i++) {
      const li = pA + <usize>i * rb;
      const mi = pW + <usize>i * rb;
      for (let k = rows == 4 ? i0 : 0; k < i; k++) axpy(mi, pW + <usize>k * rb, -load<f64>(li + (<usize>k << 3)), k + 1);
      const inv = 1 / load<f64>(li + (<usize>i << 3));
      store<f64>(mi + (<usize>i << 3), load<f64>(mi + (<usize>i << 3)) + 1);
      for (let c = 0; c <= i; c++) store<f64>(mi + (<usize>c << 3), load<f64>(mi + (<usize>c << 3)) * inv);
    }
  }
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) store<f64>(pA + <usize>i * rb + (<usize>k << 3), k >= i ? load<f64>(pW + <usize>k * rb + (<usize>i << 3)) : 0);
  }
  // Mᵀ[i] is zero before column i, so P[i][j] (j ≤ i) is a dot from column i. Four rows i share
  // each row j's loads from their common start i0+3; the few columns before it are added singly.
  for (let i0 = 0; i0 < n; i0 += 4) {
    const rows = min(4, n - i0);
    let jDone = 0;
    if (rows == 4) {
      const i3 = i0 + 3;
      const c3 = <usize>i3 << 3;
      const t0 = pA + <usize>i0 * rb, t1 = t0 + rb, t2 = t1 + rb, t3 = t2 + rb;
      for (let j = 0; j <= i0; j++) {
        const tj = pA + <usize>j * rb;
        dot4(t0 + c3, t1 + c3, t2 + c3, t3 + c3, tj + c3, n - i3, scratch);
        for (let t = 0; t < 4; t++) {
          const ti = t0 + <usize>t * rb;
          let s = load<f64>(scratch + (<usize>t << 3));
          for (let c = i0 + t; c < i3; c++) s += load<f64>(ti + (<usize>c << 3)) * load<f64>(tj + (<usize>c << 3));
          const i = i0 + t;
          store<f64>(pW + <usize>i * rb + (<usize>j << 3), s);
          store<f64>(pW + <usize>j * rb + (<usize>i << 3), s);
        }
      }
      jDone = i0 + 1;
    }
    for (let i = i0; i < i0 + rows; i++) {
      const ti = pA + <usize>i * rb;
      for (let j = jDone; j <= i; j++) {
        const s = dot(ti + (<usize>i << 3), pA + <usize>j * rb + (<usize>i << 3), n - i);
        store<f64>(pW + <usize>i * rb + (<usize>j << 3), s);
        store<f64>(pW + <usize>j * rb + (<usize>i << 3), s);
      }
    }
  }
  return 0;
}
