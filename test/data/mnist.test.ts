import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { largestRemainder, mnistDataset, mnistDigit, MNIST_PIXELS, namedDataset } from "../../src/data/index.js";
import type { Dataset } from "../../src/core/dataset.js";

/** Each image as a string key, to find it among a digit's images. */
function keys(X: Float64Array, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(Buffer.from(X.buffer, X.byteOffset + i * MNIST_PIXELS * 8, MNIST_PIXELS * 8).toString("base64"));
  return out;
}

const digitKeys = (c: number) => new Set(keys(mnistDigit(c), mnistDigit(c).length / MNIST_PIXELS));

function labelCounts(ds: Dataset): number[] {
  const K = ds.K === 1 ? 2 : ds.K;
  const c = new Array(K).fill(0);
  for (let i = 0; i < ds.n; i++) {
    if (ds.K === 1) c[ds.y[i]]++;
    else for (let k = 0; k < ds.K; k++) c[k] += ds.y[i * ds.K + k];
  }
  return c;
}

describe("largestRemainder", () => {
  it("sums to the total and is within 1 of the quota", () => {
    expect(largestRemainder(379, [1032, 863])).toEqual([206, 173]);
    expect(largestRemainder(10, [1, 1, 1])).toEqual([4, 3, 3]);
    const a = largestRemainder(1000, [5, 7, 11, 13]);
    expect(a.reduce((s, v) => s + v, 0)).toBe(1000);
    a.forEach((v, c) => expect(Math.abs(v - (1000 * [5, 7, 11, 13][c]) / 36)).toBeLessThan(1));
  });
});

describe("mnistDataset (binary 3 vs 5)", () => {
  const n3 = mnistDigit(3).length / MNIST_PIXELS;
  const n5 = mnistDigit(5).length / MNIST_PIXELS;
  const { train, test } = mnistDataset(new Rng(1), { digits: [3, 5] });

  it("counts: test ⌊N/5⌋, train the rest; class-stratified by largest remainders", () => {
    const N = n3 + n5;
    expect(n3).toBeGreaterThan(900);
    expect(test.n).toBe(Math.floor(N / 5));
    expect(train.n).toBe(N - test.n);
    expect([train.d, train.K, test.K]).toEqual([784, 1, 1]);
    const s = largestRemainder(test.n, [n3, n5]);
    expect(labelCounts(test)).toEqual(s);
    expect(labelCounts(train)).toEqual([n3 - s[0], n5 - s[1]]);
  });

  it("labels: 0 for a 3, 1 for a 5; every image used once; pixels in [0, 1]", () => {
    const k3 = digitKeys(3);
    const k5 = digitKeys(5);
    const seen = new Set<string>();
    for (const ds of [train, test]) {
      keys(ds.X, ds.n).forEach((k, i) => {
        expect((ds.y[i] === 0 ? k3 : k5).has(k)).toBe(true);
        seen.add(k);
      });
    }
    expect(seen.size).toBe(new Set([...k3, ...k5]).size);
    expect(train.X.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(train.X.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("same seed, same split; another seed, another split; order of the pair swaps the labels", () => {
    const again = mnistDataset(new Rng(1), { digits: [3, 5], nTrain: 100, nTest: 50 });
    const same = mnistDataset(new Rng(1), { digits: [3, 5], nTrain: 100, nTest: 50 });
    const other = mnistDataset(new Rng(2), { digits: [3, 5], nTrain: 100, nTest: 50 });
    expect(same.train.X).toEqual(again.train.X);
    expect(same.test.y).toEqual(again.test.y);
    expect(other.train.X).not.toEqual(again.train.X);
    const total = largestRemainder(150, [n3, n5]);
    const t = largestRemainder(50, total);
    expect(labelCounts(again.train)).toEqual([total[0] - t[0], total[1] - t[1]]);
    const swapped = mnistDataset(new Rng(1), { digits: [5, 3], nTrain: 20, nTest: 0 });
    const k5 = digitKeys(5);
    keys(swapped.train.X, 20).forEach((k, i) => expect(k5.has(k)).toBe(swapped.train.y[i] === 0));
    expect(swapped.test.n).toBe(0);
  });
});

describe("mnistDataset (all ten digits, softmax)", () => {
  it("one-hot K = 10 labels, stratified counts, the label matches the digit", () => {
    const sizes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((c) => mnistDigit(c).length / MNIST_PIXELS);
    const { train, test } = mnistDataset(new Rng(3), { digits: "all", nTrain: 500, nTest: 100 });
    expect([train.n, test.n, train.K, test.K]).toEqual([500, 100, 10, 10]);
    const total = largestRemainder(600, sizes);
    const t = largestRemainder(100, total);
    expect(labelCounts(test)).toEqual(t);
    expect(labelCounts(train)).toEqual(total.map((v, c) => v - t[c]));
    const k7 = digitKeys(7);
    keys(train.X, train.n).forEach((k, i) => {
      let s = 0;
      for (let c = 0; c < 10; c++) s += train.y[i * 10 + c];
      expect(s).toBe(1);
      expect(k7.has(k)).toBe(train.y[i * 10 + 7] === 1);
    });
  });

  it("namedDataset mnist --standardize: border pixels constant and left at 0, the others mean 0 and sd 1", () => {
    const r = namedDataset("mnist", { digits: [3, 5], n: 300, nTest: 50, standardize: true }, new Rng(4));
    expect(r.meta.params).toEqual({ n: 300, nTest: 50, digits: [3, 5] });
    const pre = r.meta.preprocessing;
    expect(pre.center && pre.standardize).toBe(true);
    expect(pre.constantFeatures).toBeGreaterThan(0);
    let constant = 0;
    for (let k = 0; k < 784; k++) {
      let m = 0;
      let s = 0;
      let allZero = true;
      for (let i = 0; i < 300; i++) {
        const v = r.train.X[i * 784 + k];
        m += v / 300;
        if (v !== 0) allZero = false;
      }
      for (let i = 0; i < 300; i++) s += (r.train.X[i * 784 + k] - m) ** 2 / 300;
      if (allZero) constant++;
      else {
        expect(Math.abs(m)).toBeLessThan(1e-12);
        expect(Math.sqrt(s)).toBeCloseTo(1, 10);
      }
    }
    expect(constant).toBe(pre.constantFeatures);
  });
});
