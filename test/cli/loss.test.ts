import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectOneLineError, problemFiles, tmp } from "../helpers/cli.js";

const DATA = "x1,x2,y\n1.2,-0.4,1\n-0.8,0.9,0\n0.3,1.1,1\n-0.7,-1.6,0\n";
const MODEL = JSON.stringify({ kind: "linear", theta: [1.5, 0.5], loss: "logistic" });

function setup(data = DATA, model = MODEL) {
  return problemFiles(data, model);
}

describe("mixup-theory loss", () => {
  it("--json prints the contract fields, finite numbers, and the two forms agree", () => {
    const f = setup();
    const r = cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    for (const k of ["version", "n", "d", "alpha", "beta", "loss", "seed", "tol", "standardLoss", "rewriteLoss"]) expect(o).toHaveProperty(k);
    expect(o).toMatchObject({ n: 4, d: 2, alpha: 0.5, beta: 0.5, loss: "logistic", seed: 0, tol: 1e-10 });
    // auto: the O(n) path of a linear logistic model (issue 6)
    expect(o.mixupLoss.method).toBe("exact-convolution");
    expect(o.rewrite.method).toBe("exact-convolution");
    for (const k of ["value", "errorEstimate", "nodes"]) expect(typeof o.mixupLoss[k]).toBe("number");
    expect(Math.abs(o.rewriteLoss - o.mixupLoss.value)).toBeLessThanOrEqual(o.mixupLoss.errorEstimate + o.rewrite.errorEstimate);
    expect(r.stdout).not.toMatch(/NaN|Infinity/);
  });

  it("--method pairs | convolution | closed-form: the method named in mixupLoss.method, values within the error estimates", () => {
    const f = setup();
    const run = (m: string, file = f) =>
      JSON.parse(cli(["loss", "--data", file.data, "--model", file.model, "--alpha", "0.5", "--beta", "2", "--method", m, "--json"]).stdout);
    const p = run("pairs");
    const c = run("convolution");
    expect(p.mixupLoss.method).toBe("exact-pairs");
    expect(c.mixupLoss.method).toBe("exact-convolution");
    expect(Math.abs(p.mixupLoss.value - c.mixupLoss.value)).toBeLessThanOrEqual(p.mixupLoss.errorEstimate + c.mixupLoss.errorEstimate);
    const sq = setup("x,y\n1,0.5\n-1,2\n0.5,-1\n", JSON.stringify({ kind: "linear", theta: [0.7], bias: [0.2], loss: "squared" }));
    const a = run("auto", sq);
    const cf = run("closed-form", sq);
    const sp = run("pairs", sq);
    expect(a.mixupLoss.method).toBe("exact-closed-form");
    expect(cf.mixupLoss.value).toBe(a.mixupLoss.value);
    expect(Math.abs(cf.mixupLoss.value - sp.mixupLoss.value)).toBeLessThanOrEqual(cf.mixupLoss.errorEstimate + sp.mixupLoss.errorEstimate);
  });

  it("--grad: the gradient block (same gradient by pairs and by the convolution within the estimates; mc: null with a reason)", () => {
    const f = setup();
    const run = (m: string, extra: string[] = []) =>
      cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--method", m, "--grad", ...extra]);
    const p = JSON.parse(run("pairs", ["--json"]).stdout).gradient;
    const c = JSON.parse(run("convolution", ["--json"]).stdout).gradient;
    expect(p.method).toBe("exact-pairs");
    expect(c.method).toBe("exact-convolution");
    expect(p.parameterOrder).toBe("theta (1×2 row-major)");
    expect(p.grad).toHaveLength(2);
    for (let q = 0; q < 2; q++) expect(Math.abs(p.grad[q] - c.grad[q])).toBeLessThanOrEqual(p.gradErrorEstimate + c.gradErrorEstimate);
    const mc = JSON.parse(run("mc", ["--json", "--samples", "100"]).stdout);
    expect(mc.gradient).toBeNull();
    expect(mc.gradientReason).toMatch(/mc has no gradient/);
    expect(run("auto").stdout).toMatch(/∇θ Mixup loss +max \|∂L\/∂θ\| = .* \(exact-convolution, 2 parameters/);
    // without --grad there is no block
    expect(JSON.parse(cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--json"]).stdout)).not.toHaveProperty("gradient");
  });

  it("--method mc gives {value, method, ci95, samples}, reproducible from --seed", () => {
    const f = setup();
    const args = ["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--method", "mc", "--samples", "5000", "--json"];
    const a = cli([...args, "--seed", "3"]);
    const b = cli([...args, "--seed", "3"]);
    const c = cli([...args, "--seed", "4"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    const o = JSON.parse(a.stdout);
    expect(o.mixupLoss.method).toBe("monte-carlo");
    expect(o.mixupLoss.samples).toBe(5000);
    expect(o.mixupLoss.ci95[0]).toBeLessThan(o.mixupLoss.value);
    expect(o.mixupLoss.ci95[1]).toBeGreaterThan(o.mixupLoss.value);
  });

  it("the same bytes with 1 and 2 worker threads", () => {
    const rows = ["x1,x2,x3,y"];
    let s = 1;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < 300; i++) rows.push(`${rnd().toFixed(4)},${rnd().toFixed(4)},${rnd().toFixed(4)},${i % 2}`);
    const model = JSON.stringify({ kind: "relu2", W: [[1, -1, 0.5], [0.3, 0.8, -1.2], [-0.5, 0.2, 0.9]], b: [0.1, -0.2, 0], v: [1, -1.5, 0.7] });
    const f = setup(rows.join("\n") + "\n", model);
    const base = ["loss", "--data", f.data, "--model", f.model, "--alpha", "0.4", "--json"];
    const one = cli([...base, "--workers", "1"]);
    const two = cli([...base, "--workers", "2"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(two.stdout);
  });

  it("table output names the squared loss's form", () => {
    const f = setup("x,y\n1,0.5\n-1,2\n0.5,-1\n", JSON.stringify({ kind: "linear", theta: [0.7], loss: "squared" }));
    const r = cli(["loss", "--data", f.data, "--model", f.model, "--alpha", "2"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/MSE less a label-only term/);
    expect(r.stdout).toMatch(/Mixup loss/);
  });

  it("a model JSON with a UTF-8 byte order mark is read like the same file without it (as a CSV with one is)", () => {
    const plain = setup();
    const bom = setup(DATA, "\uFEFF" + MODEL);
    const args = (f: { data: string; model: string }) => ["loss", "--data", f.data, "--model", f.model, "--alpha", "0.5", "--json"];
    const a = cli(args(plain));
    const b = cli(args(bom));
    expect(b.stderr).toBe("");
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  const bad: Array<[string, string, string, string[], RegExp]> = [
    ["missing data file", DATA, MODEL, ["--data", "/nonexistent/x.csv"], /x\.csv/],
    ["ragged CSV", "x1,x2,y\n1,2,1\n3,1\n", MODEL, [], /row 2/],
    ["NaN in data", "x1,x2,y\n1,2,1\nNaN,1,0\n", MODEL, [], /row 2/],
    ["Inf in data", "x1,x2,y\n1,2,1\n1,inf,0\n", MODEL, [], /row 2/],
    ["missing label column", "x1,x2,label\n1,2,1\n", MODEL, [], /"y"/],
    ["label outside [0,1] for logistic", "x1,x2,y\n1,2,1\n1,1,2\n", MODEL, [], /row 2/],
    ["negative Poisson label", "x1,x2,y\n1,2,1\n1,1,-1\n", JSON.stringify({ kind: "linear", theta: [1, 1], loss: "poisson" }), [], /row 2/],
    ["dimension mismatch", "x1,y\n1,1\n2,0\n", MODEL, [], /d = 2/],
    ["empty data", "x1,x2,y\n", MODEL, [], /no data rows/],
    ["alpha 0", DATA, MODEL, ["--alpha", "0"], /--alpha/],
    ["beta negative", DATA, MODEL, ["--beta", "-1"], /--beta/],
    ["alpha not a number", DATA, MODEL, ["--alpha", "abc"], /--alpha/],
    ["unknown method", DATA, MODEL, ["--method", "magic"], /--method/],
    ["unknown pairs", DATA, MODEL, ["--pairs", "some"], /--pairs/],
    ["convolution for a ReLU net", DATA, JSON.stringify({ kind: "relu2", W: [[1, 0], [0, 1]], v: [1, -1] }), ["--method", "convolution"], /--method convolution/],
    ["closed-form for the logistic loss", DATA, MODEL, ["--method", "closed-form"], /--method closed-form/],
    ["bad model JSON", DATA, "{ not json", [], /m\.json/],
    ["unknown model field", DATA, JSON.stringify({ kind: "linear", theta: [1, 1], bais: 1 }), [], /bais/],
    ["Poisson overflow", "x,y\n800,1\n1,1\n", JSON.stringify({ kind: "linear", theta: [1], loss: "poisson" }), [], /d\.csv: row 1/],
  ];
  for (const [name, data, model, extra, re] of bad) {
    it(`bad input: ${name} → one line on stderr, exit 2, no stack`, () => {
      const f = setup(data, model);
      const args = ["loss", "--data", f.data, "--model", f.model, "--alpha", "1", "--json"];
      for (let k = 0; k < extra.length; k += 2) {
        const at = args.indexOf(extra[k]);
        if (at >= 0) args[at + 1] = extra[k + 1];
        else args.push(extra[k], extra[k + 1]);
      }
      expectOneLineError(cli(args), re);
    });
  }
});

describe("mixup-theory verify", () => {
  it("--only runs one check, writes report.md and report.json, and the same seed gives the same bytes", () => {
    const d1 = tmp();
    const d2 = tmp();
    const a = cli(["verify", "--quick", "--only", "limit-alpha-zero", "--json", "--out", d1]);
    const b = cli(["verify", "--quick", "--only", "limit-alpha-zero", "--json", "--out", d2]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(existsSync(join(d1, "report.md"))).toBe(true);
    const o = JSON.parse(a.stdout);
    expect(o.checks).toHaveLength(1);
    expect(o.checks[0].status).toBe("PASS");
    expect(o.checks[0].control.caught).toBe(true);
  });
  it("an unknown check id is bad input: exit 2 and no report written", () => {
    const d = tmp();
    const r = cli(["verify", "--only", "no-such-check", "--out", join(d, "o")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-check/);
    expect(readdirSync(d)).toHaveLength(0);
  });
});
