import { describe, expect, it } from "vitest";
import { cli, cliJson, expectOneLineError, problemFiles } from "../helpers/cli.js";

const DATA = "x1,x2,y\n1.2,-0.4,1\n-0.8,0.9,0\n0.3,1.1,1\n-0.7,-1.6,0\n0.5,0.2,1\n-1.1,0.3,0\n";
const LIN = JSON.stringify({ kind: "linear", theta: [1.2, -0.4], bias: 0.1, loss: "logistic" });
const RELU = JSON.stringify({ kind: "relu2", W: [[1, -1], [0.3, 0.8], [-0.5, 0.2]], b: [0.1, -0.2, 0], v: [1, -1.5, 0.7] });
const SQUARED_DATA = "x1,x2,y\n1,0.5,0.3\n-1,2,1.5\n0.5,-1,-0.7\n";
const SQUARED = JSON.stringify({ kind: "linear", theta: [0.7, -0.2], loss: "squared" });

function setup(data = DATA, model = LIN) {
  return problemFiles(data, model);
}

const json = cliJson;

const ROW_FIELDS = ["eps", "radius", "norm", "attack", "robustAccuracy", "robustLoss", "exactLoss"];

describe("mixup-theory robust", () => {
  it("--json: the contract fields; linear logistic FGSM ℓ∞ gives robustLoss = exactLoss ≤ certifiedUpper", () => {
    const f = setup();
    const o = json(["robust", "--data", f.data, "--model", f.model, "--eps", "0,0.05,0.5", "--attack", "fgsm", "--json"]);
    expect(o).toMatchObject({ n: 6, d: 2, loss: "logistic", model: "linear", attack: "fgsm", norm: "inf", seed: 0 });
    expect(typeof o.version).toBe("string");
    expect(o.rows).toHaveLength(3);
    for (const r of o.rows) {
      for (const k of ROW_FIELDS) expect(r, k).toHaveProperty(k);
      expect(r.radius).toBe(r.eps);
      expect(Math.abs(r.robustLoss - r.exactLoss)).toBeLessThan(1e-12);
      expect(r.certifiedUpper).toBeGreaterThanOrEqual(r.exactLoss);
    }
    expect(o.rows[0].robustAccuracy).toBe(1);
    expect(o.rows[2].robustAccuracy).toBeLessThan(1);
  });

  it("--norm 2 states the radius ε√d; nets: exactLoss null with a reason, robustLoss ≤ certifiedUpper", () => {
    const f = setup(DATA, RELU);
    const o = json(["robust", "--data", f.data, "--model", f.model, "--eps", "0.1,0.3", "--norm", "2", "--json"]);
    expect(o.attack).toBe("pgd");
    expect(o.steps).toBe(20);
    expect(o.restarts).toBe(1);
    expect(o.stepSize).toBeNull();
    expect(typeof o.stepSizeReason).toBe("string");
    for (const r of o.rows) {
      expect(r.radius).toBeCloseTo(r.eps * Math.SQRT2, 15);
      expect(r.norm).toBe("2");
      expect(r.stepSize).toBeCloseTo((2.5 * r.radius) / 20, 15);
      expect(r.exactLoss).toBeNull();
      expect(r.exactLossReason).toMatch(/two-layer/);
      expect(r.robustLoss).toBeLessThanOrEqual(r.certifiedUpper);
    }
  });

  it("the same seed gives byte-identical JSON, another seed other numbers; a row does not depend on the grid", () => {
    const f = setup(DATA, RELU);
    const base = ["robust", "--data", f.data, "--model", f.model, "--norm", "2", "--steps", "3", "--json"];
    const a = cli([...base, "--eps", "0,0.4", "--seed", "5"]);
    const b = cli([...base, "--eps", "0,0.4", "--seed", "5"]);
    const c = cli([...base, "--eps", "0,0.4", "--seed", "6"]);
    const d = cli([...base, "--eps", "0.4", "--seed", "5"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).rows[1].robustLoss).not.toBe(JSON.parse(c.stdout).rows[1].robustLoss);
    expect(JSON.parse(d.stdout).rows[0]).toEqual(JSON.parse(a.stdout).rows[1]);
  });

  it("squared loss: robustAccuracy null with a reason; the table names it", () => {
    const f = setup(SQUARED_DATA, SQUARED);
    const o = json(["robust", "--data", f.data, "--model", f.model, "--eps", "0.1", "--json"]);
    expect(o.rows[0].robustAccuracy).toBeNull();
    expect(o.rows[0].robustAccuracyReason).toMatch(/squared/);
    const t = cli(["robust", "--data", f.data, "--model", f.model, "--eps", "0.1"]);
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/certified upper/);
    expect(t.stdout).toMatch(/robust acc —: accuracy is undefined for the squared loss/);
  });

  it("a loss that overflows at the attacked points is null with a reason naming the row, not an error", () => {
    const f = setup("x,y\n1,1\n0,2\n", JSON.stringify({ kind: "linear", theta: [1], loss: "poisson" }));
    const o = json(["robust", "--data", f.data, "--model", f.model, "--eps", "0,800", "--attack", "fgsm", "--json"]);
    expect(typeof o.rows[0].robustLoss).toBe("number");
    for (const k of ["robustLoss", "exactLoss", "certifiedUpper"]) {
      expect(o.rows[1][k], k).toBeNull();
      expect(o.rows[1][`${k}Reason`]).toMatch(/row 1: the poisson loss is Infinity/);
    }
  });

  const bad: Array<[string, string[], RegExp, string?, string?]> = [
    ["negative ε", ["--eps", "0,-0.1"], /--eps: item 2 of "0,-0.1" is "-0.1", expected a finite number ≥ 0/],
    ["non-numeric ε", ["--eps", "0.1,abc"], /--eps: item 2/],
    ["empty ε item", ["--eps", "0.1,,0.2"], /--eps: item 2 .* is empty/],
    ["steps 0", ["--eps", "0.1", "--steps", "0"], /--steps: expected an integer ≥ 1, got "0"/],
    ["steps not an integer", ["--eps", "0.1", "--steps", "2.5"], /--steps/],
    ["step size 0", ["--eps", "0.1", "--step-size", "0"], /--step-size/],
    ["restarts 0", ["--eps", "0.1", "--restarts", "0"], /--restarts/],
    ["unknown attack", ["--eps", "0.1", "--attack", "cw"], /--attack: "cw" is not one of fgsm, pgd/],
    ["unknown norm", ["--eps", "0.1", "--norm", "1"], /--norm: "1" is not one of inf, 2/],
    ["steps with fgsm", ["--eps", "0.1", "--attack", "fgsm", "--steps", "3"], /--steps: not used with --attack fgsm/],
    ["huge ε", ["--eps", "1e308", "--norm", "2"], /--eps: ε = 1e\+308/],
    ["bad seed", ["--eps", "0.1", "--seed", "-1"], /--seed/],
    ["missing --eps", [], /--eps/],
    ["dimension mismatch", ["--eps", "0.1"], /m\.json: model expects d = 2 features, data has 1/, "x1,y\n1,1\n2,0\n"],
    ["missing data file", ["--eps", "0.1", "--data", "/nonexistent/x.csv"], /x\.csv/],
  ];
  for (const [name, extra, re, data] of bad) {
    it(`bad input: ${name} → one stderr line, exit 2`, () => {
      const f = setup(data ?? DATA);
      const args = ["robust", "--data", f.data, "--model", f.model, ...extra];
      expectOneLineError(cli(args), re);
    });
  }
});
