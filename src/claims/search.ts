import fc from "fast-check";
import { InputError } from "../core/errors.js";
import { alphaBeta, problem } from "../arbitraries/index.js";
import { checkClaim, claims, type CheckClaimResult, type ClaimInstance } from "./index.js";

/** The assumptions `search` can drop, and the keys of `unmetAssumptions` each one stands for. */
export const DROPPABLE = { centered: ["centered"], inTheta: ["inTheta"], homogeneous: ["noBias", "homogeneous"], none: [] } as const;
export type Drop = keyof typeof DROPPABLE;
export const SEARCH_CLAIMS = ["theorem-3.1", "theorem-3.2"] as const;
export type SearchClaim = (typeof SEARCH_CLAIMS)[number];

export function checkDrop(drop: string): Drop {
  if (drop === "cx" || drop === "norm") {
    throw new InputError("--drop", "--drop: c_x is defined as a minimum norm (min‖x_i‖/√d), so assumption (b) cannot be dropped: a zero row only makes ε_mix = 0");
  }
  if (!(drop in DROPPABLE)) throw new InputError("--drop", `--drop: "${drop}" is not one of ${Object.keys(DROPPABLE).join(", ")}`);
  return drop as Drop;
}

/**
 * A counterexample to Theorem 3.1 or 3.2 once one assumption is dropped (docs/api.md, "Property tests"): the
 * instances keep every other assumption (centered data, θ ∈ Θ, the homogeneous model, c_x > 0) and violate the
 * dropped one freely; fast-check searches `budget` of them and shrinks the first violation. With drop "none"
 * every assumption is kept and the theorem should hold: found is false.
 */
export async function searchCounterexample(claim: SearchClaim, drop: Drop, o: { budget?: number; seed?: number } = {}): Promise<CheckClaimResult> {
  const arb = fc
    .tuple(
      problem({
        model: claim === "theorem-3.1" ? "linear" : "relu",
        centered: drop !== "centered",
        inTheta: drop !== "inTheta",
        bias: drop === "homogeneous",
        normFloor: 0.25,
      }),
      alphaBeta({ lo: 0.1, hi: 10 }),
    )
    .map(([p, ab]): ClaimInstance => ({ ...p, ...ab }));
  return checkClaim(claims[claim], arb, { numRuns: o.budget ?? 1000, seed: o.seed ?? 0, ignore: DROPPABLE[drop] });
}
