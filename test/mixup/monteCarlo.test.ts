import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { monteCarloResult, ScaledWelford, Z975 } from "../../src/mixup/monteCarlo.js";
import { cli, cliJson, problemFiles } from "../helpers/cli.js";
import { bn, M, type BN } from "../losses/bigref.js";

/** Mean and s/√N of xs in 40-digit arithmetic (the two-pass textbook formula: no overflow there). */
function refStats(xs: number[]): { mean: BN; se: BN } {
  const N = xs.length;
  let s = bn(0);
  for (const x of xs) s = s.plus(bn(x));
  const mean = s.div(N);
  let q = bn(0);
  for (const x of xs) q = q.plus(bn(x).minus(mean).pow(2));
  return { mean, se: q.div(N - 1).div(N).sqrt() };
}

const rel = (x: number, ref: BN) => (ref.isZero() ? Math.abs(x) : Math.abs(M.bignumber(x).minus(ref).div(ref).toNumber()));

/** Plain Welford as it was (the bytes ordinary inputs must keep). */
function plainWelford(xs: number[]): { mean: number; se: number } {
  let mean = 0;
  let m2 = 0;
  xs.forEach((l, s) => {
    const delta = l - mean;
    mean += delta / (s + 1);
    m2 += delta * (l - mean);
  });
  return { mean, se: Math.sqrt(m2 / (xs.length - 1)) / Math.sqrt(xs.length) };
}

describe("Monte Carlo mean and standard error of huge losses (scaled Welford)", () => {
  it("values near 1e304 (Poisson at a score of 700): mean and standard error to 1e-13 of the 40-digit values", () => {
    const rng = new Rng(5);
    for (const scale of [1e300, Math.exp(700), 1e307, 1.7e308]) {
      const xs = Array.from({ length: 5000 }, () => scale * rng.uniform() ** 3);
      const acc = new ScaledWelford();
      for (const x of xs) acc.add(x);
      const ref = refStats(xs);
      // Welford's rounding grows like a few ε·√N at most: 1e-13 is far above it and far below any bug
      expect(rel(acc.value, ref.mean)).toBeLessThan(1e-13);
      expect(rel(acc.stdError(), ref.se)).toBeLessThan(1e-13);
    }
  });

  it("ordinary values keep the bytes of plain Welford (the scale is a power of two, the rescaling exact)", () => {
    const rng = new Rng(6);
    for (const scale of [0.7, 3, 1e3, 1e-5]) {
      const xs = Array.from({ length: 2000 }, () => scale * (rng.normal() + 2));
      const acc = new ScaledWelford();
      for (const x of xs) acc.add(x);
      const p = plainWelford(xs);
      expect(acc.value).toBe(p.mean);
      expect(acc.stdError()).toBe(p.se);
    }
  });

  it("an interval beyond float64 is null with a reason; a finite one is mean ± 1.96·se", () => {
    const ok = monteCarloResult(1e307, 1e306, 10);
    expect(ok.ci95).toEqual([1e307 - Z975 * 1e306, 1e307 + Z975 * 1e306]);
    const big = monteCarloResult(1.1e308, 5.5e307, 3);
    expect(big.ci95).toBeNull();
    expect(big.ci95Reason).toMatch(/beyond float64/);
    expect(big.stdError).toBe(5.5e307);
    const inf = monteCarloResult(1e308, Infinity, 2);
    expect(inf.stdError).toBeNull();
    expect(inf.stdErrorReason).toMatch(/beyond float64/);
  });
});

describe("loss --method mc with the Poisson loss at a score of 700 (the report: −Infinity in JSON, exit 1)", () => {
  // rows z = 700, 0, 1; labels 1, 0, 2; Beta(1, 1): the exact L_mix in closed form (as in magnitude.test.ts)
  const z = [700, 0, 1];
  const y = [1, 0, 2];
  let exact = bn(0);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      const a = bn(z[i]);
      const b = bn(z[j]);
      const eh = i === j ? a.exp() : a.exp().minus(b.exp()).div(a.minus(b));
      exact = exact.plus(eh.minus(bn(y[i] * z[i] + y[j] * z[j]).div(3).plus(bn(y[i] * z[j] + y[j] * z[i]).div(6))));
    }
  }
  const L = exact.div(9).toNumber();
  const f = problemFiles("x,y\n700,1\n0,0\n1,2\n", JSON.stringify({ kind: "linear", theta: [1], loss: "poisson" }));
  it("--json: finite interval around the estimate, which is within 5 standard errors of the exact value", () => {
    const o = cliJson(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--method", "mc", "--samples", "4000", "--json"]);
    const m = o.mixupLoss;
    expect(m.ci95[0]).toBeLessThan(m.value);
    expect(m.ci95[1]).toBeGreaterThan(m.value);
    expect(m.ci95[1] - m.value).toBeCloseTo(Z975 * m.stdError, -290);
    expect(Math.abs(m.value - L)).toBeLessThan(5 * m.stdError);
    expect(o.rewrite.ci95[0]).toBeLessThan(o.rewrite.ci95[1]);
  });
  it("the table prints the interval, never ±Infinity", () => {
    const r = cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--method", "mc", "--samples", "4000"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Mixup loss +\S+ +95% CI \[\d\.\d+e\+303, \d\.\d+e\+303\]/);
    // (the Lemma 3.1 terms below have their own nulls with reasons: R2 overflows inside its row sum here)
    for (const line of r.stdout.split("\n").filter((l) => /Mixup loss|label-free rewrite/.test(l))) expect(line).not.toMatch(/Infinity|NaN/);
  });
  it("an interval that is not representable (scores 709.7 and −1000, 3 draws) is null with a reason, exit 0", () => {
    const g = problemFiles("x,y\n709.7,0\n-1000,0\n", JSON.stringify({ kind: "linear", theta: [1], loss: "poisson" }));
    const o = cliJson(["loss", "--data", g.data, "--model", g.model, "--alpha", "1", "--method", "mc", "--samples", "3", "--seed", "1", "--json"]);
    expect(o.mixupLoss.ci95).toBeNull();
    expect(o.mixupLoss.ci95Reason).toMatch(/beyond float64/);
    expect(o.taylor.remainderCi95).toBeNull();
    expect(typeof o.taylor.remainderCi95Reason).toBe("string");
    const t = cli(["loss", "--data", g.data, "--model", g.model, "--alpha", "1", "--method", "mc", "--samples", "3", "--seed", "1"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/95% CI — \(the 95% interval/);
  });
});
