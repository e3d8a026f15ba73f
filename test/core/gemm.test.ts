import { describe, expect, it } from "vitest";
import { gemmABt, gramUpperAcc, symmetrizeUpper, syrkUpper } from "../../src/core/gemm.js";
import { Rng } from "../../src/core/rng.js";

function rand(rng: Rng, k: number): Float64Array {
  const a = new Float64Array(k);
  for (let q = 0; q < k; q++) a[q] = rng.normal();
  return a;
}

describe("gemmABt", () => {
  it("is bit-identical to add[r] + Σ_j A[i,j]·B[r,j] summed left to right, for every blocking remainder", () => {
    const rng = new Rng(1);
    for (const [n, k, p] of [[1, 1, 1], [2, 3, 4], [5, 7, 9], [7, 2, 6], [10, 13, 3], [3, 4, 8], [4, 5, 5], [6, 1, 11], [8, 9, 2]]) {
      const A = rand(rng, n * k);
      const B = rand(rng, p * k);
      const add = rand(rng, p);
      for (const b of [null, add]) {
        const out = gemmABt(A, n, k, B, p, new Float64Array(n * p), b);
        for (let i = 0; i < n; i++) {
          for (let r = 0; r < p; r++) {
            let s = b === null ? 0 : b[r];
            for (let j = 0; j < k; j++) s += A[i * k + j] * B[r * k + j];
            expect(out[i * p + r]).toBe(s);
          }
        }
      }
    }
  });
});

describe("syrkUpper", () => {
  it("equals Σ_i w_i (a_i − c)(a_i − c)ᵀ (both triangles) to rounding, for every batching remainder", () => {
    const rng = new Rng(2);
    for (const [n, p] of [[1, 1], [3, 2], [4, 5], [9, 4], [13, 7]]) {
      const A = rand(rng, n * p);
      const w = rand(rng, n);
      const c = rand(rng, p);
      for (const [ww, cc] of [[null, null], [w, null], [null, c], [w, c]] as const) {
        const out = syrkUpper(A, n, p, new Float64Array(p * p), ww, cc);
        for (let r = 0; r < p; r++) {
          for (let s = 0; s < p; s++) {
            let ref = 0;
            let abs = 0;
            for (let i = 0; i < n; i++) {
              const t = (ww ? ww[i] : 1) * (A[i * p + r] - (cc ? cc[r] : 0)) * (A[i * p + s] - (cc ? cc[s] : 0));
              ref += t;
              abs += Math.abs(t);
            }
            // different association of the same n products: n ulps of Σ|terms| bound the difference
            expect(Math.abs(out[r * p + s] - ref)).toBeLessThanOrEqual(4 * n * 2.2e-16 * abs);
            expect(out[r * p + s]).toBe(out[s * p + r]);
          }
        }
      }
    }
  });
});

describe("gramUpperAcc", () => {
  it("adds Σ_j A[r,j]·B[s,j], summed left to right from 0, to out[r,s] for r ≤ s only (every tile remainder)", () => {
    const rng = new Rng(3);
    for (const [p, k] of [[1, 1], [2, 3], [3, 1], [4, 4], [5, 2], [6, 7], [7, 5], [8, 3], [11, 6], [13, 9]]) {
      const A = rand(rng, p * k);
      const B = rand(rng, p * k);
      const start = rand(rng, p * p);
      const out = gramUpperAcc(A, B, p, k, Float64Array.from(start));
      for (let r = 0; r < p; r++) {
        for (let s = 0; s < p; s++) {
          if (s < r) {
            expect(out[r * p + s]).toBe(start[r * p + s]);
            continue;
          }
          let t = 0;
          for (let j = 0; j < k; j++) t += A[r * k + j] * B[s * k + j];
          expect(out[r * p + s]).toBe(start[r * p + s] + t);
        }
      }
      symmetrizeUpper(out, p);
      for (let r = 0; r < p; r++) for (let s = 0; s < r; s++) expect(out[r * p + s]).toBe(out[s * p + r]);
    }
  });
});
