import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import {
  asOption,
  parseFinite,
  parseNonNegative,
  parseNonNegativeInt,
  parseNumberList,
  parsePositive,
  parsePositiveInt,
  parseShape,
} from "../../src/cli/io/errors.js";
import { inputError } from "../helpers/errors.js";

function message(f: () => unknown): string {
  return inputError(f).message;
}

describe("option parsers", () => {
  it("parseFinite", () => {
    expect(parseFinite("--x", "-1.5e2")).toBe(-150);
    expect(parseFinite("--x", " 2 ")).toBe(2);
    expect(message(() => parseFinite("--x", "abc"))).toBe('--x: expected a finite number, got "abc"');
    expect(message(() => parseFinite("--x", "inf"))).toBe('--x: expected a finite number, got "inf"');
    expect(message(() => parseFinite("--x", ""))).toBe('--x: expected a finite number, got ""');
    expect(message(() => parseFinite("--x", "0x10"))).toBe('--x: expected a finite number, got "0x10"');
  });

  it("parsePositive", () => {
    expect(parsePositive("--alpha", "0.2")).toBe(0.2);
    expect(parsePositive("--alpha", "1e-300")).toBe(1e-300);
    for (const bad of ["0", "-1", "-0", "NaN", "Infinity", "abc", "1e999", "", "1,2"]) {
      expect(message(() => parsePositive("--alpha", bad))).toBe(`--alpha: expected a finite number > 0, got ${JSON.stringify(bad)}`);
    }
  });

  it("parseShape: the library's shape range [1e-100, 1e15], each refusal with its reason", () => {
    expect(parseShape("--alpha", "0.2")).toBe(0.2);
    expect(parseShape("--alpha", "1e-100")).toBe(1e-100);
    expect(parseShape("--beta", "1e15")).toBe(1e15);
    expect(message(() => parseShape("--alpha", "5e-324"))).toBe("--alpha: 5e-324 is not a shape in [1e-100, 1e15]: products of two shapes underflow below 1e-100");
    expect(message(() => parseShape("--beta", "2e15"))).toBe(
      "--beta: 2000000000000000 is not a shape in [1e-100, 1e15]: above 1e15 the standard deviation of Beta(α, β) is below 2e-8, a point mass for any loss",
    );
    for (const bad of ["0", "-1", "-0", "1e-300"]) expect(message(() => parseShape("--alpha", bad))).toMatch(/^--alpha: .* is not a shape in \[1e-100, 1e15\]: /);
    for (const bad of ["NaN", "abc", "", "Infinity", "1e999"]) expect(message(() => parseShape("--alpha", bad))).toBe(`--alpha: expected a number in [1e-100, 1e15], got ${JSON.stringify(bad)}`);
    expect(message(() => parseNumberList("--alpha-grid", "1,1e16", "shape"))).toBe('--alpha-grid: item 2 of "1,1e16" is "1e16", expected a Beta shape in [1e-100, 1e15]');
  });

  it("parseNonNegative", () => {
    expect(Object.is(parseNonNegative("--eps", "-0"), 0)).toBe(true);
    expect(parseNonNegative("--eps", "0.5")).toBe(0.5);
    expect(message(() => parseNonNegative("--eps", "-1e-9"))).toBe('--eps: expected a finite number ≥ 0, got "-1e-9"');
  });

  it("parseNonNegativeInt and parsePositiveInt", () => {
    expect(parseNonNegativeInt("--seed", "0")).toBe(0);
    expect(parseNonNegativeInt("--seed", "12345")).toBe(12345);
    expect(parseNonNegativeInt("--n", "1e3")).toBe(1000);
    for (const bad of ["-1", "1.5", "abc", "9007199254740993", ""]) {
      expect(message(() => parseNonNegativeInt("--seed", bad))).toBe(`--seed: expected an integer ≥ 0, got ${JSON.stringify(bad)}`);
    }
    expect(parsePositiveInt("--n", "7")).toBe(7);
    expect(message(() => parsePositiveInt("--n", "0"))).toBe('--n: expected an integer ≥ 1, got "0"');
  });

  it("parseNumberList", () => {
    expect(parseNumberList("--lambdas", "0,0.01,0.1")).toEqual([0, 0.01, 0.1]);
    expect(parseNumberList("--lambdas", " 1 , -2 ")).toEqual([1, -2]);
    expect(parseNumberList("--lambdas", "0.5")).toEqual([0.5]);
    expect(message(() => parseNumberList("--lambdas", "0,,0.1"))).toBe('--lambdas: item 2 of "0,,0.1" is empty');
    expect(message(() => parseNumberList("--lambdas", "0,0.1,"))).toBe('--lambdas: item 3 of "0,0.1," is empty');
    expect(message(() => parseNumberList("--lambdas", ""))).toBe('--lambdas: expected a comma-separated list of numbers, got ""');
    expect(message(() => parseNumberList("--lambdas", "0,abc"))).toBe(
      '--lambdas: item 2 of "0,abc" is "abc", expected a finite number',
    );
    expect(message(() => parseNumberList("--alphas", "1,0", "positive"))).toBe(
      '--alphas: item 2 of "1,0" is "0", expected a finite number > 0',
    );
    expect(message(() => parseNumberList("--lam", "0.5,1.5", "unit"))).toBe('--lam: item 2 of "0.5,1.5" is "1.5", expected a number in [0, 1]');
    expect(parseNumberList("--lam", "0,1", "unit")).toEqual([0, 1]);
    expect(parseNumberList("--eps", "-0,2", "nonNegative").map((v) => Object.is(v, 0))).toEqual([true, false]);
  });

  it("asOption adapts a parser to commander's (value, previous) signature", () => {
    const f = asOption("--alpha", parsePositive);
    expect(f("2")).toBe(2);
    expect(() => f("0")).toThrow('--alpha: expected a finite number > 0, got "0"');
  });

  it("where names the option", () => {
    try {
      parsePositive("--alpha", "x");
    } catch (e) {
      expect((e as InputError).where).toBe("--alpha");
    }
  });
});
