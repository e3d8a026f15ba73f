import { describe, expect, it } from "vitest";
import { cliJson, expectOneLineError, cli, problemFiles } from "../helpers/cli.js";

/**
 * The contract at extreme Beta shapes (docs/numerics.md, "Extreme Beta shapes"), through the commands that
 * read α and β: each gives finite numbers, within the library's mixupLoss of the same data, or exit 2 with
 * one line naming the option and why. The values themselves are tested against 50-digit references in
 * test/mixup/extremeShapes.test.ts.
 */
const DATA = "x1,x2,y\n0.5,1.2,1\n-0.3,0.8,0\n1.1,-0.4,1\n-1.2,-0.7,0\n0.2,0.1,1\n-0.6,1.5,0\n";
const RELU = JSON.stringify({ kind: "relu2", W: [[1.0, -0.5], [0.3, 0.8], [-0.7, 0.4]], b: [0.1, -0.2, 0.0], v: [1.5, -0.8, 0.6], c: 0.05, activation: "relu", loss: "logistic" });
const LIN = JSON.stringify({ kind: "linear", theta: [1.2, -0.4], loss: "logistic" });

function finiteNumbers(v: unknown, path = ""): string[] {
  if (typeof v === "number") return Number.isFinite(v) ? [] : [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => finiteNumbers(x, `${path}[${i}]`));
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => finiteNumbers(x, `${path}.${k}`));
  return [];
}

describe("extreme shapes on the command line", () => {
  const relu = problemFiles(DATA, RELU);
  const lin = problemFiles(DATA, LIN);
  for (const [a, b] of [["1e-100", "1e-100"], ["1e-14", "1e-14"], ["1e9", "1e9"], ["1", "1e15"], ["1e5", "1e5"]]) {
    it(`loss --grad, taylor and theorem at (α, β) = (${a}, ${b}): finite JSON; the ReLU loss at large α near the midpoint loss`, () => {
      const l = cliJson(["loss", "--data", relu.data, "--model", relu.model, "--alpha", a, "--beta", b, "--grad", "--json", "--quiet"]);
      expect(finiteNumbers(l)).toEqual([]);
      expect(l.mixupLoss.errorEstimate).toBeLessThanOrEqual(1e-10 * l.mixupLoss.meanAbsLoss);
      expect(Math.abs(l.mixupLoss.value - l.rewrite.value)).toBeLessThanOrEqual(l.mixupLoss.errorEstimate + l.rewrite.errorEstimate);
      if (a === b && Number(a) >= 1e5) expect(Math.abs(l.mixupLoss.value - 0.683411527259)).toBeLessThan(1e-6); // → the midpoint loss (fixtures)
      const t = cliJson(["taylor", "--data", relu.data, "--model", relu.model, "--alpha", a, "--beta", b, "--json", "--quiet"]);
      expect(finiteNumbers(t)).toEqual([]);
      // the same L_mix (taylor asks for tol 1e-13)
      expect(Math.abs(t.rows[0].mixupLoss - l.mixupLoss.value)).toBeLessThanOrEqual(l.mixupLoss.errorEstimate + t.rows[0].remainderError);
      const th = cliJson(["theorem", "3.1", "--data", lin.data, "--model", lin.model, "--alpha", a, "--beta", b, "--center", "--json", "--quiet"]);
      expect(finiteNumbers(th)).toEqual([]);
      expect(th.assumptions.centered.met).toBe(true);
      const lg = cliJson(["loss", "--data", lin.data, "--model", lin.model, "--alpha", a, "--beta", b, "--grad", "--json", "--quiet"]);
      expect(finiteNumbers(lg)).toEqual([]);
    });
  }
  it("shapes outside [1e-100, 1e15]: exit 2, one line naming the option and why, for every command", () => {
    for (const [opt, v, why] of [["--alpha", "5e-324", /products of two shapes underflow/], ["--beta", "1e300", /standard deviation/], ["--alpha", "0", /positive number/]] as const) {
      const extra = opt === "--beta" ? ["--alpha", "1"] : [];
      for (const cmd of [["loss", "--data", relu.data, "--model", relu.model], ["taylor", "--data", relu.data, "--model", relu.model], ["theorem", "3.1", "--data", lin.data, "--model", lin.model]]) {
        const r = cli([...cmd, ...extra, opt, v, "--json"]);
        expectOneLineError(r, new RegExp(`^mixup-theory: ${opt}: .*is not a shape in \\[1e-100, 1e15\\]: .*${why.source}`));
      }
    }
    expectOneLineError(cli(["taylor", "--data", relu.data, "--model", relu.model, "--alpha-grid", "1,1e16", "--json"]), /--alpha-grid: item 2 of "1,1e16" is "1e16", expected a Beta shape in \[1e-100, 1e15\]/);
  });
});
