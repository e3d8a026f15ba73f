import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/core/errors.js";
import { checkModelData, modelToJSON, parseModel, predict } from "../../src/models/index.js";
import type { Model } from "../../src/models/types.js";

const W = "model.json";

/** The InputError message parseModel throws for json (fails the test if it does not throw one). */
function err(json: unknown): string {
  try {
    parseModel(json, W);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).where).toBe(W);
    const msg = (e as Error).message;
    expect(msg.includes("\n")).toBe(false);
    return msg;
  }
  throw new Error(`parseModel accepted ${JSON.stringify(json)}`);
}

describe("parseModel: valid input", () => {
  it("linear, K = 1, defaults", () => {
    const m = parseModel({ kind: "linear", theta: [1, -2, 0.5] }, W);
    expect(m).toEqual({ kind: "linear", loss: "logistic", d: 3, K: 1, theta: Float64Array.of(1, -2, 0.5), bias: null });
    const mb = parseModel({ kind: "linear", theta: [1, 2], bias: 3, loss: "squared" }, W);
    expect(mb.loss).toBe("squared");
    expect(predict(mb, Float64Array.of(1, 1), 1)[0]).toBe(6);
    // one-row matrix and one-element bias array are K = 1 too
    const mm = parseModel({ kind: "linear", theta: [[1, 2]], bias: [3], loss: "poisson" }, W);
    expect([mm.K, mm.d]).toEqual([1, 2]);
  });

  it("linear softmax, K×d", () => {
    const m = parseModel({ kind: "linear", theta: [[1, 0], [0, 1], [1, 1]], bias: [0, 0, 1], loss: "softmax" }, W);
    expect([m.K, m.d]).toEqual([3, 2]);
    expect(Array.from(predict(m, Float64Array.of(2, 3), 1))).toEqual([2, 3, 6]);
  });

  it("relu2 with v, b, c and activation", () => {
    const m = parseModel({ kind: "relu2", W: [[1, 0], [0, 1], [1, 1]], b: [0, -1, 0], v: [1, -2, 0.5], c: 3 }, W);
    expect(m.kind).toBe("relu2");
    if (m.kind !== "relu2") return;
    expect([m.d, m.m, m.K, m.activation, m.loss]).toEqual([2, 3, 1, "relu", "logistic"]);
    expect(predict(m, Float64Array.of(2, 0.5), 1)[0]).toBe(6.25);
    const s = parseModel({ kind: "relu2", W: [[1]], V: [[1], [2]], c: [0, 1], activation: "tanh", loss: "softmax" }, W);
    expect(s.kind === "relu2" && [s.K, s.m, s.activation]).toEqual([2, 1, "tanh"]);
  });
});

describe("parseModel: one-line errors naming the field", () => {
  it("top level and kind", () => {
    expect(err(null)).toBe("model.json: the model must be a JSON object, got null");
    expect(err([1])).toMatch(/must be a JSON object, got an array/);
    expect(err({ theta: [1] })).toMatch(/missing "kind"/);
    expect(err({ kind: "mlp", W: [[1]] })).toBe('model.json: unknown kind "mlp" (expected "linear" or "relu2")');
  });

  it("unknown fields are named (typos)", () => {
    expect(err({ kind: "linear", theta: [1], bais: 1 })).toBe(
      'model.json: unknown field "bais" for kind "linear" (allowed: kind, theta, bias, loss, training)',
    );
    expect(err({ kind: "relu2", W: [[1]], v: [1], w: [1], activaton: "tanh" })).toMatch(/unknown fields "w", "activaton" for kind "relu2"/);
    // a field of the other kind is unknown here
    expect(err({ kind: "linear", theta: [1], W: [[1]] })).toMatch(/unknown field "W"/);
  });

  it("missing weights", () => {
    expect(err({ kind: "linear" })).toMatch(/missing "theta"/);
    expect(err({ kind: "relu2", v: [1] })).toMatch(/missing "W"/);
    expect(err({ kind: "relu2", W: [[1]] })).toMatch(/missing "v"/);
    expect(err({ kind: "relu2", W: [[1]], v: [1], V: [[1]] })).toMatch(/"v" \(K = 1\) or "V" \(K×m\), not both/);
  });

  it("shapes: ragged rows, empty arrays, wrong lengths", () => {
    expect(err({ kind: "relu2", W: [[1, 2], [3]], v: [1, 1] })).toBe(
      'model.json: "W" row 2 has 1 values, row 1 has 2 (ragged rows)',
    );
    expect(err({ kind: "linear", theta: [[1, 2], [3, 4, 5]], loss: "softmax" })).toMatch(/"theta" row 2 has 3 values/);
    expect(err({ kind: "linear", theta: [] })).toMatch(/"theta" is empty/);
    expect(err({ kind: "relu2", W: [[]], v: [1] })).toMatch(/"W" row 1 is empty/);
    expect(err({ kind: "relu2", W: [1, 2], v: [1] })).toMatch(/"W" must be a non-empty array of rows/);
    expect(err({ kind: "relu2", W: [[1], [2]], b: [0], v: [1, 1] })).toBe(
      'model.json: "b" has 1 values, expected m = 2 (one per row of "W")',
    );
    expect(err({ kind: "relu2", W: [[1], [2]], v: [1, 1, 1] })).toMatch(/"v" has 3 values, expected m = 2/);
    expect(err({ kind: "relu2", W: [[1], [2]], V: [[1], [1]], loss: "softmax" })).toMatch(/"V" rows have 1 values, expected m = 2/);
    expect(err({ kind: "relu2", W: [[1]], V: [[1], [2]], c: [0], loss: "softmax" })).toMatch(/"c" has 1 value, expected K = 2/);
    expect(err({ kind: "relu2", W: [[1]], V: [[1], [2]], c: 1, loss: "softmax" })).toMatch(/"c" is a single number, expected 2 values/);
    expect(err({ kind: "linear", theta: [[1], [2]], bias: [1, 2, 3], loss: "softmax" })).toMatch(/"bias" has 3 values, expected K = 2/);
  });

  it("non-finite or non-numeric entries", () => {
    expect(err({ kind: "linear", theta: [1, NaN] })).toBe('model.json: "theta" entry 2 is not a finite number (got NaN)');
    expect(err({ kind: "linear", theta: [1, "2"] })).toMatch(/"theta" entry 2 is not a finite number \(got "2"\)/);
    expect(err({ kind: "relu2", W: [[1, Infinity]], v: [1] })).toMatch(/"W" row 1, entry 2 is not a finite number \(got Infinity\)/);
    expect(err({ kind: "linear", theta: [1], bias: null })).toMatch(/"bias" must be an array of numbers, got null/);
    expect(err({ kind: "relu2", W: [[1]], v: [1], c: -Infinity })).toMatch(/"c" is not a finite number/);
  });

  it("loss, activation and K", () => {
    expect(err({ kind: "linear", theta: [1], loss: "hinge" })).toBe(
      'model.json: unknown loss "hinge" (expected one of logistic, squared, poisson, softmax)',
    );
    expect(err({ kind: "relu2", W: [[1]], v: [1], activation: "sigmoid" })).toMatch(
      /unknown activation "sigmoid" \(expected one of relu, softplus, tanh\)/,
    );
    expect(err({ kind: "linear", theta: [1, 2], loss: "softmax" })).toMatch(/the softmax loss needs K ≥ 2 outputs, "theta" has 1 row$/);
    expect(err({ kind: "relu2", W: [[1]], v: [1], loss: "softmax" })).toMatch(/softmax loss needs K ≥ 2 outputs, "v" gives 1 output/);
    expect(err({ kind: "linear", theta: [[1], [2]] })).toMatch(/the logistic loss needs one output, "theta" has 2 rows/);
    expect(err({ kind: "relu2", W: [[1]], V: [[1], [2]], loss: "poisson" })).toMatch(/the poisson loss needs one output, "V" has 2 rows/);
  });
});

describe("checkModelData", () => {
  it("names both dimensions", () => {
    const m = parseModel({ kind: "linear", theta: [1, 2, 3] }, W);
    expect(() => checkModelData(m, 3, "data.csv")).not.toThrow();
    expect(() => checkModelData(m, 2, "data.csv")).toThrow("data.csv: model expects d = 3 features, data has 2");
    expect(() => checkModelData(m, 2, "data.csv")).toThrow(InputError);
  });
});

describe("modelToJSON round trip (fast-check)", () => {
  const num = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const vec = (len: number) => fc.array(num, { minLength: len, maxLength: len });
  const mat = (r: number, c: number) => fc.array(vec(c), { minLength: r, maxLength: r });
  const scalarLoss = fc.constantFrom("logistic", "squared", "poisson");

  const linearJSON = fc
    .record({ K: fc.integer({ min: 1, max: 4 }), d: fc.integer({ min: 1, max: 5 }), hasBias: fc.boolean() })
    .chain(({ K, d, hasBias }) => {
      const spec: Record<string, fc.Arbitrary<unknown>> = {
        kind: fc.constant("linear"),
        theta: K === 1 ? vec(d) : mat(K, d),
        loss: K === 1 ? scalarLoss : fc.constant("softmax"),
      };
      if (hasBias) spec.bias = K === 1 ? num : vec(K);
      return fc.record(spec);
    });
  const relu2JSON = fc
    .record({
      K: fc.integer({ min: 1, max: 3 }),
      d: fc.integer({ min: 1, max: 4 }),
      m: fc.integer({ min: 1, max: 5 }),
      hasB: fc.boolean(),
      hasC: fc.boolean(),
    })
    .chain(({ K, d, m, hasB, hasC }) => {
      const spec: Record<string, fc.Arbitrary<unknown>> = {
        kind: fc.constant("relu2"),
        W: mat(m, d),
        activation: fc.constantFrom("relu", "softplus", "tanh"),
        loss: K === 1 ? scalarLoss : fc.constant("softmax"),
      };
      if (hasB) spec.b = vec(m);
      if (K === 1) spec.v = vec(m);
      else spec.V = mat(K, m);
      if (hasC) spec.c = K === 1 ? num : vec(K);
      return fc.record(spec);
    });

  it("parseModel(modelToJSON(m)) = m, and the JSON survives stringify", () => {
    fc.assert(
      fc.property(fc.oneof(linearJSON, relu2JSON), (json) => {
        const m: Model = parseModel(json, W);
        const back = modelToJSON(m);
        expect(parseModel(back, W)).toEqual(m);
        // through text: JSON turns −0 into 0, so compare numerically
        const viaText = parseModel(JSON.parse(JSON.stringify(back)), W);
        expect(viaText.kind).toBe(m.kind);
        expect(viaText.K).toBe(m.K);
        expect(viaText.d).toBe(m.d);
        const x = Float64Array.from({ length: m.d }, (_, j) => (j % 3) - 1);
        const f1 = predict(m, x, 1);
        const f2 = predict(viaText, x, 1);
        for (let k = 0; k < m.K; k++) expect(f2[k] === f1[k] || Math.abs(f2[k] - f1[k]) <= 1e-9 * Math.abs(f1[k])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
