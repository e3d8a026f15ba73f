import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { LossName } from "../../src/losses/types.js";
import { taylorTerms, TAYLOR_BLOCK_ROWS } from "../../src/taylor/index.js";
import type * as Taylor from "../../src/taylor/index.js";
import { randomDataset, randomModel, type ModelKind } from "../../proofs-checks/instances.js";

// Worker threads run only from the compiled JS (the vitest global setup builds dist/ first).
const dist = fileURLToPath(new URL("../../dist/src/taylor/index.js", import.meta.url));
const T = (await import(pathToFileURL(dist).href)) as typeof Taylor;

afterAll(() => T.closeTaylorWorkers());

/** The IEEE bits of every number of the result, for byte-for-byte comparison. */
function bits(t: object): Record<string, string> {
  const out: Record<string, string> = {};
  const f = new Float64Array(1);
  const u = new BigUint64Array(f.buffer);
  for (const [k, v] of Object.entries(t)) {
    f[0] = v as number;
    out[k] = u[0].toString(16);
  }
  return out;
}

function instance(seed: number, loss: LossName, kind: ModelKind, n: number, d: number, m: number) {
  const rng = new Rng(seed);
  const K = loss === "softmax" ? 4 : 1;
  const ds = randomDataset(rng, n, d, loss, K, loss === "softmax");
  return { ds, model: randomModel(rng, kind, d, loss, K, 1, m), family: familyOf(loss) };
}

describe("taylorTermsParallel: the same bytes as taylorTerms, with 1 and 2 workers", () => {
  const n = 3 * TAYLOR_BLOCK_ROWS + 123; // four blocks, the last one short
  for (const [loss, kind] of [
    ["logistic", "relu-bias"], // one-pass net (relu)
    ["logistic", "tanh"], // one-pass net with R3
    ["poisson", "softplus-nobias"],
    ["softmax", "linear-bias"], // two passes, linear
    ["softmax", "tanh"], // two passes, K-output net
  ] as const) {
    it(`${loss}/${kind}, n = ${n}`, async () => {
      const { ds, model, family } = instance(31, loss, kind, n, 6, 7);
      const ref = bits(taylorTerms(ds, model, family, 0.6, 1.4));
      expect(bits(T.taylorTerms(ds, model, family, 0.6, 1.4))).toEqual(ref); // dist = src
      for (const workers of [1, 2, 3]) {
        const par = await T.taylorTermsParallel(ds, model, family, 0.6, 1.4, { workers });
        expect(bits(par)).toEqual(ref);
      }
      // default options: below the work threshold, in this thread (same bytes again)
      expect(bits(await T.taylorTermsParallel(ds, model, family, 0.6, 1.4))).toEqual(ref);
    });
  }
  it("concurrent calls are serialized and each gets its own answer", async () => {
    const a = instance(32, "logistic", "relu", n, 5, 6);
    const b = instance(33, "softmax", "linear", n, 5, 6);
    const [ra, rb] = await Promise.all([
      T.taylorTermsParallel(a.ds, a.model, a.family, 1, 1, { workers: 2 }),
      T.taylorTermsParallel(b.ds, b.model, b.family, 1, 1, { workers: 2 }),
    ]);
    expect(bits(ra)).toEqual(bits(taylorTerms(a.ds, a.model, a.family, 1, 1)));
    expect(bits(rb)).toEqual(bits(taylorTerms(b.ds, b.model, b.family, 1, 1)));
  });
});
