import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finiteOrReason } from "../../src/cli/json.js";
import { cli, cliJson, problemFiles } from "../helpers/cli.js";

// n = 12, d = 2, logistic labels; with the linear model below the scale study's slope is 3.79
// (local slopes 3.36, 3.78, 3.93 between s = 1, 0.5, 0.25, 0.125: O(s⁴), docs/theory.md §3.2).
const DATA = [
  "x1,x2,y",
  "1.2,-0.4,1",
  "-0.8,0.9,0",
  "0.3,1.1,1",
  "-0.7,-1.6,0",
  "0.5,0.2,1",
  "-1.1,0.3,0",
  "0.9,-1.2,1",
  "-0.2,0.7,0",
  "1.4,0.6,1",
  "-0.5,-0.9,1",
  "0.1,-0.3,0",
  "-1.3,1.0,0",
].join("\n") + "\n";
const LOGISTIC = JSON.stringify({ kind: "linear", theta: [1.0, -0.5], loss: "logistic" });
const SQUARED_DATA = "x1,x2,y\n1,0.5,0.3\n-1,2,1.5\n0.5,-1,-0.7\n0.2,0.1,0.4\n-0.6,-0.3,-1.1\n";
const SQUARED = JSON.stringify({ kind: "linear", theta: [0.7, -0.2], bias: 0.1, loss: "squared" });

function setup(data = DATA, model = LOGISTIC) {
  return problemFiles(data, model);
}

const json = cliJson;

/** Every null field of `o` has a string `<field>Reason` beside it. */
function nullsHaveReasons(o: Record<string, unknown>) {
  for (const [k, v] of Object.entries(o)) if (v === null) expect(typeof o[`${k}Reason`], `${k}Reason`).toBe("string");
}

const TAYLOR_FIELDS = ["m1", "m2", "R1", "R2", "R3", "approx", "remainder", "remainderError", "remainderOverR2"];

describe("loss --json: the taylor block", () => {
  it("has the Lemma 3.1 fields as numbers; approx = L_std + R1 + R2 + R3, remainder = L_mix − approx", () => {
    const f = setup();
    const o = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--json"]);
    const t = o.taylor;
    for (const k of TAYLOR_FIELDS) expect(typeof t[k], k).toBe("number");
    expect(t.approx).toBeCloseTo(o.standardLoss + t.R1 + t.R2 + t.R3, 14);
    expect(t.remainder).toBe(o.mixupLoss.value - t.approx);
    expect(t.remainderOverR2).toBe(t.remainder / t.R2);
    expect(t.R3).toBe(0); // linear model
    expect(t.R2).toBeGreaterThan(0);
    expect(Math.abs(t.remainder)).toBeGreaterThan(t.remainderError); // logistic: a real remainder
    expect(t.pairsNote).toBeUndefined();
  });

  it("squared loss with a linear model: the remainder is zero within its error bound", () => {
    const f = setup(SQUARED_DATA, SQUARED);
    const o = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.7", "--beta", "1.3", "--json"]);
    expect(Math.abs(o.taylor.remainder)).toBeLessThanOrEqual(o.taylor.remainderError);
    expect(o.taylor.remainderError).toBeLessThan(1e-9);
  });

  it("--pairs distinct: the remainder is the all-pairs one, with a pairsNote", () => {
    const f = setup();
    const base = ["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--json"];
    const all = json(base).taylor;
    const o = json([...base, "--pairs", "distinct"]);
    const t = o.taylor;
    expect(typeof t.pairsNote).toBe("string");
    expect(t.pairsNote).toMatch(/n² ordered pairs/);
    const n = o.n;
    expect(t.mixupLossAllPairs).toBeCloseTo(((n - 1) * o.mixupLoss.value + o.standardLoss) / n, 14);
    expect(Math.abs(t.remainder - all.remainder)).toBeLessThanOrEqual(t.remainderError + all.remainderError);
  });

  it("--method mc: remainder with remainderCi95 (the L_mix interval shifted by −approx) and a note", () => {
    const f = setup();
    const o = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--method", "mc", "--samples", "4000", "--json"]);
    const t = o.taylor;
    expect(t.remainderError).toBeUndefined();
    expect(typeof t.note).toBe("string");
    expect(t.remainder).toBe(o.mixupLoss.value - t.approx);
    expect(t.remainderCi95[0]).toBe(o.mixupLoss.ci95[0] - t.approx);
    expect(t.remainderCi95[1]).toBe(o.mixupLoss.ci95[1] - t.approx);
  });

  it("a constant model: R2 = 0, remainderOverR2 null with a reason", () => {
    // no bias: with bias 0.3 the pre-activation mean is off by an ulp and R2 comes out 1.3e-34, not 0
    const f = setup(DATA, JSON.stringify({ kind: "linear", theta: [0, 0], loss: "logistic" }));
    const t = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--json"]).taylor;
    expect(t.R2).toBe(0);
    expect(t.remainderOverR2).toBeNull();
    expect(t.remainderOverR2Reason).toMatch(/R2 = 0/);
    nullsHaveReasons(t);
  });

  it("huge first-layer weights: whatever overflows is null with a reason, never NaN in the JSON", () => {
    // f and ∇f are O(1) here, but 1e160-sized intermediate products of the terms overflow
    const model = JSON.stringify({ kind: "relu2", W: [[1e160, 1e160]], v: [1e-160], activation: "relu" });
    const f = setup("x1,x2,y\n0,0,1\n0.3,1,0\n-1,0.5,1\n", model);
    const t = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--json"]).taylor;
    nullsHaveReasons(t);
  });

  it("the table shows the Taylor terms and the remainder ± error", () => {
    const f = setup();
    const r = cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "1"]);
    expect(r.code).toBe(0);
    for (const re of [/m1 = /, /m2 = /, /\bR1\b/, /\bR2\b/, /\bR3\b/, /approx/, /remainder .* ± /]) expect(r.stdout).toMatch(re);
  });

  it("finiteOrReason: finite kept, non-finite and null → null with <field>Reason right after", () => {
    const o = finiteOrReason({ a: 1, b: NaN, c: null, d: -Infinity }, (k, x) => `${k}:${String(x)}`);
    expect(Object.keys(o)).toEqual(["a", "b", "bReason", "c", "cReason", "d", "dReason"]);
    expect(o).toEqual({ a: 1, b: null, bReason: "b:NaN", c: null, cReason: "c:null", d: null, dReason: "d:-Infinity" });
  });
});

describe("mixup-theory taylor", () => {
  it("--scale 1,0.5,0.25,0.125 on a linear logistic model: slope of log|remainder| in [3.5, 4.5]", () => {
    const f = setup();
    const o = json(["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1,0.5,0.25,0.125", "--json"]);
    expect(o).toMatchObject({ n: 12, d: 2, loss: "logistic", model: "linear", alpha: 1, beta: 1, variable: "scale", tol: 1e-13 });
    expect(o.rows.map((r: { s: number }) => r.s)).toEqual([1, 0.5, 0.25, 0.125]);
    for (const r of o.rows) {
      for (const k of ["mixupLoss", "approx", "remainder", "remainderError", "remainderOverR2", "R1", "R2", "R3", "m1", "m2", "standardLoss"]) {
        expect(typeof r[k], k).toBe("number");
      }
      expect(r.remainder).toBe(r.mixupLoss - r.approx);
      expect(Math.abs(r.remainder)).toBeGreaterThan(10 * r.remainderError);
    }
    expect(o.slope).toBeGreaterThanOrEqual(3.5);
    expect(o.slope).toBeLessThanOrEqual(4.5);
    expect(o.slopeReason).toBeUndefined();
  });

  it("without --scale: one row at s = 1 that matches loss --json, slope null with a reason", () => {
    const f = setup();
    const o = json(["taylor", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--json"]);
    expect(o.rows).toHaveLength(1);
    expect(o.rows[0].s).toBe(1);
    expect(o.slope).toBeNull();
    expect(typeof o.slopeReason).toBe("string");
    const l = json(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--tol", "1e-13", "--json"]);
    for (const k of ["R1", "R2", "R3", "approx", "remainder"]) expect(o.rows[0][k]).toBe(l.taylor[k]);
  });

  it("--alpha-grid: α = β per row, remainder/R2 near a constant as α → 0", () => {
    const f = setup();
    const o = json(["taylor", "--data", f.data, "--model", f.model, "--alpha-grid", "0.05,0.1,0.5,1", "--json"]);
    expect(o.variable).toBe("alpha");
    expect(o.alpha).toBeNull();
    expect(typeof o.alphaReason).toBe("string");
    expect(o.rows.map((r: { alpha: number }) => r.alpha)).toEqual([0.05, 0.1, 0.5, 1]);
    expect(typeof o.slope).toBe("number");
    const ratios = o.rows.map((r: { remainderOverR2: number }) => r.remainderOverR2);
    expect(ratios[0]).toBeGreaterThan(0.1); // does not vanish with α (docs/theory.md §3.2)
    expect(Math.abs(ratios[0] - ratios[1])).toBeLessThan(0.01);
  });

  it("squared loss + linear model: every remainder within its error, slope null with a reason", () => {
    const f = setup(SQUARED_DATA, SQUARED);
    const o = json(["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1,0.5", "--json"]);
    for (const r of o.rows) expect(Math.abs(r.remainder)).toBeLessThanOrEqual(r.remainderError);
    expect(o.slope).toBeNull();
    expect(o.slopeReason).toMatch(/error bound/);
  });

  it("--csv writes a header and one line per row, the same numbers as --json", () => {
    const f = setup();
    const csv = join(f.dir, "out", "scale.csv");
    const args = ["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1,0.5,0.25", "--json", "--csv", csv];
    const o = json(args);
    const lines = readFileSync(csv, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const head = lines[0].split(",");
    expect(head.slice(0, 4)).toEqual(["s", "mixupLoss", "approx", "remainder"]);
    for (let k = 0; k < 3; k++) {
      const cells = lines[k + 1].split(",");
      expect(cells).toHaveLength(head.length);
      head.forEach((h, c) => expect(Number(cells[c]), h).toBe(o.rows[k][h]));
    }
    expect(readdirSync(join(f.dir, "out"))).toEqual(["scale.csv"]); // no temporary file left
  });

  it("the table prints one line per s and the slope", () => {
    const f = setup();
    const r = cli(["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1,0.5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/remainder\/R2/);
    expect(r.stdout).toMatch(/slope of log\|remainder\| against log s: \d/);
  });

  it("same options give byte-identical JSON (and the same with 1 or 2 workers)", () => {
    const f = setup();
    const base = ["taylor", "--data", f.data, "--model", f.model, "--alpha", "0.4", "--scale", "1,0.5", "--json"];
    const a = cli(base);
    const b = cli(base);
    const c = cli([...base, "--workers", "2"]);
    const d = cli([...base, "--workers", "1"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(c.stdout).toBe(d.stdout);
    expect(a.stdout).toBe(c.stdout);
  });

  const bad: Array<[string, string[], RegExp]> = [
    ["--scale 0", ["--alpha", "1", "--scale", "0"], /^mixup-theory: --scale: /],
    ["--scale -1", ["--alpha", "1", "--scale", "1,-1"], /^mixup-theory: --scale: /],
    ["--scale abc", ["--alpha", "1", "--scale", "abc"], /^mixup-theory: --scale: /],
    ["--scale empty item", ["--alpha", "1", "--scale", "1,,2"], /^mixup-theory: --scale: /],
    ["--scale overflowing the data", ["--alpha", "1", "--scale", "1e308"], /--scale/],
    ["--alpha-grid 0", ["--alpha-grid", "0.5,0"], /^mixup-theory: --alpha-grid: /],
    ["--alpha missing", ["--scale", "1"], /^mixup-theory: --alpha: /],
    ["--alpha with --alpha-grid", ["--alpha", "1", "--alpha-grid", "1"], /^mixup-theory: --alpha: /],
    ["--beta with --alpha-grid", ["--beta", "1", "--alpha-grid", "1"], /^mixup-theory: --beta: /],
    ["--scale and --alpha-grid", ["--scale", "1", "--alpha-grid", "1"], /--scale, --alpha-grid/],
    ["--tol 1", ["--alpha", "1", "--tol", "1"], /^mixup-theory: --tol: /],
  ];
  for (const [name, extra, re] of bad) {
    it(`bad input: ${name} → one stderr line, exit 2, no CSV written`, () => {
      const f = setup();
      const csv = join(f.dir, "o.csv");
      const r = cli(["taylor", "--data", f.data, "--model", f.model, ...extra, "--json", "--csv", csv]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(csv)).toBe(false);
      expect(readdirSync(f.dir).sort()).toEqual(["d.csv", "m.json"]);
    });
  }

  it("bad input: a loss overflow at a scale names the file and the scale", () => {
    const f = setup("x1,x2,y\n1,2,1\n3,1,0\n", JSON.stringify({ kind: "linear", theta: [1, 1], loss: "poisson" }));
    const r = cli(["taylor", "--data", f.data, "--model", f.model, "--alpha", "1", "--scale", "1,500"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/d\.csv scaled by s = 500 \(--scale\): row 1: the poisson loss/);
  });
});
