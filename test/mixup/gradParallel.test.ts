import { coinNet } from "../helpers/nets.js";
import { describe, expect, it } from "vitest";
import { makeDataset } from "../../src/core/dataset.js";

/**
 * The exact loss and its gradient share one pool of kept worker threads (core/workerPool.ts). Worker
 * threads exist only in the compiled code (dist/, built by the test setup), so this imports it.
 */
describe("exactMixupGradParallel on the kept pool (compiled, real worker threads)", () => {
  const dist = "../../dist/src";

  async function load() {
    const M = await import(`${dist}/mixup/index.js`);
    const { chunkPlan } = await import(`${dist}/mixup/pairs/index.js`); // internal: the chunk plan
    const P = await import(`${dist}/core/workerPool.js`);
    const { family } = await import(`${dist}/losses/index.js`);
    const models = await import(`${dist}/models/index.js`);
    const n = 320;
    const { ds, net } = coinNet(models.twoLayerModel, 12, n, 3, 5, 0.2);
    const lin = models.linearModel({ theta: Float64Array.from([1.5, -0.5, 0.7]), loss: "logistic" });
    const fam = family("logistic");
    expect(chunkPlan(n).length).toBeGreaterThanOrEqual(3);
    return { M, P, ds, net, lin, fam };
  }

  const key = (r: { grad?: Float64Array }) => JSON.stringify(r.grad ? { ...r, grad: Array.from(r.grad) } : r);

  it("the same bytes with 1, 2 and 3 threads; the same kept Worker objects across calls", async () => {
    const { M, P, ds, net, fam } = await load();
    P.closeWorkers();
    const grad = (workers: number) => M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers });
    const one = key(await grad(1));
    expect(key(M.exactMixupGrad(ds, net, fam, 1, 1))).toBe(one);
    expect(P.keptWorkers()).toHaveLength(0);
    expect(key(await grad(3))).toBe(one);
    const kept = [...P.keptWorkers()];
    expect(kept).toHaveLength(2);
    const ids = kept.map((w) => w.threadId);
    expect(key(await grad(2))).toBe(one);
    expect(key(await grad(3))).toBe(one);
    expect([...P.keptWorkers()]).toEqual(kept);
    expect(P.keptWorkers().map((w: { threadId: number }) => w.threadId)).toEqual(ids);
    // the loss uses the same workers
    const loss1 = key(await M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 1 }));
    expect(key(await M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 3 }))).toBe(loss1);
    expect([...P.keptWorkers()]).toEqual(kept);
    P.closeWorkers();
  });

  it("loss and gradient calls started together each give their own bytes; a worker killed mid-call is replaced", async () => {
    const { M, P, ds, net, lin, fam } = await load();
    const gradNet = key(await M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 1 }));
    const gradLin = key(await M.exactMixupGradParallel(ds, lin, fam, 1, 1, { workers: 1, pairs: "distinct" }));
    const lossNet = key(await M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 1 }));
    const lossLin = key(await M.exactMixupLossParallel(ds, lin, fam, 1, 1, { workers: 1, pairs: "distinct" }));
    const got = await Promise.all([
      M.exactMixupLossParallel(ds, net, fam, 1, 1, { workers: 2 }),
      M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 3 }),
      M.exactMixupLossParallel(ds, lin, fam, 1, 1, { workers: 3, pairs: "distinct" }),
      M.exactMixupGradParallel(ds, lin, fam, 1, 1, { workers: 2, pairs: "distinct" }),
    ]);
    expect(got.map(key)).toEqual([lossNet, gradNet, lossLin, gradLin]);
    // a worker dies while a gradient call runs: whatever chunks it held are done again, the bytes are the same
    const running = M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 3 });
    const victim = P.keptWorkers()[0];
    setTimeout(() => void victim.terminate(), 5);
    expect(key(await running)).toBe(gradNet);
    await new Promise((r) => setTimeout(r, 20));
    expect(P.keptWorkers()).not.toContain(victim);
    expect(key(await M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 3 }))).toBe(gradNet);
    expect(P.keptWorkers()).toHaveLength(2);
    // an error in a worker comes back as the same kind; the next call works
    const { family } = await import(`${dist}/losses/index.js`);
    const { linearModel } = await import(`${dist}/models/index.js`);
    const Xb = Float64Array.from(ds.X);
    Xb[(ds.n - 1) * ds.d] = 400;
    const pois = linearModel({ theta: Float64Array.from([2, -1, 3]), loss: "poisson" });
    const failed = M.exactMixupGradParallel(makeDataset(Xb, ds.y, ds.n, ds.d), pois, family("poisson"), 1, 1, { workers: 3 });
    await expect(failed).rejects.toMatchObject({ name: "OverflowError" });
    expect(key(await M.exactMixupGradParallel(ds, net, fam, 1, 1, { workers: 2 }))).toBe(gradNet);
    P.closeWorkers();
  });
});
