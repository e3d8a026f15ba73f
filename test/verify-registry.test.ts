import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checks, HELPER_MODULES } from "../proofs-checks/index.js";

describe("proofs-checks registry", () => {
  it("every module in proofs-checks/ is a helper or contributes a registered check, ids unique", () => {
    const modules = readdirSync("proofs-checks").filter((f) => f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
    const ids = checks.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of modules) {
      if (HELPER_MODULES.includes(m)) continue;
      // a module is named after its check, or (limits.ts) holds the limit checks
      expect(ids.some((id) => id === m || id.startsWith(m.replace(/s$/, "")))).toBe(true);
    }
  });
});
