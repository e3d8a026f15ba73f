import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, tmp, write } from "../helpers/cli.js";

// centered (pairs ±x), labels by the sign of θᵀx for θ = (0.8, 0.3)
const DATA = "x1,x2,y\n1,0.5,1\n-1,-0.5,0\n0.5,1,1\n-0.5,-1,0\n2,0.1,1\n-2,-0.1,0\n";
const LINEAR = JSON.stringify({ kind: "linear", theta: [0.8, 0.3] });
const RELU = JSON.stringify({ kind: "relu2", W: [[1, 0.2], [-0.3, 1], [0.5, -1]], v: [1, -0.5, 0.7] });

/** 3 rows on the correct side of θ = (0.8, 0.3), then 30 on the wrong side (rows 4..33): sign(θᵀx) = sign(x1). */
const WRONG33 =
  "x1,x2,y\n1,0.5,1\n-1,-0.5,0\n0.5,1,1\n" +
  Array.from({ length: 30 }, (_, k) => {
    const x1 = (k % 2 === 0 ? 1 : -1) * (1 + k / 10);
    return `${x1},0.1,${x1 > 0 ? 0 : 1}\n`;
  }).join("");

function run(which: string, data: string, model: string, extra: string[] = []) {
  const dir = tmp();
  const d = write(dir, "d.csv", data);
  const m = write(dir, "m.json", model);
  return cli(["theorem", which, "--data", d, "--model", m, "--alpha", "1", ...extra]);
}

describe("mixup-theory theorem", () => {
  it("3.1 --json: assumptions, lhs (core and exact L_mix), rhs, margin, holds, epsMix, tightestEps, ratio", () => {
    const r = run("3.1", DATA, LINEAR, ["--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const k of ["assumptions", "lhs", "rhs", "margin", "holds", "epsMix", "tightestEps", "ratio", "warnings"]) expect(j).toHaveProperty(k);
    expect(j.assumptions.centered.met).toBe(true);
    expect(j.assumptions.inTheta).toEqual({ met: true, violating: 0, violatingRows: [] });
    expect(j.assumptions.cx.value).toBeGreaterThan(0);
    expect(j.holds).toBe(true);
    expect(j.margin).toBeCloseTo(j.lhs.core - j.rhs, 14);
    expect(j.lhs.core).toBeCloseTo(j.lhs.standardLoss + j.lhs.R1 + j.lhs.R2, 14);
    expect(j.ratio).toBeCloseTo(j.epsMix / j.tightestEps, 14);
    expect(j.radius.l2).toBeCloseTo(j.epsMix * Math.SQRT2, 14);
    expect(j.warnings).toEqual([]);
  });
  it("exit 0 with the verdict in the output when an assumption fails: a flipped label lists its row", () => {
    const flipped = DATA.replace("2,0.1,1", "2,0.1,0");
    const r = run("3.1", flipped, LINEAR, ["--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.assumptions.inTheta).toEqual({ met: false, violating: 1, violatingRows: [5] });
    expect(j.warnings.join(" ")).toMatch(/inTheta/);
  });
  it("many rows on the wrong side: the count and the first 20 rows in --json, the count and the first 10 in the table", () => {
    const r = run("3.1", WRONG33, LINEAR, ["--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.assumptions.inTheta).toEqual({ met: false, violating: 30, violatingRows: Array.from({ length: 20 }, (_, k) => k + 4) });
    expect(j.warnings.join(" ")).toContain("rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, … are on the wrong side (30 in all)");
    const t = run("3.1", WRONG33, LINEAR);
    expect(t.code).toBe(0);
    expect(t.stdout).toContain("NOT met: centered, inTheta (rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, … are on the wrong side (30 in all))");
  });
  it("uncentered data is reported, and --center centers it", () => {
    const shifted = "x1,x2,y\n2,0.5,1\n0,-0.5,0\n1.5,1,1\n0.5,-1,0\n3,0.1,1\n-1,-0.1,1\n";
    const a = JSON.parse(run("3.1", shifted, LINEAR, ["--json"]).stdout);
    expect(a.assumptions.centered.met).toBe(false);
    const b = JSON.parse(run("3.1", shifted, LINEAR, ["--json", "--center"]).stdout);
    expect(b.assumptions.centered.met).toBe(true);
    expect(b.centeredByOption).toBe(true);
  });
  it("3.2 reports homogeneity; a net with biases is not homogeneous", () => {
    const j = JSON.parse(run("3.2", DATA, RELU, ["--json"]).stdout);
    expect(j.assumptions.homogeneous.met).toBe(true);
    const biased = JSON.parse(RELU);
    biased.b = [0.1, 0, 0];
    const k = JSON.parse(run("3.2", DATA, JSON.stringify(biased), ["--json"]).stdout);
    expect(k.assumptions.homogeneous.met).toBe(false);
  });
  it("the table names the verdict", () => {
    const r = run("3.1", DATA, LINEAR);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/holds/);
    expect(r.stdout).toMatch(/ε_mix/);
  });
  for (const [name, data] of [
    ["n = 1", "x1,x2,y\n1,2,1\n"],
    ["identical rows", "x1,x2,y\n1,2,1\n1,2,1\n"],
    ["all-zero rows", "x1,x2,y\n0,0,1\n0,0,0\n"],
  ]) {
    it(`3.1 --json on ${name}: exit 0, ε* = 0 and ratio null with a reason (was exit 1: Infinity/NaN)`, () => {
      const dir = tmp();
      const j = cliJson(["theorem", "3.1", "--data", write(dir, "d.csv", data), "--model", write(dir, "m.json", LINEAR), "--alpha", "1", "--json"]);
      expect(j.tightestEps).toBe(0);
      expect(j.ratio).toBeNull();
      expect(j.ratioReason).toMatch(/^ε\* = 0 /);
    });
  }

  it("3.1 with a biased linear model: the bias is an unmet assumption (noBias), in the words `loss` uses", () => {
    const biased = JSON.stringify({ kind: "linear", theta: [0.8, 0.3], bias: 0.1 });
    const dir = tmp();
    const d = write(dir, "d.csv", DATA);
    const m = write(dir, "m.json", biased);
    const j = cliJson(["theorem", "3.1", "--data", d, "--model", m, "--alpha", "1", "--json"]);
    expect(j.assumptions.noBias).toEqual({ met: false });
    expect(j.assumptionsMet).toBe(false);
    const lossWarnings: string[] = cliJson(["loss", "--data", d, "--model", m, "--alpha", "1", "--json"]).adversarial.warnings;
    const sentence = "Theorem 3.1 is about a linear model without bias";
    expect(lossWarnings).toContain(sentence);
    expect(j.warnings.filter((w: string) => w.includes(sentence))).toHaveLength(1);
    expect(j.warnings.join(" ")).toMatch(/noBias/);
    const t = cli(["theorem", "3.1", "--data", d, "--model", m, "--alpha", "1"]);
    expect(t.stdout).toMatch(/assumptions: NOT met: noBias/);
    expect(t.stdout).toContain(sentence);
    // without bias it is met
    expect(JSON.parse(run("3.1", DATA, LINEAR, ["--json"]).stdout).assumptions.noBias).toEqual({ met: true });
  });

  it("rows of 1e160 that are not centered are reported so (∞ ≤ ∞ said 'all met'); every number finite", () => {
    const j = JSON.parse(run("3.1", "x1,x2,y\n1e160,1,1\n1e160,1,1\n-1e160,-1,0\n", LINEAR, ["--json"]).stdout);
    expect(j.assumptions.centered.met).toBe(false);
    expect(j.assumptionsMet).toBe(false);
    const k = cliJson(["theorem", "3.1", "--data", write(tmp(), "d.csv", "x1,x2,y\n1e160,1,1\n-1e160,-1,0\n"), "--model", write(tmp(), "m.json", LINEAR), "--alpha", "1", "--json"]);
    expect(k.assumptions.centered.met).toBe(true);
    expect(typeof k.margin).toBe("number");
    // c_x = ‖(1e160, 1)‖/√2 and R = |cos(θ, x)| ≈ 0.8/‖θ‖: finite, not ∞ and 0
    expect(k.assumptions.cx.value / (1e160 / Math.SQRT2) - 1).toBeLessThan(1e-15);
    expect(k.R).toBeCloseTo(0.8 / Math.hypot(0.8, 0.3), 12);
  });

  it("a margin that is NaN (R2 overflows inside its sums for 1e160 first-layer weights) is no verdict: holds null", () => {
    const net = JSON.stringify({ kind: "relu2", W: [[1e160, 1e160], [-1e160, 2e160]], v: [1e-160, -2e-160] });
    const j = JSON.parse(run("3.2", DATA, net, ["--json"]).stdout);
    expect(j.margin).toBeNull();
    expect(j.holds).toBeNull();
    expect(j.holdsReason).toMatch(/margin is undefined/);
    expect(typeof j.marginReason).toBe("string");
    const t = run("3.2", DATA, net);
    expect(t.stdout).toMatch(/^ +margin +— +undefined$/m);
    expect(t.stdout).not.toMatch(/VIOLATED|\bholds\b/);
    // NaN only inside a reason ("R2 is NaN in float64 …"), never as a printed value
    expect(t.stdout.replace(/is NaN in float64/g, "")).not.toMatch(/NaN/);
  });

  const bad: Array<[string, string, string, string, string[], RegExp]> = [
    ["theorem 3.3", "3.3", DATA, LINEAR, [], /3\.3/],
    ["labels outside {0,1}", "3.1", DATA.replace("-1,-0.5,0", "-1,-0.5,0.5"), LINEAR, [], /row 2/],
    ["dimension mismatch", "3.1", DATA, JSON.stringify({ kind: "linear", theta: [1, 2, 3] }), [], /m\.json/],
    ["3.1 with a net", "3.1", DATA, RELU, [], /linear/],
    ["3.2 with a linear model", "3.2", DATA, LINEAR, [], /ReLU/],
    ["squared loss", "3.1", DATA, JSON.stringify({ kind: "linear", theta: [1, 1], loss: "squared" }), [], /logistic/],
    ["alpha 0", "3.1", DATA, LINEAR, ["--alpha", "0"], /--alpha/],
  ];
  for (const [name, which, data, model, extra, re] of bad) {
    it(`bad input: ${name} → one stderr line, exit 2`, () => {
      const r = run(which, data, model, extra);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(re);
    });
  }
});
