// The kernel set training and scoring use. Two implementations: wasm SIMD (fast) and plain TS
// (the oracle tests compare against, and the fallback where WebAssembly SIMD is missing).

/** Each row's k best items, best first (b×k row-major); unfilled slots hold item -1, score -Infinity. */
export interface TopK {
  items: Int32Array;
  scores: Float32Array;
}

export interface Kernels {
  readonly name: 'wasm' | 'ts';
  /**
   * Scores b user rows (b×d) against n item rows (n×d) and keeps each row's k best. `exclude`, when
   * given, is a b×ceil(n/32) bitset of items to skip per row (seen items). Ties: lower item first.
   */
  gemmTopK(users: Float32Array, items: Float32Array, b: number, n: number, d: number, k: number, exclude?: Uint32Array): TopK;
  /** Top k of b precomputed score rows (b×n), with the same exclusion and order as gemmTopK. */
  topK(scores: Float32Array, b: number, n: number, k: number, exclude?: Uint32Array): TopK;
  /** In-place Cholesky of an SPD n×n matrix into its lower triangle; returns 0, or 1 + the failing row. */
  cholesky(a: Float64Array, n: number): number;
  /** Solves L·Lᵀ·x = b in place, L from cholesky. */
  choleskySolve(l: Float64Array, n: number, b: Float64Array): void;
  /**
   * One implicit-ALS row for fixed item rows: solves (G + Σ_k (c_k − 1)·y_k·y_kᵀ + lambda·I)·x =
   * Σ_k c_k·y_k into `out` (d), over the h rows y_k of `rows` (h×d) with confidences c_k. G is d×d
   * (its lower triangle is read) and left unchanged. Returns false when the matrix is not positive definite.
   */
  foldIn(gram: Float64Array, d: number, rows: Float32Array, confidence: Float64Array, h: number, lambda: number, out: Float64Array): boolean;
  /**
   * C (m×n, row stride ldc) += alpha·op(A)·op(B), all row-major f32: op(A) is m×k, A[i·lda + p] (or
   * A[p·lda + i] when transA); op(B) is k×n, B[p·ldb + j] (or B[j·ldb + p] when transB).
   */
  gemm(m: number, n: number, k: number, alpha: number, a: Float32Array, lda: number, transA: boolean, b: Float32Array, ldb: number, transB: boolean, c: Float32Array, ldc: number): void;
  /**
   * EASE's item-item weights B = I − P·diag(1/diag(P)) with a zero diagonal, P = (G + lambda·I)⁻¹,
   * as an n×n f32 matrix. `fill` writes the Gram matrix G (its lower triangle at least) into the
   * zeroed n×n array it is handed, which may be kernel memory: it must not keep it. Throws
   * NotPositiveDefinite.
   */
  easeWeights(n: number, lambda: number, fill: (g: Float32Array) => void): Float32Array;
  /**
   * One implicit-ALS half-step (conjugate gradient, `steps` iterations warm-started from the
   * current rows): re-solves each of the m rows x of `self` (m×d, in place) for the loss
   * Σ_j c_j·(p_j − x·f_j)² + lambda[row]·|x|² over the n rows f_j of `other` (n×d), where the row's
   * entries in `rows` have p = 1 and confidence c = their value, and all other columns p = 0, c = 1.
   */
  alsHalfStep(rows: Csr, other: Float32Array, n: number, self: Float32Array, m: number, d: number, lambda: Float32Array, steps: number): void;
}

/** A sparse matrix by rows: row r's columns are cols[offsets[r]..offsets[r+1]), with their values. */
export interface Csr {
  offsets: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

/** Words per row of an exclusion bitset over n items. */
export const bitsetWords = (n: number): number => (n + 31) >>> 5;

export class NotPositiveDefinite extends Error {
  constructor(readonly row: number) {
    super(`matrix is not positive definite (pivot ${row})`);
  }
}
