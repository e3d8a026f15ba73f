import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, expectOneLineError, tmp, write } from "../helpers/cli.js";
import { npyBytes } from "../helpers/npy.js";

// the same numbers as a CSV and as .npy files
const X = [1, 0.5, -1, -0.5, 0.5, 1, -0.5, -1, 2, 0.1, -2, -0.1];
const Y = [1, 0, 1, 0, 1, 0];
const CSV = "x1,x2,y\n" + Y.map((y, i) => `${X[2 * i]},${X[2 * i + 1]},${y}`).join("\n") + "\n";
const LINEAR = JSON.stringify({ kind: "linear", theta: [0.8, 0.3] });
const SOFTMAX = JSON.stringify({ kind: "linear", theta: [[0.5, -0.2], [0.1, 0.4], [-0.3, 0.2]], loss: "softmax" });

function setup(model = LINEAR) {
  const dir = tmp();
  const npy = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  return {
    dir,
    csv: write(dir, "d.csv", CSV),
    X: npy("X.npy", npyBytes(Float64Array.from(X), [6, 2])),
    y: npy("y.npy", npyBytes(new BigInt64Array(Y.map(BigInt)), [6], "<i8")),
    model: write(dir, "m.json", model),
    npy,
  };
}

const oneLineError = expectOneLineError;

describe("--data FILE.npy --labels FILE.npy", () => {
  it("loss, taylor, theorem and robust give the same JSON as from the CSV with the same numbers", () => {
    const f = setup();
    const cases: string[][] = [
      ["loss", "--alpha", "0.5", "--json"],
      ["taylor", "--alpha", "1", "--scale", "1,0.5", "--json"],
      ["theorem", "3.1", "--alpha", "1", "--json"],
      ["robust", "--eps", "0,0.1", "--attack", "fgsm", "--json"],
    ];
    for (const args of cases) {
      const fromCsv = cli([...args, "--data", f.csv, "--model", f.model]);
      const fromNpy = cli([...args, "--data", f.X, "--labels", f.y, "--model", f.model]);
      expect(fromCsv.code, args[0]).toBe(0);
      expect(fromNpy.stderr, args[0]).toBe("");
      expect(fromNpy.code, args[0]).toBe(0);
      expect(fromNpy.stdout, args[0]).toBe(fromCsv.stdout);
    }
  });

  it("softmax: int64 class indices and n×K soft labels", () => {
    const f = setup(SOFTMAX);
    const idx = f.npy("c.npy", npyBytes(new BigInt64Array([0n, 1n, 2n, 0n, 1n, 2n]), [6], "<i8"));
    const oneHot = [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1];
    const soft = f.npy("s.npy", npyBytes(Float64Array.from(oneHot), [6, 3]));
    const a = cli(["loss", "--data", f.X, "--labels", idx, "--model", f.model, "--alpha", "1", "--json"]);
    const b = cli(["loss", "--data", f.X, "--labels", soft, "--model", f.model, "--alpha", "1", "--json"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(JSON.parse(a.stdout).K).toBe(3);
  });

  it("bad input: one line on stderr naming the file (and row or option), exit 2", () => {
    const f = setup();
    const base = (data: string, labels?: string) => [
      "loss",
      "--data",
      data,
      ...(labels ? ["--labels", labels] : []),
      "--model",
      f.model,
      "--alpha",
      "1",
    ];
    const nan = Float64Array.from(X);
    nan[7] = NaN;
    const cases: Array<[string, string[], RegExp]> = [
      ["npy without --labels", base(f.X), /^mixup-theory: --labels: required with an \.npy --data \(.*X\.npy\)/],
      ["--labels with a CSV", base(f.csv, f.y), /^mixup-theory: --labels: only with an \.npy --data; .*d\.csv is read as a CSV/],
      ["int64 features", base(f.npy("i.npy", npyBytes(new BigInt64Array(12), [6, 2], "<i8")), f.y), /i\.npy: dtype '<i8' is not supported/],
      ["Fortran order", base(f.npy("F.npy", npyBytes(Float64Array.from(X), [6, 2], "<f8", { fortran: true })), f.y), /F\.npy: Fortran-ordered/],
      ["1-D features", base(f.npy("v.npy", npyBytes(Float64Array.from(X), [12])), f.y), /v\.npy: shape \(12,\) is not 2-D/],
      ["truncated", base(f.npy("t.npy", npyBytes(Float64Array.from(X), [6, 2]).subarray(0, 150)), f.y), /t\.npy: truncated \.npy file/],
      ["NaN in the data", base(f.npy("n.npy", npyBytes(nan, [6, 2])), f.y), /n\.npy: row 4, column 2: value NaN is not finite/],
      ["shape mismatch", base(f.X, f.npy("y5.npy", npyBytes(Float64Array.from([1, 0, 1, 0, 1]), [5]))), /y5\.npy: 5 rows of labels \(shape \(5,\)\), .*X\.npy has n = 6 rows/],
      ["label outside the loss's domain", base(f.X, f.npy("y2.npy", npyBytes(Float64Array.from([1, 0, 2, 0, 1, 0]), [6]))), /y2\.npy row 3: label 2 .* logistic/],
      ["not an .npy file", base(f.npy("fake.npy", new TextEncoder().encode(CSV)), f.y), /fake\.npy: not a \.npy file/],
      ["missing .npy", base(join(f.dir, "none.npy"), f.y), /none\.npy: cannot read file \(ENOENT\)/],
      ["missing labels file", base(f.X, join(f.dir, "none.npy")), /none\.npy: cannot read file \(ENOENT\)/],
      ["d does not match the model", base(f.npy("d3.npy", npyBytes(new Float64Array(18), [6, 3])), f.y), /m\.json/],
    ];
    for (const [name, args, re] of cases) {
      const r = cli(args);
      expect(r.stderr, name).toMatch(re);
      oneLineError(r, re);
    }
  });

  it("theorem names the labels file for labels outside {0, 1}", () => {
    const f = setup();
    const half = f.npy("h.npy", npyBytes(Float64Array.from([1, 0, 0.5, 0, 1, 0]), [6]));
    const r = cli(["theorem", "3.1", "--data", f.X, "--labels", half, "--model", f.model, "--alpha", "1"]);
    oneLineError(r, /h\.npy: row 3: label 0\.5 is not in \{0, 1\}/);
  });

  it("--quiet is accepted by loss, taylor, robust and verify; without a terminal nothing goes to stderr", () => {
    const f = setup();
    const runs = [
      cli(["loss", "--data", f.csv, "--model", f.model, "--alpha", "1", "--quiet"]),
      cli(["loss", "--data", f.csv, "--model", f.model, "--alpha", "1"]),
      cli(["taylor", "--data", f.csv, "--model", f.model, "--alpha", "1", "--quiet"]),
      cli(["robust", "--data", f.csv, "--model", f.model, "--eps", "0.1", "--quiet"]),
      cli(["verify", "--quick", "--only", "limit-alpha-zero", "--out", join(f.dir, "out"), "--quiet"]),
    ];
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
    }
  });
});
