import { afterAll, describe, expect, it } from "vitest";
import { JOBS } from "../../src/jobs.js";
import { pairGradJob, pairLossJob } from "../../src/mixup/pairJobs.js";
import { taylorPass1Job, taylorPass2Job } from "../../src/taylor/jobs.js";
import { Rng } from "../../src/core/rng.js";
import { makeDataset } from "../../src/core/dataset.js";
import type * as PoolT from "../../src/core/workerPool.js";
import type * as SumsT from "../../src/taylor/sums.js";
import type * as TaylorT from "../../src/taylor/index.js";
import type * as TaylorJobsT from "../../src/taylor/jobs.js";
import type * as ModelsT from "../../src/models/index.js";
import { coinNet } from "../helpers/nets.js";
import { gaussianBlobs, linearTeacher, parseCsv, readNpyDataset, twoMoons } from "../../src/data/index.js";
import { scaleData } from "../../src/taylor/study.js";
import { shareArray, sharedPrefix } from "../../src/core/shared.js";

/**
 * The one worker pool (core/workerPool.ts) serves the exact loss, its gradient and the Taylor sums.
 * Worker threads exist only in the compiled code (dist/, built by the test setup), so this imports it.
 */
const dist = "../../dist/src";
const Pool = (await import(`${dist}/core/workerPool.js`)) as typeof PoolT;
const S = (await import(`${dist}/taylor/sums.js`)) as typeof SumsT;
const T = (await import(`${dist}/taylor/index.js`)) as typeof TaylorT;
const TJ = (await import(`${dist}/taylor/jobs.js`)) as typeof TaylorJobsT;
const M = await import(`${dist}/mixup/index.js`);
const L = await import(`${dist}/losses/index.js`);
const models = (await import(`${dist}/models/index.js`)) as typeof ModelsT;
const entry = await import(`${dist}/index.js`);

afterAll(() => Pool.closeWorkers());

/** Every number of a result (typed arrays included), as a string: equal strings mean equal bytes. */
function key(r: unknown): string {
  return JSON.stringify(r, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (x) => Object.is(x, -0) ? "-0" : x) : v));
}

/** A one-output tanh net (Taylor's one-pass case) on n rows of d features. */
function tanhProblem(seed: number, n: number, d: number, m: number) {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: n * d }, () => rng.normal());
  const y = Float64Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const model = models.twoLayerModel({
    W: Float64Array.from({ length: m * d }, () => rng.normal() / Math.sqrt(d)),
    m,
    V: Float64Array.from({ length: m }, () => rng.normal() / Math.sqrt(m)),
    b: Float64Array.from({ length: m }, () => 0.1 * rng.normal()),
    activation: "tanh",
    loss: "logistic",
  });
  return { ds: makeDataset(X, y, n, d), model, fam: L.family("logistic") };
}

describe("the job registry (src/jobs.ts)", () => {
  it("lists every job under its own kind, and nothing else", () => {
    const used = [pairLossJob, pairGradJob, taylorPass1Job, taylorPass2Job];
    for (const j of used) expect(JOBS[j.kind]).toBe(j);
    expect(Object.keys(JOBS).sort()).toEqual(used.map((j) => j.kind).sort());
  });

  it("one closeWorkers; closeExactWorkers and closeTaylorWorkers are the same function", () => {
    expect(entry.closeWorkers).toBe(Pool.closeWorkers);
    expect(entry.closeExactWorkers).toBe(Pool.closeWorkers);
    expect(entry.closeTaylorWorkers).toBe(Pool.closeWorkers);
  });
});

describe("shared memory (core/shared.ts): loaded data reach the workers without a copy", () => {
  const shared = (a: Float64Array) => a.buffer instanceof SharedArrayBuffer;
  it("the readers, the generators and scaleData give X and y on a SharedArrayBuffer", () => {
    const fixtures = new URL("../fixtures/npy/", import.meta.url).pathname;
    const rng = new Rng(3);
    for (const ds of [
      parseCsv("x1,x2,y\n1,2,0\n3,4,1\n5,6,1\n", "data.csv", { labels: "auto" }),
      readNpyDataset(`${fixtures}X_f8.npy`, `${fixtures}y_f8.npy`, "scalar"),
      readNpyDataset(`${fixtures}X_f4.npy`, `${fixtures}y_i8.npy`, { K: 3 }), // converted, one-hot
      gaussianBlobs(rng, 5, 2),
      twoMoons(rng, 5, 0.1),
      linearTeacher(rng, 5, 2, Float64Array.from([1, -1]), "logistic"),
    ]) {
      expect([shared(ds.X), shared(ds.y)]).toEqual([true, true]);
      expect(shared(scaleData(ds, 2).X)).toBe(true);
    }
  });

  it("shareArray copies a plain array once and returns a shared one as it is; sharedPrefix drops spare capacity", () => {
    const a = Float64Array.from([1, -0, 3.5]);
    const s = shareArray(a);
    expect(shared(s) && s !== a && Object.is(s[1], -0)).toBe(true);
    expect(Array.from(s)).toEqual(Array.from(a));
    expect(shareArray(s)).toBe(s);
    const p = sharedPrefix(s, 2);
    expect([p.length, p.buffer.byteLength, shared(p)]).toEqual([2, 16, true]);
  });
});

describe("a Taylor job on the pool (compiled, real worker threads)", () => {
  const { ds, model, fam } = tanhProblem(7, 24_000, 30, 32);
  const P = { ds, model, family: "logistic" as const };
  const plan = S.blockPlan(ds.n, 1000);
  async function pass1(threads: number, extra: Partial<PoolT.RunJobOptions<SumsT.Pass1Block>> = {}) {
    const out: SumsT.Pass1Block[] = new Array(plan.length);
    await Pool.runJob(TJ.taylorPass1Job, P, plan, { threads, onResult: (id, r) => (out[id] = r), ...extra });
    return key(out);
  }

  /** This thread's block function, recording the blocks it computes in `mine`; `sleepMs` slows it down. */
  const recording = (mine: Set<number>, sleepMs = 0) => (i0: number, i1: number) => {
    mine.add(plan.findIndex(([a]) => a === i0));
    if (sleepMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, sleepMs);
    return S.taylorPass1(ds, model, fam, i0, i1);
  };

  /**
   * Calls on 2 threads until a worker has computed a block (a new worker loads its modules for longer than
   * this thread needs for all blocks): afterwards the kept worker answers a call's setup at once.
   */
  async function warm(ref: string) {
    for (let k = 0; k < 50; k++) {
      const mine = new Set<number>();
      let fromWorker = false;
      expect(await pass1(2, { local: recording(mine), onProgress: (id) => (fromWorker ||= !mine.has(id)) })).toBe(ref);
      if (fromWorker) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("no worker computed a block in 50 calls");
  }

  it("a worker killed mid-call: the blocks it held are done again, the same bytes", async () => {
    const ref = await pass1(1);
    expect(key(plan.map(([i0, i1]) => S.taylorPass1(ds, model, fam, i0, i1)))).toBe(ref);
    expect(await pass1(3)).toBe(ref);
    Pool.closeWorkers();
    await warm(ref); // one kept worker
    const before = Pool.poolCounters();
    // this thread records the blocks it computes: a block reported that it did not compute came from a
    // worker, which at that moment holds its next block (two in flight), so killing it then is mid-call
    const mine = new Set<number>();
    const local = recording(mine);
    let victim: { threadId: number; terminate(): Promise<number> } | null = null;
    const got = await pass1(2, {
      local,
      onProgress: (id) => {
        if (victim === null && !mine.has(id)) {
          victim = Pool.keptWorkers()[0];
          void victim.terminate();
        }
      },
    });
    expect(victim).not.toBeNull();
    expect(got).toBe(ref);
    const after = Pool.poolCounters();
    expect(after.retried).toBeGreaterThan(before.retried);
    // the dead worker left the pool; the next call starts a new one and gives the same bytes
    await new Promise((r) => setTimeout(r, 20));
    expect(Pool.keptWorkers()).not.toContain(victim);
    expect(await pass1(2)).toBe(ref);
    expect(Pool.poolCounters().started).toBe(after.started + 1);
  });

  it("taylorTermsParallel with a worker killed during the call: the bytes of taylorTerms; onProgress counts the block passes", async () => {
    const q = tanhProblem(8, 9000, 12, 16);
    const softmax = models.linearModel({ theta: Float64Array.from({ length: 3 * 12 }, (_, i) => Math.sin(i)), K: 3, loss: "softmax" });
    const y3 = new Float64Array(9000 * 3);
    for (let i = 0; i < 9000; i++) y3[i * 3 + (i % 3)] = 1;
    const ds3 = makeDataset(q.ds.X, y3, 9000, 12, 3);
    for (const [ds, model, fam, passes] of [
      [q.ds, q.model, q.fam, 1],
      [ds3, softmax, L.family("softmax"), 2],
    ] as const) {
      // blocks of 500 rows: the reference is the same call in this thread (taylorTerms has 4096-row blocks)
      const ref = key(await T.taylorTermsParallel(ds, model, fam, 0.7, 1.3, { workers: 1, blockRows: 500 }));
      const seen: Array<[number, number]> = [];
      let killed = false;
      const r = await T.taylorTermsParallel(ds, model, fam, 0.7, 1.3, {
        workers: 2,
        blockRows: 500,
        onProgress: (done, total) => {
          seen.push([done, total]);
          if (done === 4 && !killed) {
            killed = true;
            void Pool.keptWorkers()[0]?.terminate();
          }
        },
      });
      expect(killed).toBe(true);
      expect(key(r)).toBe(ref);
      const total = 18 * passes;
      expect(seen).toEqual(Array.from({ length: total }, (_, k) => [k + 1, total]));
    }
  });

  it("errors in a worker come back typed; an unknown job kind is refused; the pool works afterwards", async () => {
    const ref = await pass1(1);
    // this thread takes 24 × 20 ms, the warm worker's setup answers within a few: the error comes first
    const local = recording(new Set(), 20);
    await warm(ref);
    // the worker's setup meets an unknown loss name (this thread's `local` never reads it)
    const bad = Pool.runJob(TJ.taylorPass1Job, { ...P, family: "nope" as "logistic" }, plan, { threads: 2, local, onResult: () => undefined });
    await expect(bad).rejects.toMatchObject({ name: "InputError", where: "loss" });
    await warm(ref);
    const unknown = Pool.runJob({ ...TJ.taylorPass1Job, kind: "no.such.job" }, P, plan, { threads: 2, local, onResult: () => undefined });
    await expect(unknown).rejects.toThrow(/no job "no.such.job"/);
    expect(Pool.keptWorkers()).toHaveLength(0); // a failed call closes the pool: a worker may still be busy with it
    expect(await pass1(2)).toBe(ref);
  });
});

describe("loss, gradient and Taylor calls on the same kept workers (compiled)", () => {
  it("interleaved and overlapping calls each give their one-thread bytes; no worker is started again", async () => {
    const { ds, net } = coinNet(models.twoLayerModel, 21, 320, 3, 5, 0.2);
    const fam = L.family("logistic");
    const t = { blockRows: 40 }; // 8 blocks
    const loss1 = key(await M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 1 }));
    const grad1 = key(await M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 1 }));
    const tay1 = key(await T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 1, ...t }));
    Pool.closeWorkers();
    expect(key(await T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 3, ...t }))).toBe(tay1);
    const kept = Pool.keptWorkers().map((w) => w.threadId);
    expect(kept).toHaveLength(2);
    const started = Pool.poolCounters().started;
    // one after the other, alternating kinds
    expect(key(await M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 3 }))).toBe(loss1);
    expect(key(await T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 3, ...t }))).toBe(tay1);
    expect(key(await M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 3 }))).toBe(grad1);
    expect(key(await T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 2, ...t }))).toBe(tay1);
    // started together: serialized on the pool, each with its own problem
    const got = await Promise.all([
      T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 3, ...t }),
      M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 3 }),
      M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 2 }),
      T.taylorTermsParallel(ds, net, fam, 1, 1, { workers: 2, ...t }),
      M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 3 }),
    ]);
    expect(got.map(key)).toEqual([tay1, grad1, loss1, tay1, loss1]);
    expect(Pool.keptWorkers().map((w) => w.threadId)).toEqual(kept);
    expect(Pool.poolCounters().started).toBe(started);
  });
});

describe("workers start under any way of running node (core/workerPool.ts workerExecArgv)", () => {
  it("drops the options that describe the main script, keeps the others", () => {
    expect(Pool.workerExecArgv(["--input-type=module", "-e", "code", "--stack-size=2000"])).toEqual(["--stack-size=2000"]);
    expect(Pool.workerExecArgv(["--eval=x", "-p", "1+1", "--max-old-space-size=100"])).toEqual(["--max-old-space-size=100"]);
    expect(Pool.workerExecArgv([])).toEqual([]);
  });

  it("a script run by `node --input-type=module -e` gets its chunks computed by workers (they died at start before)", async () => {
    const { execFileSync } = await import("node:child_process");
    const poolUrl = new URL(`${dist}/core/workerPool.js`, import.meta.url).href;
    const mixupUrl = new URL(`${dist}/mixup/index.js`, import.meta.url).href;
    const script = `const P = await import(${JSON.stringify(poolUrl)}); const M = await import(${JSON.stringify(mixupUrl)});
const n = 600, d = 4; const X = new Float64Array(n * d).map((_, k) => Math.sin(k * 1.7)); const y = new Float64Array(n).map((_, i) => i % 2);
const ds = (await import(${JSON.stringify(new URL(`${dist}/core/dataset.js`, import.meta.url).href)})).makeDataset(X, y, n, d);
const model = (await import(${JSON.stringify(new URL(`${dist}/models/index.js`, import.meta.url).href)})).linearModel({ theta: [0.5, -0.2, 0.1, 0.3], loss: "logistic" });
const fam = (await import(${JSON.stringify(new URL(`${dist}/losses/index.js`, import.meta.url).href)})).family("logistic");
await M.exactMixupLossParallel(ds, model, fam, 0.5, 0.5, { workers: 2 });
console.log(P.poolCounters().workerChunks); P.closeWorkers();`;
    // chunks are handed to a worker once it is ready; 600 rows at α = 0.5 take far longer than its start
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(Number(out.trim())).toBeGreaterThan(0);
  });
});
