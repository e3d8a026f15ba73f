import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { mixingLaw, gradedGrid, MIXING_LAW_CASES, BETA_LAW, DTILDE_LAW } from "../../src/experiments/mixingLaw.js";
import type { ExperimentContext } from "../../src/experiments/types.js";
import { dTildePdf, betaPdf } from "../../src/mixing/index.js";
import { m1 } from "../../src/mixing/dtilde.js";

const NOOP = { stage() {}, tick() {}, pause: () => undefined };
const ctx = (quick: boolean): ExperimentContext => ({ rng: new Rng(0), seed: 0, quick, progress: NOOP });

/** dλ/dt of λ(t) = t^q/(t^q + (1−t)^q), written from the quotient rule (not from the library's λ(1−λ)/(t(1−t)) form). */
function jacobianAt(t: number, q: number): number {
  const a = Math.pow(t, q);
  const b = Math.pow(1 - t, q);
  return (q * Math.pow(t, q - 1) * Math.pow(1 - t, q - 1)) / ((a + b) * (a + b));
}

describe("mixing-law: the plotted densities", () => {
  for (const quick of [true, false]) {
    it(`${quick ? "quick" : "full"}: Beta and D̃ integrate to 1; D̃ has mean 1 − m1 (dtilde.ts), Beta has mean α/(α+β)`, async () => {
      const res = await mixingLaw.run(ctx(quick));
      const { rows } = res.figures[0].table;
      const N = res.params.gridPoints as number;
      const q = res.params.gridGrading as number;
      for (const [alpha, beta] of MIXING_LAW_CASES) {
        for (const law of [BETA_LAW, DTILDE_LAW]) {
          const pts = rows.filter((r) => r.alpha === alpha && r.beta === beta && r.law === law);
          expect(pts).toHaveLength(N);
          // midpoint rule in t: the integrand p(λ(t))·λ'(t) behaves like t^(q·min(α,β) − 1) near the ends (at
          // worst t^1 for min = 0.2, q = 10), so the rule's error is O(h²) with h = 1/N
          let mass = 0;
          let mean = 0;
          let meanComplement = 0;
          for (let k = 0; k < N; k++) {
            const w = jacobianAt((k + 0.5) / N, q) / N;
            const p = pts[k].density as number;
            mass += p * w;
            mean += (pts[k].lambda as number) * p * w;
            meanComplement += (pts[k].oneMinusLambda as number) * p * w;
          }
          const expectedMean = law === DTILDE_LAW ? 1 - m1(alpha, beta) : alpha / (alpha + beta);
          // tolerance: the O(h²) midpoint error. Measured worst 5.5e-7 (N = 400) and 2.2e-8 (N = 2000), both at
          // α = β = 0.2 where the integrand behaves like t¹ at the ends (the ratio 25 = (2000/400)² confirms h²);
          // every other case is at 1e-15 (integrand flat at the ends). 2e-6 / 1e-7 leave a factor ≈ 4.
          const tol = quick ? 2e-6 : 1e-7;
          expect(Math.abs(mass - 1), `${law} (${alpha}, ${beta}) mass ${mass}`).toBeLessThan(tol);
          expect(Math.abs(mean - expectedMean), `${law} (${alpha}, ${beta}) mean ${mean}`).toBeLessThan(tol);
          expect(Math.abs(meanComplement - (1 - expectedMean)), `${law} (${alpha}, ${beta})`).toBeLessThan(tol);
        }
      }
    });
  }

  it("the densities agree with jstat (betaPdf, dTildePdf) inside [0.01, 0.99] to 1e-7 relative (jstat's accuracy)", async () => {
    const res = await mixingLaw.run(ctx(true));
    let checked = 0;
    for (const r of res.figures[0].table.rows) {
      const l = r.lambda as number;
      if (l < 0.01 || l > 0.99) continue;
      const a = r.alpha as number;
      const b = r.beta as number;
      const ref = r.law === DTILDE_LAW ? dTildePdf(l, a, b) : betaPdf(l, a, b);
      expect(Math.abs((r.density as number) - ref)).toBeLessThanOrEqual(1e-7 * ref);
      checked++;
    }
    expect(checked).toBeGreaterThan(500);
  });

  it("the grid: λ + (1 − λ) = 1 to rounding; λ rising on the lower half, 1 − λ falling on the upper half, both > 0; symmetric", () => {
    const g = gradedGrid(400, 10);
    for (let k = 0; k < 400; k++) {
      expect(Math.abs(g.lambda[k] + g.oneMinus[k] - 1)).toBeLessThanOrEqual(2.3e-16);
      expect(g.lambda[k]).toBeGreaterThan(0);
      expect(g.oneMinus[k]).toBeGreaterThan(0);
      if (k > 0) {
        // the smaller of λ and 1 − λ carries the digits: strictly monotone on its half
        if (k < 200) expect(g.lambda[k]).toBeGreaterThan(g.lambda[k - 1]);
        else expect(g.oneMinus[k]).toBeLessThan(g.oneMinus[k - 1]);
      }
      expect(Math.abs(g.lambda[k] - g.oneMinus[399 - k])).toBeLessThanOrEqual(1e-12 * g.lambda[k]); // t and 1 − t round differently; (·)^10 amplifies it
      expect(Math.abs(g.jacobian[k] - jacobianAt((k + 0.5) / 400, 10))).toBeLessThanOrEqual(1e-12 * g.jacobian[k]);
    }
  });

  it("the spec: one panel per case in order, two lines per panel, a rule at E_D̃[λ] per panel, y cut at yMax", async () => {
    const res = await mixingLaw.run(ctx(true));
    const spec = res.figures[0].spec as any;
    expect(spec.facet.sort).toEqual(MIXING_LAW_CASES.map(([a, b]) => `α = ${a}, β = ${b}`));
    const layers = spec.spec.layer;
    expect(layers.map((l: any) => l.mark.type)).toEqual(["line", "rule", "text"]);
    expect(layers[0].encoding.y.scale.domain).toEqual([0, 4]);
    expect(layers[0].encoding.x.title).toBe("λ");
    expect(layers[0].encoding.color.scale.domain).toEqual([BETA_LAW, DTILDE_LAW]);
    const rules = spec.data.values.filter((r: any) => r.__mark === "rule");
    expect(rules.map((r: any) => r.lambda)).toEqual(MIXING_LAW_CASES.map(([a, b]) => 1 - m1(a, b)));
  });
});
