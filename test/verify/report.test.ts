import { describe, expect, it } from "vitest";
import { finiteOrReason, nonFiniteToNull, stringifyStrict } from "../../src/core/json.js";
import { reportJson } from "../../src/verify/report.js";
import type { CheckReport } from "../../src/verify/runner.js";

describe("report.json number encoding (core/json.ts)", () => {
  it("a non-finite number inside a check's details is null; the file holds no NaN or Infinity and no wall time", () => {
    const outcome = { instances: 2, worstMargin: 0.5, passed: true, details: { a: NaN, b: [1, Infinity, -Infinity], c: { d: 2 } } };
    const r: CheckReport = {
      id: "x",
      tag: "exact",
      statement: "s",
      status: "PASS",
      run: outcome,
      control: { description: "c", caught: true, ...outcome, passed: false },
      seconds: 1.25,
    };
    const text = reportJson({ version: "0", seed: 0, quick: true }, [r]);
    expect(text).not.toMatch(/NaN|Infinity|seconds/);
    const j = JSON.parse(text);
    expect(j.checks[0].run.details).toEqual({ a: null, b: [1, null, null], c: { d: 2 } });
  });
  it("stringifyStrict refuses a non-finite number; finiteOrReason puts null and a reason beside it", () => {
    expect(() => stringifyStrict({ x: NaN })).toThrow(/non-finite number NaN/);
    expect(finiteOrReason({ a: 1, b: Infinity, c: null }, (f, x) => `${f}:${String(x)}`)).toEqual({ a: 1, b: null, bReason: "b:Infinity", c: null, cReason: "c:null" });
    expect(nonFiniteToNull(-0)).toBe(-0);
  });
});
