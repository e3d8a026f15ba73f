import { readFileSync } from "node:fs";
import { eigs } from "mathjs";
import { describe, expect, it } from "vitest";
import { dataSvd } from "../../src/linalg/dataSvd.js";
import { applyQ, householderQr } from "../../src/linalg/householderQr.js";
import { Rng } from "../../src/core/rng.js";

interface Case {
  name: string;
  n: number;
  d: number;
  X: number[];
  rank: number;
  sigma: number[];
}
const fixtures: Case[] = JSON.parse(readFileSync(new URL("../fixtures/linalg/rank.json", import.meta.url), "utf8")).cases;

/** ‖M − B·Bᵀ·M‖_F / ‖M‖_F for the columns (or rows) of M and an orthonormal basis B (len×r). */
function residual(vectors: number[][], B: Float64Array, r: number): number {
  let e = 0;
  let t = 0;
  for (const v of vectors) {
    const c = new Float64Array(r);
    for (let q = 0; q < r; q++) for (let i = 0; i < v.length; i++) c[q] += B[i * r + q] * v[i];
    for (let i = 0; i < v.length; i++) {
      let p = 0;
      for (let q = 0; q < r; q++) p += B[i * r + q] * c[q];
      e += (v[i] - p) ** 2;
      t += v[i] ** 2;
    }
  }
  return t === 0 ? 0 : Math.sqrt(e / t);
}

function gramError(B: Float64Array, len: number, r: number): number {
  let worst = 0;
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += B[i * r + a] * B[i * r + b];
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

describe("dataSvd against numpy (test/fixtures/linalg/make_fixtures.py)", () => {
  for (const c of fixtures) {
    it(`${c.name}: numpy's rank, its singular values, orthonormal bases of the column and row spaces`, () => {
      const s = dataSvd(Float64Array.from(c.X), c.n, c.d);
      expect(s.rank).toBe(c.rank);
      // singular values above the rank tolerance to 1e-12 relative: one-sided Jacobi has relative accuracy
      // O(ε·κ of the scaled columns) and the fixtures' kept values are within 1e9 of σ_max (the 1e-9 column)
      for (let k = 0; k < c.rank; k++) expect(Math.abs(s.sigma[k] - c.sigma[k]), `σ_${k}`).toBeLessThanOrEqual(1e-12 * c.sigma[k] + 1e-15 * c.sigma[0]);
      // bases: orthonormal to 1e-12, and they span the data's columns and rows to 1e-12 relative
      expect(gramError(s.left, c.n, s.rank)).toBeLessThan(1e-12);
      expect(gramError(s.right, c.d, s.rank)).toBeLessThan(1e-12);
      const cols = Array.from({ length: c.d }, (_, j) => Array.from({ length: c.n }, (_, i) => c.X[i * c.d + j]));
      const rows = Array.from({ length: c.n }, (_, i) => c.X.slice(i * c.d, (i + 1) * c.d));
      expect(residual(cols, s.left, s.rank)).toBeLessThan(1e-12);
      expect(residual(rows, s.right, s.rank)).toBeLessThan(1e-12);
    });
  }
});

describe("householderQr", () => {
  it("A·P = Q·R with R upper triangular, |R_jj| non-increasing (pivoting), to 1e-13 relative", () => {
    const rng = new Rng(3);
    for (const [m, k] of [[9, 4], [5, 5], [30, 12]]) {
      const A = Float64Array.from({ length: m * k }, () => rng.normal());
      const qr = householderQr(A, m, k);
      for (let j = 1; j < qr.p; j++) expect(Math.abs(qr.R[j * k + j])).toBeLessThanOrEqual(Math.abs(qr.R[(j - 1) * k + j - 1]) * (1 + 1e-12));
      for (let j = 0; j < k; j++) {
        const y = new Float64Array(m);
        for (let i = 0; i < qr.p; i++) y[i] = qr.R[i * k + j];
        applyQ(qr, y);
        for (let i = 0; i < m; i++) expect(Math.abs(y[i] - A[i * k + qr.perm[j]])).toBeLessThan(1e-13 * 10);
      }
    }
  });
});

describe("dataSvd against mathjs", () => {
  it("full-rank 12×5: σ² are the eigenvalues of XᵀX (mathjs eigs) to 1e-10 relative (κ(X) ≈ 3: squaring loses nothing)", () => {
    const rng = new Rng(9);
    const n = 12;
    const d = 5;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const G = Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[i * d + a] * X[i * d + b];
      return s;
    }));
    const ev = (eigs(G).values as unknown as number[]).slice().sort((a, b) => b - a);
    const s = dataSvd(X, n, d);
    expect(s.rank).toBe(d);
    for (let k = 0; k < d; k++) expect(Math.abs(s.sigma[k] ** 2 - ev[k])).toBeLessThan(1e-10 * ev[0]);
  });
});

describe("dataSvd: bad input", () => {
  it("a non-finite entry is a RangeError naming it (a NaN would otherwise stall the rotations and read as rank 0)", () => {
    const X = Float64Array.from([1, 2, 3, Number.NaN, 5, 6]);
    expect(() => dataSvd(X, 3, 2)).toThrow(/entry \(2, 2\) is NaN/);
  });
});

describe("dataSvd: scale (entries from subnormal to near overflow)", () => {
  // a rank-3 6×4 matrix and a full-rank 5×7 one (the transposed route)
  const rng = new Rng(31);
  const lowRank = (n: number, d: number, r: number) => {
    const X = new Float64Array(n * d);
    for (let q = 0; q < r; q++) {
      const u = Array.from({ length: n }, () => rng.normal());
      const v = Array.from({ length: d }, () => rng.normal());
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] += u[i] * v[j];
    }
    return X;
  };
  const cases: Array<[Float64Array, number, number]> = [
    [lowRank(6, 4, 3), 6, 4],
    [lowRank(5, 7, 5), 5, 7],
  ];
  it("X·2^k for k from −1000 to 1000: σ·2^k exactly (scaling by a power of two is exact), the same rank and bases", () => {
    for (const [X, n, d] of cases) {
      const ref = dataSvd(X, n, d);
      for (const k of [-1000, -700, -500, -60, 60, 500, 700, 1000]) {
        const Xs = X.map((v) => v * 2 ** k);
        const s = dataSvd(Xs, n, d);
        expect(s.rank).toBe(ref.rank);
        for (let q = 0; q < ref.rank; q++) expect(s.sigma[q]).toBe(ref.sigma[q] * 2 ** k);
        expect(Array.from(s.left)).toEqual(Array.from(ref.left));
        expect(Array.from(s.right)).toEqual(Array.from(ref.right));
      }
    }
  });
  it("X·10^k for k = ±150, ±200, ±300: σ·10^k within Weyl's bound (before: 46% off at 1e150, NaN at 1e200, rank 0 at 1e-200)", () => {
    for (const [X, n, d] of cases) {
      const ref = dataSvd(X, n, d);
      let fro = 0;
      for (const v of X) fro += v * v;
      fro = Math.sqrt(fro);
      for (const k of [-300, -200, -150, 150, 200, 300]) {
        const f = 10 ** k;
        const s = dataSvd(X.map((v) => v * f), n, d);
        expect(s.rank).toBe(ref.rank);
        // Weyl: |Δσ| ≤ ‖ΔX‖₂ ≤ (ε/2)·‖X‖_F for the rounded products v·10^k, plus each SVD's backward error
        // (≲ 10ε·σ_max at these sizes); the largest error measured is 4.7e-15 relative to σ_min
        const allowed = (Number.EPSILON / 2) * fro + 20 * Number.EPSILON * ref.sigma[0];
        for (let q = 0; q < ref.rank; q++) expect(Math.abs(s.sigma[q] / f - ref.sigma[q])).toBeLessThanOrEqual(allowed);
      }
    }
  });
  it("a subnormal rank-1 matrix has rank 1 and σ = ‖x‖ to the precision of its entries", () => {
    const n = 6;
    const d = 4;
    const X = new Float64Array(n * d);
    for (let i = 0; i < n; i++) X[i * d] = (i + 1) * 1e-310;
    const s = dataSvd(X, n, d);
    expect(s.rank).toBe(1);
    // σ = 1e-310·√(1² + … + 6²) = 1e-310·√91; subnormals near 1e-310 keep ~14 significant bits
    expect(Math.abs(s.sigma[0] / (Math.sqrt(91) * 1e-310) - 1)).toBeLessThan(1e-4);
  });
  it("the zero matrix has rank 0; singular values beyond float64 are a RangeError", () => {
    expect(dataSvd(new Float64Array(12), 4, 3).rank).toBe(0);
    const big = new Float64Array(8).fill(1.7e308);
    expect(() => dataSvd(big, 4, 2)).toThrow(/beyond float64/);
  });
});
