import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { gaussianBlobs, linearTeacher, linspace, twoMoons, parseCsv, writeCsv } from "../../src/data/index.js";

describe("linspace (numpy)", () => {
  it("matches numpy.linspace endpoints and spacing", () => {
    expect([...linspace(0, 1, 5)]).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect([...linspace(0, Math.PI, 1)]).toEqual([0]);
    expect(linspace(0, Math.PI, 7)[6]).toBe(Math.PI);
    expect(linspace(0, 1, 0).length).toBe(0);
  });
});

describe("gaussianBlobs", () => {
  it("is deterministic in the seed and balanced", () => {
    const a = gaussianBlobs(new Rng(7), 101, 3, { separation: 4 });
    const b = gaussianBlobs(new Rng(7), 101, 3, { separation: 4 });
    const c = gaussianBlobs(new Rng(8), 101, 3, { separation: 4 });
    expect(a.X).toEqual(b.X);
    expect(a.X).not.toEqual(c.X);
    expect([a.n, a.d, a.K]).toEqual([101, 3, 1]);
    expect(a.names).toEqual(["x1", "x2", "x3"]);
    expect([...a.y].filter((v) => v === 1).length).toBe(50);
    expect([...a.y].every((v, i) => v === i % 2)).toBe(true);
  });

  it("puts the class means separation apart along (1,…,1)/√d", () => {
    const d = 4;
    const n = 20000;
    const ds = gaussianBlobs(new Rng(1), n, d, { separation: 3, std: 0.5 });
    const mean = [new Float64Array(d), new Float64Array(d)];
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[ds.y[i]][k] += ds.X[i * d + k] / (n / 2);
    for (let k = 0; k < d; k++) {
      expect(mean[1][k]).toBeCloseTo(1.5 / Math.sqrt(d), 1);
      expect(mean[0][k]).toBeCloseTo(-1.5 / Math.sqrt(d), 1);
    }
  });

  it("std 0 gives exactly the two means", () => {
    const ds = gaussianBlobs(new Rng(1), 4, 1, { separation: 2, std: 0 });
    expect([...ds.X]).toEqual([-1, 1, -1, 1]);
  });

  it("rejects bad arguments", () => {
    expect(() => gaussianBlobs(new Rng(1), 0, 2)).toThrow(RangeError);
    expect(() => gaussianBlobs(new Rng(1), 3, 1.5)).toThrow(RangeError);
    expect(() => gaussianBlobs(new Rng(1), 3, 2, { std: -1 })).toThrow(RangeError);
  });
});

describe("twoMoons (scikit-learn make_moons)", () => {
  it("without noise: outer (cos t, sin t), inner (1 − cos t, 1 − sin t − 0.5)", () => {
    const ds = twoMoons(new Rng(1), 5, 0);
    // n_out = 2: t = 0, π; n_in = 3: t = 0, π/2, π
    const want = [
      [Math.cos(0), Math.sin(0)],
      [Math.cos(Math.PI), Math.sin(Math.PI)],
      [1 - Math.cos(0), 1 - Math.sin(0) - 0.5],
      [1 - Math.cos(Math.PI / 2), 1 - Math.sin(Math.PI / 2) - 0.5],
      [1 - Math.cos(Math.PI), 1 - Math.sin(Math.PI) - 0.5],
    ];
    expect([...ds.X]).toEqual(want.flat());
    expect([...ds.y]).toEqual([0, 0, 1, 1, 1]);
    expect([ds.n, ds.d, ds.K]).toEqual([5, 2, 1]);
  });

  it("every noiseless point lies on its circle", () => {
    const ds = twoMoons(new Rng(1), 100, 0);
    for (let i = 0; i < 100; i++) {
      const [x, y] = [ds.X[2 * i], ds.X[2 * i + 1]];
      const r = ds.y[i] === 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
      expect(r).toBeCloseTo(1, 12);
      expect(ds.y[i] === 0 ? y >= -1e-15 : y <= 0.5 + 1e-15).toBe(true);
    }
  });

  it("noise is deterministic and has the requested scale; shuffle keeps the pairs", () => {
    const clean = twoMoons(new Rng(3), 4000, 0);
    const a = twoMoons(new Rng(3), 4000, 0.1);
    expect(a.X).toEqual(twoMoons(new Rng(3), 4000, 0.1).X);
    let ss = 0;
    for (let i = 0; i < a.X.length; i++) ss += (a.X[i] - clean.X[i]) ** 2;
    expect(Math.sqrt(ss / a.X.length)).toBeCloseTo(0.1, 2);
    const s = twoMoons(new Rng(3), 4000, 0.1, { shuffle: true });
    const key = (ds: typeof a) => Array.from({ length: ds.n }, (_, i) => `${ds.X[2 * i]},${ds.X[2 * i + 1]},${ds.y[i]}`).sort();
    expect(key(s)).toEqual(key(a));
    expect(s.X).not.toEqual(a.X);
  });
});

describe("linearTeacher", () => {
  const theta = [1, -2, 0.5];

  it("logistic: y = 1[θᵀx > 0]", () => {
    const ds = linearTeacher(new Rng(5), 500, 3, theta, "logistic");
    for (let i = 0; i < ds.n; i++) {
      const z = theta[0] * ds.X[3 * i] + theta[1] * ds.X[3 * i + 1] + theta[2] * ds.X[3 * i + 2];
      expect(ds.y[i]).toBe(z > 0 ? 1 : 0);
    }
  });

  it("poisson: y = round(exp(θᵀx)); squared: θᵀx + noise; same features for every family", () => {
    const t = [0.3, -0.2, 0.1];
    const p = linearTeacher(new Rng(5), 300, 3, t, "poisson");
    const q = linearTeacher(new Rng(5), 300, 3, t, "squared", { noise: 0 });
    const s = linearTeacher(new Rng(5), 300, 3, t, "squared", { noise: 0.5 });
    expect(p.X).toEqual(q.X);
    expect(s.X).toEqual(q.X);
    for (let i = 0; i < p.n; i++) {
      const z = t[0] * p.X[3 * i] + t[1] * p.X[3 * i + 1] + t[2] * p.X[3 * i + 2];
      expect(p.y[i]).toBe(Math.round(Math.exp(z)));
      expect(q.y[i]).toBe(z);
    }
    let ss = 0;
    for (let i = 0; i < s.n; i++) ss += (s.y[i] - q.y[i]) ** 2;
    expect(Math.sqrt(ss / s.n)).toBeGreaterThan(0.4);
    expect(Math.sqrt(ss / s.n)).toBeLessThan(0.6);
  });

  it("bias shifts the score", () => {
    const ds = linearTeacher(new Rng(2), 50, 1, [0], "logistic", { bias: 1 });
    expect([...ds.y].every((v) => v === 1)).toBe(true);
  });

  it("rejects a theta of the wrong length", () => {
    expect(() => linearTeacher(new Rng(1), 5, 3, [1, 2], "logistic")).toThrow(/theta has 2 entries, d = 3/);
  });

  it("generated data round-trips through CSV", () => {
    const ds = linearTeacher(new Rng(9), 40, 3, theta, "squared");
    const back = parseCsv(writeCsv(ds), "gen.csv", { labels: "auto" });
    expect(back.X).toEqual(ds.X);
    expect(back.y).toEqual(ds.y);
  });
});
