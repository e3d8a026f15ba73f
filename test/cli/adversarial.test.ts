import { describe, expect, it } from "vitest";
import { cli, tmp, write } from "../helpers/cli.js";

const DATA = "x1,x2,y\n1,0.5,1\n-1,-0.5,0\n0.5,1,1\n-0.5,-1,0\n2,0.1,1\n-2,-0.1,0\n";
const LINEAR = JSON.stringify({ kind: "linear", theta: [0.8, 0.3] });
const RELU = JSON.stringify({ kind: "relu2", W: [[1, 0.2], [-0.3, 1], [0.5, -1]], v: [1, -0.5, 0.7] });

function loss(data: string, model: string, extra: string[] = []) {
  const dir = tmp();
  const r = cli(["loss", "--data", write(dir, "d.csv", data), "--model", write(dir, "m.json", model), "--alpha", "1", "--json", ...extra]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe("loss --json: the adversarial block (Section 3 at ε_mix)", () => {
  it("has the contract fields; for a linear model exact is L_adv in ℓ2 and the theorem's inequality holds", () => {
    const a = loss(DATA, LINEAR).adversarial;
    for (const k of ["R", "cx", "m1", "epsMix", "radius", "inTheta", "centered", "secondOrder", "exact", "regularizer", "tightestEps", "warnings"]) {
      expect(a).toHaveProperty(k);
    }
    expect(a.epsMix).toBeCloseTo(a.R * a.cx * a.m1, 15);
    expect(a.radius.l2).toBeCloseTo(a.epsMix * Math.SQRT2, 15);
    expect(a.inTheta).toEqual({ met: true, violating: 0, violatingRows: [] });
    expect(a.centered).toBe(true);
    expect(a.warnings).toEqual([]);
    expect(typeof a.exact).toBe("number");
    // every margin s_iθᵀx_i ≥ ε√d‖θ‖ here, so the second-order loss lies below the exact one (docs/theory.md §3.5)
    expect(a.secondOrder).toBeLessThanOrEqual(a.exact);
  });
  it("for a ReLU net: exact is null with a reason, PGD lower ≤ certified upper", () => {
    const a = loss(DATA, RELU).adversarial;
    expect(a.exact).toBeNull();
    expect(a.exactReason).toMatch(/two-layer/);
    expect(a.lower).toBeLessThanOrEqual(a.upper);
  });
  it("lists unmet assumptions: uncentered data, bias, wrong side", () => {
    const shifted = "x1,x2,y\n2,0.5,1\n0,-0.5,0\n1.5,1,1\n0.5,-1,0\n3,0.1,1\n-1,-0.1,1\n";
    const a = loss(shifted, JSON.stringify({ kind: "linear", theta: [0.8, 0.3], bias: [0.1] })).adversarial;
    const w = a.warnings.join(" | ");
    expect(w).toMatch(/not centered/);
    expect(w).toMatch(/without bias/);
    expect(w).toMatch(/wrong side/);
  });
  it("inTheta: the count of rows on the wrong side and the first 20 of them (1-based)", () => {
    // 3 rows on the correct side of θ = (0.8, 0.3), then 30 on the wrong side: sign(θᵀx) = sign(x1)
    const rows = Array.from({ length: 30 }, (_, k) => {
      const x1 = (k % 2 === 0 ? 1 : -1) * (1 + k / 10);
      return `${x1},0.1,${x1 > 0 ? 0 : 1}\n`;
    });
    const a = loss("x1,x2,y\n1,0.5,1\n-1,-0.5,0\n0.5,1,1\n" + rows.join(""), LINEAR).adversarial;
    expect(a.inTheta).toEqual({ met: false, violating: 30, violatingRows: Array.from({ length: 20 }, (_, k) => k + 4) });
    expect(a.warnings.join(" | ")).toContain("rows 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, … are on the wrong side (30 in all)");
  });
  it("softmax: the block is null with a reason", () => {
    const data = "x1,x2,y\n1,0.5,0\n-1,-0.5,1\n0.5,1,2\n";
    const j = loss(data, JSON.stringify({ kind: "linear", theta: [[1, 0], [0, 1], [-1, -1]], loss: "softmax" }));
    expect(j.adversarial).toBeNull();
    expect(j.adversarialReason).toMatch(/robust/);
  });
  it("the same seed gives the same bytes (PGD is seeded)", () => {
    const dir = tmp();
    const args = ["loss", "--data", write(dir, "d.csv", DATA), "--model", write(dir, "m.json", RELU), "--alpha", "1", "--json", "--seed", "4"];
    expect(cli(args).stdout).toBe(cli(args).stdout);
  });
});

describe("loss on rows near 1e305: no message about an option it does not have", () => {
  it("two rows ±(1e305, 1): exit 0; L_mix = Z/24 (Z = 1.2e305); ε_mix and its radius finite; no 'eps:' anywhere", () => {
    // θ = (1.2, −0.4): z = ±(1.2e305 − 0.4) = ±Z in float64, labels 1 and 0; for |z| this large
    // softplus(z) = max(z, 0), so the pair integrates to Z/12 and L_mix = (0 + 0 + 2·Z/12)/4 = Z/24
    const dir = tmp();
    const args = ["loss", "--data", write(dir, "d.csv", "x1,x2,y\n1e305,1,1\n-1e305,-1,0\n"), "--model", write(dir, "m.json", JSON.stringify({ kind: "linear", theta: [1.2, -0.4] })), "--alpha", "1", "--method", "pairs"];
    const r = cli([...args, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/eps:/);
    const o = JSON.parse(r.stdout);
    expect(Math.abs(o.mixupLoss.value / (1.2e305 / 24) - 1)).toBeLessThan(1e-9);
    const a = o.adversarial;
    expect(a.R).toBeCloseTo(1.2 / Math.hypot(1.2, 0.4), 14);
    expect(a.cx / (1e305 / Math.SQRT2) - 1).toBeLessThan(1e-15);
    expect(a.epsMix).toBeCloseTo(a.R * a.cx * a.m1, -290);
    expect(typeof a.radius.l2).toBe("number");
    expect(cli(args).stdout).not.toMatch(/eps:|NaN|Infinity/);
  });
  it("where ε_mix·√d itself overflows (d = 16, entries 1.7e308: ε_mix = 5.7e307, radius 2.3e308): the adversarial losses are null with a reason", () => {
    const dir = tmp();
    const head = Array.from({ length: 16 }, (_, k) => `x${k}`).join(",") + ",y";
    const row = (s: string, y: number) => Array.from({ length: 16 }, () => s).join(",") + `,${y}`;
    const theta = Array.from({ length: 16 }, () => 1e-300);
    const r = cli(["loss", "--data", write(dir, "d.csv", `${head}\n${row("1.7e308", 1)}\n${row("-1.7e308", 0)}\n`), "--model", write(dir, "m.json", JSON.stringify({ kind: "linear", theta })), "--alpha", "1", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout).adversarial;
    expect(typeof a.epsMix).toBe("number");
    expect(a.radius.l2).toBeNull();
    expect(a.exact).toBeNull();
    expect(a.exactReason).toMatch(/ℓ2 radius ε_mix·√d .* is beyond float64/);
  });
});
