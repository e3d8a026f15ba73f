/**
 * theorem-4.2 (docs/theory.md §4.5, reconstructed: the paper's exact class and constant are not available):
 * Theorem 4.1 on fixed random ReLU features φ(x) = relu(Wx), W ~ N(0, 1/d), no bias. The features' rank is m
 * whatever the input's rank, so the check varies m (input: centered low-rank Gaussian, d = 20, r = 3). Same
 * chain as theorem-4.1; controls: ρ overstated and the bound halved (min-for-max is reported, not required); findings: slopes in m of the ridge complexity and of the bound.
 */
import type { Rng } from "../src/core/rng.js";
import { reluFeatures } from "../src/generalization/index.js";
import { chainCheck, lowRankData, type Section4Instance } from "./section4-instances.js";

function instances(rng: Rng, quick: boolean): Section4Instance[] {
  const ms = quick ? [10, 40] : [10, 20, 40, 80];
  const ns = quick ? [150] : [150, 400];
  const gammas = quick ? [0.05, 0.5] : [0.02, 0.2, 2];
  const out: Section4Instance[] = [];
  for (const [b, n] of ns.entries()) {
    const x = lowRankData(rng.fork(100 + b), n, 20, 3);
    for (const [a, m] of ms.entries()) {
      const phi = reluFeatures(x, m, rng.fork(200 + 10 * b + a)).data;
      for (const gamma of gammas) out.push({ label: `m=${m} n=${n} γ=${gamma}`, ds: phi, gamma, B: 2 * Math.sqrt(3 / m), size: m });
    }
  }
  return out;
}

export const theorem42 = chainCheck({
  id: "theorem-4.2",
  statement: "Theorem 4.1 on random ReLU features φ(x) = relu(Wx) (m = 10–80) of centered low-rank inputs: W_γ(B) lower estimate ≤ the exact ellipsoid supremum at s* ≤ max{(γ/ρ)^¼, (γ/ρ)^½}·√(rank(Σ_φ)/n), with rank(Σ_φ) = m.",
  control: "ρ overstated as ½ with a witness; the bound halved — each must produce a violation (min in place of max is run and reported: in m-dimensional feature space the lower estimate of W_γ(B) is too weak to expose it)",
  axis: "m",
  minControl: false,
  instances,
});
