import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDataset, type Dataset } from "../../src/core/dataset.js";
import { family as familyOf } from "../../src/losses/index.js";
import type { Family } from "../../src/losses/types.js";
import { parseModel } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";

export interface ExactCase {
  regime: string;
  name: string;
  alpha: number;
  beta: number;
  pairs: "all" | "distinct";
  ds: Dataset;
  model: Model;
  family: Family;
  standardLoss: number;
  mixupLoss: number;
  labelFree: number;
  meanAbsLoss: number;
  /** ∇_θ L_mix in getParams order (extreme-shapes fixtures only) */
  grad?: number[];
  /**
   * the gradient with the toolkit's float64 pre-activations where the decimal data put a unit exactly on its
   * kink at a data point (the decimal-exact value is +2.8e-17 there; see extreme-shapes/README.md)
   */
  gradDecimalData?: number[];
}

/**
 * The mpmath reference cases of test/fixtures/<folder>/*.json: "exact-loss" (make_fixtures.py, ordinary
 * shapes) or "extreme-shapes" (make_extreme.py, α, β from 1e-100 to 1e12, with gradients).
 */
export function exactLossCases(folder: "exact-loss" | "extreme-shapes" = "exact-loss"): ExactCase[] {
  const dir = join("test", "fixtures", folder);
  const out: ExactCase[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, f), "utf8"));
    for (const c of doc.cases) {
      const model = parseModel(c.model, `${f}:${c.name}`);
      const n = c.X.length;
      const d = c.X[0].length;
      const K = Array.isArray(c.y[0]) ? c.y[0].length : 1;
      const ds = makeDataset(Float64Array.from(c.X.flat()), Float64Array.from(c.y.flat()), n, d, K);
      out.push({
        regime: doc.regime,
        name: c.name,
        alpha: c.alpha,
        beta: c.beta,
        pairs: c.pairs,
        ds,
        model,
        family: familyOf(model.loss),
        standardLoss: c.standardLoss,
        mixupLoss: c.mixupLoss,
        labelFree: c.labelFree,
        meanAbsLoss: c.meanAbsLoss,
        grad: c.grad,
        gradDecimalData: c.gradDecimalData,
      });
    }
  }
  return out;
}
