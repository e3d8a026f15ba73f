import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { gradX, hessX, predict } from "../../src/models/index.js";
import type { Activation, Model } from "../../src/models/types.js";
import { maxRelDiff, normals, randomLinear, randomTwoLayer } from "./helpers.js";

const ACTS: Activation[] = ["relu", "softplus", "tanh"];

function cases(rng: Rng): Model[] {
  const out: Model[] = [];
  for (const K of [1, 3]) {
    for (const bias of [false, true]) {
      out.push(randomLinear(rng, 3, K, bias));
      for (const a of ACTS) out.push(randomTwoLayer(rng, 3, 5, K, a, bias));
    }
  }
  return out;
}

/** Central-difference Jacobian of x ↦ f(x) (K×d). */
function fdGrad(model: Model, x: Float64Array, h: number): Float64Array {
  const { d, K } = model;
  const G = new Float64Array(K * d);
  for (let j = 0; j < d; j++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[j] += h;
    xm[j] -= h;
    const fp = predict(model, xp, 1);
    const fm = predict(model, xm, 1);
    for (let k = 0; k < K; k++) G[k * d + j] = (fp[k] - fm[k]) / (2 * h);
  }
  return G;
}

/** Central differences of gradX: ∂/∂x_j of ∇f_k, as K×d×d. */
function fdHess(model: Model, x: Float64Array, h: number): Float64Array {
  const { d, K } = model;
  const H = new Float64Array(K * d * d);
  const gp = new Float64Array(K * d);
  const gm = new Float64Array(K * d);
  for (let j = 0; j < d; j++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[j] += h;
    xm[j] -= h;
    gradX(model, xp, 0, gp);
    gradX(model, xm, 0, gm);
    for (let k = 0; k < K; k++) for (let i = 0; i < d; i++) H[k * d * d + i * d + j] = (gp[k * d + i] - gm[k * d + i]) / (2 * h);
  }
  return H;
}

/** Distance from x to the nearest ReLU kink surface (smallest |u_r| / ‖w_r‖). */
function kinkDistance(model: Model, x: Float64Array): number {
  if (model.kind !== "relu2") return Infinity;
  const { d, m, W, b } = model;
  let best = Infinity;
  for (let r = 0; r < m; r++) {
    let u = b === null ? 0 : b[r];
    let nw = 0;
    for (let j = 0; j < d; j++) {
      u += W[r * d + j] * x[j];
      nw += W[r * d + j] ** 2;
    }
    best = Math.min(best, Math.abs(u) / Math.sqrt(nw));
  }
  return best;
}

describe("gradX and hessX against central differences", () => {
  it("every kind × activation × K × bias, at offsets", () => {
    const rng = new Rng(21);
    for (const model of cases(rng)) {
      const { d, K } = model;
      for (let t = 0; t < 10; t++) {
        const x = normals(rng, d, 1.3);
        if (kinkDistance(model, x) < 1e-3) continue; // a FD stencil across a ReLU kink is not a derivative
        const buf = new Float64Array(3 + d);
        buf.set(x, 3);
        const G = new Float64Array(2 + K * d);
        gradX(model, buf, 3, G, 2);
        expect(maxRelDiff(G.subarray(2), fdGrad(model, x, 1e-6))).toBeLessThan(1e-7);
        const H = new Float64Array(1 + K * d * d).fill(7);
        hessX(model, buf, 3, H, 1);
        expect(H[0]).toBe(7); // nothing written before outOff
        const Hs = H.subarray(1);
        if (model.kind === "linear" || model.activation === "relu") {
          expect(Hs.every((v) => v === 0)).toBe(true);
        } else {
          expect(maxRelDiff(Hs, fdHess(model, x, 1e-5))).toBeLessThan(1e-7);
          // each ∇²f_k is symmetric
          for (let k = 0; k < K; k++)
            for (let i = 0; i < d; i++)
              for (let j = 0; j < d; j++) expect(Hs[k * d * d + i * d + j]).toBeCloseTo(Hs[k * d * d + j * d + i], 14);
        }
      }
    }
  });

  it("ReLU: ∇f uses σ'(0) = 0 at a kink", () => {
    const rng = new Rng(22);
    const model = randomTwoLayer(rng, 2, 1, 1, "relu", false);
    // x on the kink of the only unit: u = w·x = 0 ⇒ the unit is treated as inactive
    const x = Float64Array.of(model.W[1], -model.W[0]);
    const G = new Float64Array(2);
    gradX(model, x, 0, G);
    expect(Array.from(G)).toEqual([0, 0]);
  });
});
