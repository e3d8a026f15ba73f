import { describe, expect, it } from "vitest";
import { ACTIVATIONS, activate, activatePrime, activateSecond, isActivation } from "../../src/models/index.js";

describe("activations", () => {
  it("relu: σ, σ' with σ'(0) := 0, σ'' = 0", () => {
    expect([activate("relu", -2), activate("relu", 0), activate("relu", 3)]).toEqual([0, 0, 3]);
    expect([activatePrime("relu", -2), activatePrime("relu", 0), activatePrime("relu", 3)]).toEqual([0, 0, 1]);
    expect([activateSecond("relu", -2), activateSecond("relu", 3)]).toEqual([0, 0]);
  });

  it("σ' and σ'' against central differences for the smooth activations", () => {
    for (const a of ["softplus", "tanh"] as const) {
      for (const u of [-8, -1.3, -0.01, 0, 0.2, 1, 4, 9]) {
        const h = 1e-5;
        const d1 = (activate(a, u + h) - activate(a, u - h)) / (2 * h);
        const d2 = (activatePrime(a, u + h) - activatePrime(a, u - h)) / (2 * h);
        expect(Math.abs(activatePrime(a, u) - d1), `${a}'(${u})`).toBeLessThan(1e-9);
        expect(Math.abs(activateSecond(a, u) - d2), `${a}''(${u})`).toBeLessThan(1e-9);
      }
    }
  });

  it("tanh' stays accurate in the tails, where 1 − tanh² rounds to 0", () => {
    const u = 30;
    const ref = 4 * Math.exp(-60); // sech²(30) = 4e^{−60}/(1 + e^{−60})² to double precision
    expect(activatePrime("tanh", u) / ref - 1).toBeLessThan(1e-15);
    expect(activatePrime("tanh", -u) / ref - 1).toBeLessThan(1e-15);
    expect(1 - Math.tanh(u) ** 2).toBe(0);
    expect(activateSecond("tanh", u) / (-2 * ref) - 1).toBeLessThan(1e-15);
    expect(activate("tanh", 1e300)).toBe(1);
    expect(activatePrime("softplus", -800)).toBe(0);
    expect(activate("softplus", 1e300)).toBe(1e300);
  });

  it("names", () => {
    expect(ACTIVATIONS).toEqual(["relu", "softplus", "tanh"]);
    expect(isActivation("tanh")).toBe(true);
    expect(isActivation("sigmoid")).toBe(false);
    expect(isActivation("constructor")).toBe(false);
  });
});
