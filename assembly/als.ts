// Implicit ALS (Hu, Koren & Volinsky) half-steps: every row of one side is re-solved against the
// fixed factors of the other side by a few warm-started conjugate-gradient steps, never forming
// the per-row d×d matrix. Factors are f32 rows of d floats, d a multiple of 4.

@inline function dot(a: usize, b: usize, bytes: usize): f32 {
  let acc = f32x4.splat(0);
  for (let c: usize = 0; c < bytes; c += 16) acc = f32x4.add(acc, f32x4.mul(v128.load(a + c), v128.load(b + c)));
  return (f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1)) + (f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3));
}

/** y += alpha · x over `bytes` bytes of f32. */
@inline function axpy(y: usize, x: usize, alpha: f32, bytes: usize): void {
  const a = f32x4.splat(alpha);
  for (let c: usize = 0; c < bytes; c += 16) v128.store(y + c, f32x4.add(v128.load(y + c), f32x4.mul(a, v128.load(x + c))));
}

/** y = x + beta · y. */
@inline function xpby(y: usize, x: usize, beta: f32, bytes: usize): void {
  const b = f32x4.splat(beta);
  for (let c: usize = 0; c < bytes; c += 16) v128.store(y + c, f32x4.add(v128.load(x + c), f32x4.mul(b, v128.load(y + c))));
}

/** G = FᵀF (d×d) over the n rows of F, by rank-one row updates. */
export function gram(pF: usize, n: i32, d: i32, pG: usize): void {
  const rb = <usize>d << 2;
  memory.fill(pG, 0, <usize>d * rb);
  for (let r = 0; r < n; r++) {
    const f = pF + <usize>r * rb;
    for (let i = 0; i < d; i++) {
      const fi = load<f32>(f + (<usize>i << 2));
      if (fi != 0) axpy(pG + <usize>i * rb, f, fi, rb);
    }
  }
}

/**
 * out = A·v for row u's system A = G + λ·I + Σ_obs (c − 1)·f·fᵀ, with G symmetric so G·v is a sum
 * of G's rows (axpys, no horizontal sums).
 */
@inline function apply(pG: usize, d: i32, rb: usize, lam: f32, s: i32, e: i32, pCol: usize, pConf: usize, pF: usize, v: usize, out: usize): void {
  memory.fill(out, 0, rb);
  for (let i = 0; i < d; i++) {
    const vi = load<f32>(v + (<usize>i << 2));
    if (vi != 0) axpy(out, pG + <usize>i * rb, vi, rb);
  }
  axpy(out, v, lam, rb);
  for (let k = s; k < e; k++) {
    const f = pF + <usize>load<i32>(pCol + (<usize>k << 2)) * rb;
    const w = load<f32>(pConf + (<usize>k << 2)) - 1;
    axpy(out, f, w * dot(f, v, rb), rb);
  }
}

/**
 * Re-solves the m rows of P (m×d, in place) for the loss Σ_all c·(p − x·f)² + λ_u·|x|², where
 * observed cells (CSR pOff/pCol with confidences pConf) have p = 1 and c from pConf, and every
 * other cell p = 0, c = 1. pG = FᵀF of the other side's n×d factors pF; pLam holds λ per row.
 * `steps` CG iterations start from the current row. pW is scratch for 3·d floats.
 */
export function alsCG(pOff: usize, pCol: usize, pConf: usize, pF: usize, pP: usize, m: i32, d: i32, pG: usize, pLam: usize, steps: i32, pW: usize): void {
  const rb = <usize>d << 2;
  const r = pW, p = pW + rb, ap = pW + 2 * rb;
  for (let u = 0; u < m; u++) {
    const x = pP + <usize>u * rb;
    const s = load<i32>(pOff + (<usize>u << 2));
    const e = load<i32>(pOff + (<usize>(u + 1) << 2));
    const lam = load<f32>(pLam + (<usize>u << 2));
    // r = b − A·x, with b = Σ_obs c·f.
    apply(pG, d, rb, lam, s, e, pCol, pConf, pF, x, ap);
    memory.fill(r, 0, rb);
    for (let k = s; k < e; k++) axpy(r, pF + <usize>load<i32>(pCol + (<usize>k << 2)) * rb, load<f32>(pConf + (<usize>k << 2)), rb);
    axpy(r, ap, -1, rb);
    memory.copy(p, r, rb);
    let rs = dot(r, r, rb);
    for (let t = 0; t < steps; t++) {
      if (rs < 1e-20) break;
      apply(pG, d, rb, lam, s, e, pCol, pConf, pF, p, ap);
      const a = rs / dot(p, ap, rb);
      axpy(x, p, a, rb);
      axpy(r, ap, -a, rb);
      const next = dot(r, r, rb);
      xpby(p, r, next / rs, rb);
      rs = next;
    }
  }
}
