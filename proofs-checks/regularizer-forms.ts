/**
 * regularizer-forms (docs/theory.md §4.1; the factor is exact, the simplified form reconstructed): the factor
 * of the paper's simplified regularizer, E_D̃[(1−λ)²/λ²] = [B(α−1, β+2) + B(α+2, β−1)]/B(α, β), against an
 * independent tanh-sinh quadrature of (1−λ)²/λ² under D̃'s density λ·(p_{α,β}(λ) + p_{β,α}(λ)) (docs/theory.md
 * §2.5) for α, β > 1, to 1e-9 relative; and null ("infinite") for α ≤ 1 or β ≤ 1, where the quadrature's
 * value grows without bound as the cut-off shrinks. Finding (not pass/fail): the three forms — the exact gap
 * L_mix − L_std, Lemma 3.1's R2 and the simplified form — side by side over α = β at a logistic model trained to
 * a stationary point on centered low-rank data.
 * Negative control: the same quadrature under Beta(α, β) in place of D̃ must disagree with the closed form.
 */
import type { Rng } from "../src/core/rng.js";
import { dTildeInverseRatioMoment, inverseRatioQuadrature, regularizerForms } from "../src/generalization/index.js";
import { linearModel } from "../src/models/index.js";
import { train } from "../src/train/index.js";
import type { Check, CheckOptions } from "../src/verify/types.js";
import { LOGISTIC, lowRankData } from "./section4-instances.js";
import { outcome, r6, step } from "./util.js";

const CASES: ReadonlyArray<[number, number]> = [[1.5, 1.5], [2, 2], [4, 4], [8, 8], [32, 32], [1.2, 3], [5, 1.5], [2.5, 7]];
const INFINITE: ReadonlyArray<[number, number]> = [[1, 1], [0.5, 2], [3, 1], [0.2, 0.2]];

export const regularizerFormsCheck: Check = {
  id: "regularizer-forms",
  tag: "exact",
  statement:
    "E_D̃[(1−λ)²/λ²] = [B(α−1, β+2) + B(α+2, β−1)]/B(α, β) for α, β > 1 (against tanh-sinh quadrature, 1e-9 relative) and infinite (null) otherwise; finding: L_mix − L_std, R2 and the simplified regularizer side by side over α.",
  control: "the quadrature under Beta(α, β) in place of D̃ must disagree with the closed form",
  async run(_rng: Rng, opts: CheckOptions) {
    const margins: number[] = [];
    const details: unknown[] = [];
    for (const [a, b] of CASES) {
      const closed = dTildeInverseRatioMoment(a, b).value!;
      const q = inverseRatioQuadrature(a, b, "dtilde");
      const rel = Math.abs(closed - q) / closed;
      margins.push(Number.isFinite(rel) ? 1 - rel / 1e-9 : -1);
      details.push({ alpha: a, beta: b, closed: r6(closed), quadrature: r6(q), relativeDifference: r6(rel) });
    }
    for (const [a, b] of INFINITE) {
      const f = dTildeInverseRatioMoment(a, b);
      margins.push(f.value === null ? 1 : -1);
      details.push({ alpha: a, beta: b, value: f.value, reason: f.reason });
    }
    // the finding: a logistic model trained by ERM to a stationary point on centered rank-4 data (d = 20)
    await step(opts, "regularizer forms over α");
    const ds = lowRankData(_rng.fork(1), opts.quick ? 150 : 400, 20, 4);
    const m0 = linearModel({ theta: new Float64Array(20), bias: null, loss: "logistic" });
    const trained = (await train(ds, m0, LOGISTIC, { objective: "erm", alpha: 1, steps: opts.quick ? 800 : 3000, lr: 1, log: false })).model;
    const rows: unknown[] = [];
    const findings: string[] = [];
    for (const a of [1, 1.5, 2, 4, 8, 32]) {
      const f = await regularizerForms(ds, trained, LOGISTIC, a, a);
      const sim = f.simplified === null ? null : f.simplified / f.exactGap;
      rows.push({ alpha: a, exactGap: r6(f.exactGap), R2: r6(f.R2), simplified: f.simplified === null ? null : r6(f.simplified), R2OverGap: r6(f.R2 / f.exactGap), simplifiedOverGap: sim === null ? null : r6(sim), factorReason: f.factorReason });
      findings.push(
        `α = β = ${a}: R2 = ${r6(f.R2 / f.exactGap)}×(L_mix − L_std), simplified ${sim === null ? `infinite (${f.factorReason})` : `${r6(sim)}×`} (exact gap ${r6(f.exactGap)})`,
      );
    }
    return outcome(margins, { factor: details, forms: rows }, findings);
  },
  async negativeControl() {
    const margins: number[] = [];
    const details: unknown[] = [];
    for (const [a, b] of CASES) {
      const closed = dTildeInverseRatioMoment(a, b).value!;
      // under Beta(α, β), E[(1−λ)²/λ²] is infinite for α ≤ 2: the quadrature then overflows or does not settle
      const q = inverseRatioQuadrature(a, b, "beta");
      const rel = Number.isFinite(q) ? Math.abs(closed - q) / closed : null;
      margins.push(rel === null ? -1 : Math.max(-1e6, 1 - rel / 1e-9));
      details.push({ alpha: a, beta: b, closed: r6(closed), betaQuadrature: Number.isFinite(q) ? r6(q) : "diverges", relativeDifference: rel === null ? null : r6(rel) });
    }
    return outcome(margins, { factor: details });
  },
};
