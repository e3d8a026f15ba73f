import { describe, expect, it } from "vitest";
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
    // Poisson overflow in the last rows: whichever thread meets it, the error is the same
    const Xb = Float64Array.from(X);
    Xb[(n - 1) * d] = 400;
    const pois = linearModel({ theta: Float64Array.from([2, -1, 3]), loss: "poisson" });
    await expect(exactMixupLossParallel(makeDataset(Xb, y, n, d), pois, family("poisson"), 1, 1, { workers: 2 })).rejects.toThrow(/overflows/);
  });
});
