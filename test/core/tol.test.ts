import { describe, expect, it } from "vitest";
import { MIN_TOL } from "../../src/core/constants.js";
import { makeDataset } from "../../src/core/dataset.js";
import { InputError } from "../../src/core/errors.js";
import { family } from "../../src/losses/index.js";
import { linearModel, twoLayerModel } from "../../src/models/index.js";
import {
  closedFormMixupGrad,
  closedFormMixupLoss,
  convolutionMixupGrad,
  convolutionMixupLoss,
  mixupGrad,
  mixupLoss,
} from "../../src/mixup/index.js";
import { isCentered } from "../../src/robustness/assumptions.js";
import { alphaStudy, directRemainder, scaleStudy } from "../../src/taylor/index.js";
import { cli, expectOneLineError, problemFiles } from "../helpers/cli.js";

const ds = makeDataset(Float64Array.from([1, -0.5, -0.3, 0.8, 0.6, 0.2]), Float64Array.from([1, 0, 1]), 3, 2);
const lin = linearModel({ theta: [0.7, -0.2], loss: "logistic" });
const sq = linearModel({ theta: [0.7, -0.2], loss: "squared" });
const tanh = twoLayerModel({ m: 2, W: [1, 0.5, -0.3, 0.8], V: [0.6, -0.4], activation: "tanh", loss: "logistic" });
const L = family("logistic");
const S = family("squared");

/** Every public entry point with a `tol` that this branch validates with checkTol (core/constants.ts). */
const ENTRY: Array<[string, (tol: number) => unknown]> = [
  ["mixupLoss auto", (tol) => mixupLoss(ds, lin, L, 1, 1, { tol })],
  ["mixupLoss pairs", (tol) => mixupLoss(ds, lin, L, 1, 1, { tol, method: "pairs" })],
  ["mixupLoss mc", (tol) => mixupLoss(ds, lin, L, 1, 1, { tol, method: "mc", samples: 10 })],
  ["mixupGrad", (tol) => mixupGrad(ds, lin, L, 1, 1, { tol })],
  ["closedFormMixupLoss", (tol) => closedFormMixupLoss(ds, sq, S, 1, 1, { tol })],
  ["closedFormMixupGrad", (tol) => closedFormMixupGrad(ds, sq, S, 1, 1, { tol })],
  ["convolutionMixupLoss", (tol) => convolutionMixupLoss(ds, lin, L, 1, 1, { tol })],
  ["convolutionMixupGrad", (tol) => convolutionMixupGrad(ds, lin, L, 1, 1, { tol })],
  ["scaleStudy", (tol) => scaleStudy(ds, lin, L, 1, 1, [1], { tol, workers: 1 })],
  ["alphaStudy", (tol) => alphaStudy(ds, lin, L, [1], { tol, workers: 1 })],
  ["directRemainder", (tol) => directRemainder(ds, tanh, L, 1, 1, { tol })],
  ["isCentered", (tol) => isCentered(ds, tol)],
];

async function thrown(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e;
  }
  return null;
}

describe("tol: every public entry point refuses what checkTol refuses, and accepts MIN_TOL", () => {
  for (const [name, f] of ENTRY) {
    it(name, async () => {
      for (const bad of [-1, NaN, 0, 1, 2, Infinity, 1e-15, MIN_TOL / 2]) {
        const e = await thrown(() => f(bad));
        expect(e, `tol ${bad}`).toBeInstanceOf(InputError);
        expect((e as InputError).where).toBe("tol");
        expect((e as Error).message).toMatch(/^tol: .* is not a tolerance in \[1e-14, 1\)/);
      }
      expect(await thrown(() => f(MIN_TOL))).toBeNull();
      expect(await thrown(() => f(0.5))).toBeNull();
    });
  }
});

describe("--tol on the command line: the same rule, exit 2 naming --tol with the reason", () => {
  const f = problemFiles("x1,x2,y\n1,0.5,1\n-1,-0.5,0\n0.5,1,1\n-0.5,-1,0\n", JSON.stringify({ kind: "linear", theta: [0.8, 0.3] }));
  const cmds: Array<[string, string[]]> = [
    ["loss", ["loss", "--data", f.data, "--model", f.model, "--alpha", "1"]],
    ["taylor", ["taylor", "--data", f.data, "--model", f.model, "--alpha", "1"]],
    ["theorem", ["theorem", "3.1", "--data", f.data, "--model", f.model, "--alpha", "1"]],
  ];
  for (const [name, args] of cmds) {
    it(name, () => {
      expectOneLineError(cli([...args, "--tol", "1e-15"]), /^mixup-theory: --tol: 1e-15 is not a tolerance in \[1e-14, 1\); below 1e-14 rounding alone exceeds the requested accuracy$/);
      expectOneLineError(cli([...args, "--tol", "1"]), /^mixup-theory: --tol: 1 is not a tolerance/);
      expectOneLineError(cli([...args, "--tol", "abc"]), /^mixup-theory: --tol: expected a number in \[1e-14, 1\), got "abc"$/);
      const ok = cli([...args, "--tol", "1e-14", "--json"]);
      expect(ok.stderr).toBe("");
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout).tol).toBe(1e-14);
    });
  }
});
