import { describe, expect, it } from "vitest";
import { claims, NOT_PER_INSTANCE } from "../../src/claims/index.js";
import { checks } from "../../proofs-checks/index.js";

describe("every proofs-check has a claims entry or a stated reason why not", () => {
  it("claims ∪ NOT_PER_INSTANCE covers the checks, and no id is in both", () => {
    for (const c of checks) {
      const inClaims = c.id in claims;
      const inNot = c.id in NOT_PER_INSTANCE;
      expect(inClaims || inNot, c.id).toBe(true);
      expect(inClaims && inNot, c.id).toBe(false);
    }
  });
});
