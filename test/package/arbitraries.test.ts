import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { alphaBeta, dataset, linear, problem, twoLayer } from "../../src/arbitraries/index.js";
import { checkClaim, claims, type ClaimInstance } from "../../src/claims/index.js";
import { fromArrays, modelFromJson } from "../../src/data/fromArrays.js";
import { predict } from "../../src/models/index.js";

describe("arbitraries generate what they promise (200 seeded samples each)", () => {
  it("dataset: shapes in range; centered means exactly zero; the norm floor; labels in the loss's domain", () => {
    fc.assert(
      fc.property(dataset({ n: [2, 9], d: [1, 3], centered: true, normFloor: 0.5 }), (ds) => {
        expect(ds.n % 2).toBe(0);
        expect(ds.n).toBeGreaterThanOrEqual(2);
        expect(ds.d).toBeLessThanOrEqual(3);
        for (let k = 0; k < ds.d; k++) {
          let s = 0;
          for (let i = 0; i < ds.n; i++) s += ds.X[i * ds.d + k];
          expect(s).toBe(0); // ± pairs: the sum is exactly 0
        }
        for (let i = 0; i < ds.n; i++) {
          let s = 0;
          for (let k = 0; k < ds.d; k++) s += ds.X[i * ds.d + k] ** 2;
          expect(Math.sqrt(s)).toBeGreaterThanOrEqual(0.5 * (1 - 1e-15));
        }
        for (const v of ds.y) expect([0, 1]).toContain(v);
      }),
      { numRuns: 200, seed: 1 },
    );
    fc.assert(
      fc.property(dataset({ loss: "softmax", K: 4 }), (ds) => {
        expect(ds.K).toBe(4);
        for (let i = 0; i < ds.n; i++) expect(ds.y.subarray(4 * i, 4 * i + 4).reduce((a, b) => a + b)).toBe(1);
      }),
      { numRuns: 100, seed: 2 },
    );
    fc.assert(fc.property(dataset({ loss: "poisson" }), (ds) => ds.y.every((v) => Number.isInteger(v) && v >= 0)), { numRuns: 100, seed: 3 });
  });

  it("problem: θ ∈ Θ by construction (y = 1 iff f > 0), centered, bias-free models", () => {
    for (const model of ["linear", "relu"] as const) {
      fc.assert(
        fc.property(problem({ model }), ({ ds, model: m }) => {
          const f = predict(m, ds.X, ds.n);
          for (let i = 0; i < ds.n; i++) expect(ds.y[i]).toBe(f[i] > 0 ? 1 : 0);
          expect(m.kind === "linear" ? m.bias : (m as { b: unknown }).b).toBeNull();
        }),
        { numRuns: 200, seed: 4 },
      );
    }
  });

  it("models and (α, β): the requested biases and widths; shapes in range; symmetric pairs", () => {
    fc.assert(fc.property(linear(3, { bias: true }), (m) => m.kind === "linear" && m.bias !== null && m.d === 3), { numRuns: 50, seed: 5 });
    // softmax: K outputs of d weights each, and K biases (K was once dropped, and K·d read as d)
    fc.assert(fc.property(linear(2, { bias: true, loss: "softmax", K: 3 }), (m) => m.kind === "linear" && m.K === 3 && m.d === 2 && m.bias!.length === 3), { numRuns: 50, seed: 5 });
    fc.assert(fc.property(twoLayer(2, { m: [2, 5] }), (m) => m.kind === "relu2" && m.m >= 2 && m.m <= 5 && m.b === null), { numRuns: 50, seed: 6 });
    fc.assert(fc.property(alphaBeta({ lo: 0.05, hi: 50 }), ({ alpha, beta }) => alpha >= 0.05 && alpha <= 50 && beta >= 0.05 && beta <= 50), { numRuns: 200, seed: 7 });
    fc.assert(fc.property(alphaBeta({ symmetric: true }), ({ alpha, beta }) => alpha === beta), { numRuns: 50, seed: 8 });
  });
});

describe("claims and checkClaim", () => {
  const instances = (model: "linear" | "relu") =>
    fc.tuple(problem({ model }), alphaBeta({ lo: 0.1, hi: 10 })).map(([p, ab]): ClaimInstance => ({ ...p, ...ab }));

  it("Theorem 3.1 and 3.2 hold on instances that meet their assumptions (100 each)", async () => {
    for (const [id, model] of [["theorem-3.1", "linear"], ["theorem-3.2", "relu"]] as const) {
      const r = await checkClaim(claims[id], instances(model), { numRuns: 100, seed: 11 });
      expect(r.holds, id).toBe(true);
      expect(r.counterexample).toBeNull();
      expect(r.worstMargin).toBeGreaterThanOrEqual(0);
      expect(r.skipped).toBeLessThan(100);
    }
  });

  it("a planted violation (fails when some |x| ≥ 1) shrinks to a minimal instance: 2 rows, d = 1, |x| = 1; its seed and path replay it", async () => {
    const planted = (ds: ClaimInstance["ds"]) => ({ margin: ds.X.some((v) => Math.abs(v) >= 1) ? -1 : 1, assumptions: { met: true, unmet: [] }, details: {} });
    const arb = instances("linear");
    const r = await checkClaim((ds) => planted(ds), arb, { numRuns: 200, seed: 3 });
    expect(r.holds).toBe(false);
    const cx = r.counterexample!;
    expect([cx.ds.n, cx.ds.d]).toEqual([2, 1]);
    expect(Array.from(cx.ds.X).map(Math.abs)).toEqual([1, 1]);
    // replay with the reported seed and path
    const again = fc.check(fc.property(arb, (inst) => planted(inst.ds).margin >= 0), { seed: r.seed, path: r.path!, numRuns: 200 });
    expect(again.failed).toBe(true);
  });
});

describe("the other claims hold on their arbitraries", () => {
  const linearInstances = dataset({ n: [2, 8], d: [1, 3] }).chain((ds) =>
    fc.tuple(linear(ds.d, { bias: true }), alphaBeta({ lo: 0.1, hi: 10 })).map(([model, ab]): ClaimInstance => ({ ds, model, ...ab })),
  );
  const netInstances = dataset({ n: [2, 6], d: [1, 2] }).chain((ds) =>
    fc.tuple(twoLayer(ds.d, { bias: true, activation: "tanh" }), alphaBeta({ lo: 0.2, hi: 5 })).map(([model, ab]): ClaimInstance => ({ ds, model, ...ab })),
  );
  it("rewrite-identity and lemma-3.1-identity (linear and tanh nets), fast-exact-agrees and adversarial-bounds (linear), theorem-4.1's chain", async () => {
    for (const [id, arb, runs] of [
      ["rewrite-identity", linearInstances, 30],
      ["rewrite-identity", netInstances, 15],
      ["fast-exact-agrees", linearInstances, 30],
      ["theorem-4.1", linearInstances, 20],
      ["lemma-3.1-identity", linearInstances, 30],
      ["lemma-3.1-identity", netInstances, 15],
      ["adversarial-bounds", linearInstances, 30],
    ] as const) {
      const r = await checkClaim(claims[id], arb, { numRuns: runs, seed: 21 });
      expect(r.holds, `${id}: ${JSON.stringify(r.result)}`).toBe(true);
      expect(r.skipped, id).toBeLessThan(runs);
    }
  });

  it("fast-exact-agrees reports a net as an unmet assumption, not as a failure", async () => {
    const r = await checkClaim(claims["fast-exact-agrees"], netInstances, { numRuns: 5, seed: 1 });
    expect(r.skipped).toBe(5);
    expect(r.holds).toBe(true);
  });
});

describe("plain arrays", () => {
  it("fromArrays and modelFromJson give the library's types; ragged or non-finite input is an InputError naming the row", () => {
    const ds = fromArrays([[1, 2], [3, 4], [5, 6]], [0, 1, 1]);
    expect([ds.n, ds.d, ds.K]).toEqual([3, 2, 1]);
    expect(Array.from(ds.X)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fromArrays([[1], [2]], [[1, 0], [0, 1]]).K).toBe(2);
    expect(() => fromArrays([[1, 2], [3]], [0, 1])).toThrow(/row 2 of X has 1 values/);
    expect(() => fromArrays([[1, Number.NaN]], [0])).toThrow(/row 1 of X: NaN/);
    const m = modelFromJson('{"kind":"linear","theta":[0.5,-1]}');
    expect(m.kind).toBe("linear");
    expect(() => modelFromJson("{")).toThrow(/invalid JSON/);
  });
});
