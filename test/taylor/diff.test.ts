import { all, create, type BigNumber } from "mathjs";
import { describe, expect, it } from "vitest";
import { softplusDiff } from "../../src/core/special.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { ScalarFamily, VectorFamily } from "../../src/losses/types.js";
import { activationFns } from "../../src/models/index.js";

// 120-digit references (tanh(−30 + 1e-12) − tanh(−30) is ~1e-38 of its terms), through the typed
// Decimal methods of mathjs BigNumber. Inputs enter through their shortest decimal strings, which differ
// from the doubles by half an ulp; the functions are smooth there, so the differences move by far less
// than the tolerance.
const M = create(all, { number: "BigNumber", precision: 120 });
type BN = BigNumber;
const big = (x: number): BN => M.bignumber(x);
const softplusBig = (x: BN): BN => x.exp().plus(1).ln();
const tanhBig = (x: BN): BN => {
  const e = x.times(2).exp();
  return e.minus(1).div(e.plus(1));
};
function rel(got: number, ref: BN): number {
  if (ref.isZero()) return Math.abs(got);
  return big(got).minus(ref).div(ref).abs().toNumber();
}
/** f(a + d) − f(a) at 120 digits, with a + d summed exactly */
const bigDiff = (f: (x: BN) => BN, a: number, d: number): BN => f(big(a).plus(big(d))).minus(f(big(a)));

const US = [-30, -3, -0.4, 0, 0.7, 5, 40];
const DS = [1e-12, -3e-9, 1e-5, -0.02, 0.5, -0.9, 3, -7];

describe("σ(u + δ) − σ(u) and h(z + δ) − h(z) without cancellation, against 120-digit values", () => {
  // each is a product/quotient of a handful of relatively accurate factors: a few ulps, far below 1e-14
  const TOL = 1e-14;
  it("softplusDiff", () => {
    for (const u of US) for (const d of DS) expect(rel(softplusDiff(u, d), bigDiff(softplusBig, u, d))).toBeLessThan(TOL);
  });
  it("tanh diff", () => {
    const diff = activationFns("tanh").diff;
    for (const u of US) for (const d of DS) expect(rel(diff(u, d), bigDiff(tanhBig, u, d))).toBeLessThan(TOL);
  });
  it("relu diff is exact", () => {
    const diff = activationFns("relu").diff;
    expect(diff(2, 1e-13)).toBe(1e-13);
    expect(diff(-2, 1e-13)).toBe(0);
    expect(diff(-1, 3)).toBe(2);
  });
  it("family hDiff: logistic, squared, Poisson", () => {
    const fams: Array<[ScalarFamily, (x: BN) => BN]> = [
      [familyOf("logistic") as ScalarFamily, softplusBig],
      [familyOf("squared") as ScalarFamily, (x) => x.times(x).div(2)],
      [familyOf("poisson") as ScalarFamily, (x) => x.exp()],
    ];
    for (const [f, h] of fams) {
      for (const z of [-5, -0.3, 0, 1.2, 6]) for (const d of DS) expect(rel(f.hDiff(z, d), bigDiff(h, z, d))).toBeLessThan(TOL);
    }
  });
  it("softmax hDiff", () => {
    const f = familyOf("softmax") as VectorFamily;
    const lse = (v: BN[]): BN => v.reduce((acc, x) => acc.plus(x.exp()), big(0)).ln();
    const z = [0.3, -1.2, 2.5];
    for (const s of DS) {
      const d = [s, -0.5 * s, 0.25 * s];
      const ref = lse(z.map((v, k) => big(v).plus(big(d[k])))).minus(lse(z.map(big)));
      expect(rel(f.hDiff(z, 0, 3, d, 0), ref)).toBeLessThan(TOL);
    }
  });
});
