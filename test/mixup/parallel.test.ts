import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { makeDataset } from "../../src/core/dataset.js";
import { Rng } from "../../src/core/rng.js";

/**
 * Worker threads exist only in the compiled code (dist/, built by the test setup), so this imports it.
 * exactMixupLossParallel's main thread takes chunks too, and a worker joins once its modules are loaded:
 * who computes which chunk depends on timing, the bytes must not.
 */
describe("exactMixupLossParallel (compiled, real worker threads)", () => {
  it("the same bytes with 1, 2 and 3 threads, and equal to exactMixupLoss; overflow errors name the rows", async () => {
    const dist = "../../dist/src";
    const { exactMixupLoss, exactMixupLossParallel } = await import(`${dist}/mixup/index.js`);
    const { family } = await import(`${dist}/losses/index.js`);
    const { linearModel } = await import(`${dist}/models/index.js`);
    const rng = new Rng(4);
    const n = 1400;
    const d = 3;
    const X = Float64Array.from({ length: n * d }, () => rng.normal());
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const ds = makeDataset(X, y, n, d);
    const model = linearModel({ theta: Float64Array.from([2, -1, 3]), loss: "logistic" });
    const fam = family("logistic");
    const one = await exactMixupLossParallel(ds, model, fam, 1, 1, { workers: 1 });
    const two = await exactMixupLossParallel(ds, model, fam, 1, 1, { workers: 2 });
    const three = await exactMixupLossParallel(ds, model, fam, 1, 1, { workers: 3 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    expect(JSON.stringify(exactMixupLoss(ds, model, fam, 1, 1))).toBe(JSON.stringify(one));
    // Poisson overflow in the last rows: refused before any thread runs (magnitude.ts), naming the row
    const Xb = Float64Array.from(X);
    Xb[(n - 1) * d] = 400;
    const pois = linearModel({ theta: Float64Array.from([2, -1, 3]), loss: "poisson" });
    await expect(exactMixupLossParallel(makeDataset(Xb, y, n, d), pois, family("poisson"), 1, 1, { workers: 2 })).rejects.toThrow(/row \d+: the poisson loss may reach/);
  });
});

/** A ReLU net problem of n rows (p = 8 hidden units, d = 4). */
function reluProblem(seed: number, n: number) {
  const rng = new Rng(seed);
  const d = 4;
  const m = 8;
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const W = Float64Array.from({ length: m * d }, () => rng.normal() / 2);
  const V = Float64Array.from({ length: m }, () => rng.normal() / 3);
  const b = Float64Array.from({ length: m }, () => 0.1 * rng.normal());
  return { ds: makeDataset(X, y, n, d), W, V, b, m };
}

describe("exactMixupLossParallel: kept workers and progress (compiled)", () => {
  const dist = "../../dist/src";
  async function load() {
    const M = await import(`${dist}/mixup/index.js`);
    const { chunkPlan } = await import(`${dist}/mixup/pairs/index.js`); // internal: the chunk plan
    const P = await import(`${dist}/core/workerPool.js`);
    const { family } = await import(`${dist}/losses/index.js`);
    const { twoLayerModel } = await import(`${dist}/models/index.js`);
    const fam = family("logistic");
    const problem = (seed: number, n: number) => {
      const q = reluProblem(seed, n);
      return { ds: q.ds, model: twoLayerModel({ W: q.W, m: q.m, V: q.V, b: q.b, loss: "logistic" }) };
    };
    return { M, P, fam, problem, chunkPlan };
  }

  it("onProgress: non-decreasing pairs done, last = n(n+1)/2 (distinct: n(n−1)/2); the same bytes with and without it", async () => {
    const { M, fam, chunkPlan } = await load();
    const { linearModel } = await import(`${dist}/models/index.js`);
    const n = 500;
    const { ds } = reluProblem(1, n);
    const model = linearModel({ theta: Float64Array.from([1, -0.5, 0.5, 0.3]), loss: "logistic" });
    for (const pairs of ["all", "distinct"] as const) {
      const plain = await M.exactMixupLossParallel(ds, model, fam, 1, 2, { workers: 2, pairs });
      for (const workers of [1, 2, 3]) {
        const seen: Array<[number, number]> = [];
        const r = await M.exactMixupLossParallel(ds, model, fam, 1, 2, { workers, pairs, onProgress: (d: number, t: number) => seen.push([d, t]) });
        expect(JSON.stringify(r)).toBe(JSON.stringify(plain));
        const total = pairs === "all" ? (n * (n + 1)) / 2 : (n * (n - 1)) / 2;
        expect(seen.length).toBe(chunkPlan(n).length);
        for (let k = 0; k < seen.length; k++) {
          expect(seen[k][1]).toBe(total);
          if (k > 0) expect(seen[k][0]).toBeGreaterThan(seen[k - 1][0]);
        }
        expect(seen.at(-1)![0]).toBe(total);
      }
    }
  });

  it("keeps its workers between calls, serializes overlapping calls, and replaces a worker that died", async () => {
    const { M, P, fam, problem } = await load();
    const a = problem(2, 600);
    const b = problem(3, 650);
    const one = (q: typeof a) => M.exactMixupLossParallel(q.ds, q.model, fam, 1, 1, { workers: 1 });
    const two = (q: typeof a, extra = {}) => M.exactMixupLossParallel(q.ds, q.model, fam, 1, 1, { workers: 2, ...extra });
    const ra = JSON.stringify(await one(a));
    const rb = JSON.stringify(await one(b));
    expect(JSON.stringify(await two(a))).toBe(ra);
    const kept = P.keptWorkers()[0];
    expect(kept).toBeDefined();
    // overlapping calls: serialized, each with its own problem
    const [x, y2, z] = await Promise.all([two(a), two(b), two(a)]);
    expect([JSON.stringify(x), JSON.stringify(y2), JSON.stringify(z)]).toEqual([ra, rb, ra]);
    expect(P.keptWorkers()[0]).toBe(kept);
    // a worker that died while idle leaves the pool; the next call starts a new one
    await kept.terminate();
    await new Promise((r) => setImmediate(r));
    expect(P.keptWorkers()).not.toContain(kept);
    expect(JSON.stringify(await two(b))).toBe(rb);
    expect(P.keptWorkers()).toHaveLength(1);
    // a worker that dies during a run: its chunks are computed by this thread, the bytes are the same
    let killed = false;
    let calls = 0;
    const r = await two(a, {
      onProgress: () => {
        // by the third finished chunk the worker holds chunks of its own: they must be done again
        if (++calls === 3) {
          killed = true;
          void P.keptWorkers()[0].terminate();
        }
      },
    });
    expect(killed).toBe(true);
    expect(JSON.stringify(r)).toBe(ra);
    // an input refused (Poisson overflow in the last rows, magnitude.ts) leaves the pool usable: the next call works
    const { family } = await import(`${dist}/losses/index.js`);
    const { linearModel } = await import(`${dist}/models/index.js`);
    const n = 900;
    const X = Float64Array.from(a.ds.X.subarray(0, 4 * 600));
    const big = new Float64Array(n * 4);
    big.set(X);
    for (let i = 600; i < n; i++) for (let k = 0; k < 4; k++) big[i * 4 + k] = X[(i - 600) * 4 + k];
    big[(n - 1) * 4] = 400;
    const pois = linearModel({ theta: Float64Array.from([2, -1, 3, 0.5]), loss: "poisson" });
    const yb = new Float64Array(n).fill(1);
    const failed = M.exactMixupLossParallel(makeDataset(big, yb, n, 4), pois, family("poisson"), 1, 1, { workers: 2 });
    await expect(failed).rejects.toMatchObject({ name: "OverflowError" });
    await expect(failed).rejects.toThrow(/row \d+: the poisson loss may reach/);
    expect(JSON.stringify(await two(b))).toBe(rb);
    P.closeWorkers();
    expect(P.keptWorkers()).toHaveLength(0);
  });

  it("kept workers never hold the process open", () => {
    const script = `
      const M = await import(${JSON.stringify(new URL(`${dist}/mixup/index.js`, import.meta.url).href)});
      const { family } = await import(${JSON.stringify(new URL(`${dist}/losses/index.js`, import.meta.url).href)});
      const { linearModel } = await import(${JSON.stringify(new URL(`${dist}/models/index.js`, import.meta.url).href)});
      const { makeDataset } = await import(${JSON.stringify(new URL(`${dist}/core/dataset.js`, import.meta.url).href)});
      const n = 800;
      const X = Float64Array.from({ length: n * 2 }, (_, i) => Math.sin(i));
      const y = Float64Array.from({ length: n }, (_, i) => i % 2);
      const r = await M.exactMixupLossParallel(makeDataset(X, y, n, 2), linearModel({ theta: Float64Array.from([1, -2]), loss: "logistic" }), family("logistic"), 1, 1, { workers: 2 });
      console.log(r.value);
    `;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30000 });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(Number(r.stdout)).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(20000);
  });
});

describe("progress of the O(n) paths and of mixupLoss (compiled)", () => {
  it("convolution: fractions of the λ domain, increasing, (1, 1) once at the end; the same result", async () => {
    const dist = "../../dist/src";
    const M = await import(`${dist}/mixup/index.js`);
    const { chunkPlan } = await import(`${dist}/mixup/pairs/index.js`); // internal: the chunk plan
    const { family } = await import(`${dist}/losses/index.js`);
    const { linearModel } = await import(`${dist}/models/index.js`);
    const rng = new Rng(5);
    const n = 4000;
    const X = Float64Array.from({ length: n * 2 }, () => 10 * rng.normal());
    const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
    const ds = makeDataset(X, y, n, 2);
    const model = linearModel({ theta: Float64Array.from([2, -1]), loss: "logistic" });
    const fam = family("logistic");
    for (const form of ["labelled", "label-free"] as const) {
      const plain = M.convolutionMixupLoss(ds, model, fam, 0.5, 2, { form });
      const seen: Array<[number, number]> = [];
      const r = M.convolutionMixupLoss(ds, model, fam, 0.5, 2, { form, onProgress: (d: number, t: number) => seen.push([d, t]) });
      expect(JSON.stringify(r)).toBe(JSON.stringify(plain));
      expect(seen.length).toBeGreaterThan(2);
      for (let k = 0; k < seen.length; k++) {
        expect(seen[k][1]).toBe(1);
        if (k > 0) expect(seen[k][0]).toBeGreaterThan(seen[k - 1][0]);
        if (k < seen.length - 1) expect(seen[k][0]).toBeLessThan(1);
      }
      expect(seen.at(-1)).toEqual([1, 1]);
      // mixupLoss: auto on n > 3000 passes the convolution's reports through
      const auto: Array<[number, number]> = [];
      const ra = await M.mixupLoss(ds, model, fam, 0.5, 2, { form, onProgress: (d: number, t: number) => auto.push([d, t]) });
      expect(JSON.stringify(ra)).toBe(JSON.stringify(plain));
      expect(auto).toEqual(seen);
    }
    // n ≤ 3000: auto may still fall back to pairs, so the convolution reports only (1, 1) when kept
    // (scores of sd ~2: with the sd ~22 above, auto's cost model rightly sends 200 rows to pairs)
    const small = makeDataset(X.slice(0, 400).map((v) => v / 10), y.subarray(0, 200), 200, 2);
    const seenSmall: Array<[number, number]> = [];
    const rs = await M.mixupLoss(small, model, fam, 1, 1, { onProgress: (d: number, t: number) => seenSmall.push([d, t]) });
    expect(rs.method).toBe("exact-convolution");
    expect(seenSmall).toEqual([[1, 1]]);
    const sq = linearModel({ theta: Float64Array.from([2, -1]), loss: "squared" });
    const seenSq: Array<[number, number]> = [];
    const rq = await M.mixupLoss(small, sq, family("squared"), 1, 1, { onProgress: (d: number, t: number) => seenSq.push([d, t]) });
    expect(rq.method).toBe("exact-closed-form");
    expect(seenSq).toEqual([[1, 1]]);
  });
});
