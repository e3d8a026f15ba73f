import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { sigmoid } from "../core/special.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import { gradX, outputAt } from "../models/index.js";
import type { Model } from "../models/types.js";

/**
 * The loss at one input and its input gradient, the attacks' only use of the model (paper.md §4):
 * ∇ₓl(f(x), y) = J_f(x)ᵀ (h'(f) − y), with J_f from `gradX` (K×d) and h'(f) − y from the family's dloss
 * (the softmax form is the vector softmax(f) − y).
 */

/** Scratch memory for `lossAndGradX`, allocated once per attack (the hot loops allocate nothing). */
export interface LossGradScratch {
  /** f(x), K values */
  readonly f: Float64Array;
  /** J_f(x), K×d */
  readonly J: Float64Array;
  /** ∂l/∂f, K values */
  readonly dz: Float64Array;
}

export function lossGradScratch(model: Model): LossGradScratch {
  return { f: new Float64Array(model.K), J: new Float64Array(model.K * model.d), dz: new Float64Array(model.K) };
}

/**
 * ∂l/∂z = h'(z) − y for a scalar family. The logistic one is written (1 − y)σ(z) − y·σ(−z): the same number
 * as σ(z) − y, but without the cancellation that makes σ(40) − 1 exactly 0 — an attack on a confidently
 * classified point would otherwise see a zero gradient and not move.
 */
export function scalarSlope(family: ScalarFamily, z: number, y: number): number {
  if (family.name === "logistic") return (1 - y) * sigmoid(z) - y * sigmoid(-z);
  return family.dloss(z, y);
}

/**
 * l(f(x), y) at x = x[xOff..xOff+d), label y[yOff..yOff+K) (scalar families: y[yOff]), and ∇ₓl into
 * g[gOff..gOff+d). No allocation.
 */
export function lossAndGradX(
  model: Model,
  family: Family,
  x: ArrayLike<number>,
  xOff: number,
  y: ArrayLike<number>,
  yOff: number,
  s: LossGradScratch,
  g: Float64Array,
  gOff: number,
): number {
  const { d, K } = model;
  const { f, J, dz } = s;
  outputAt(model, x, xOff, f, 0);
  gradX(model, x, xOff, J, 0);
  let loss: number;
  if (family.vector) {
    loss = family.loss(f, 0, K, y, yOff);
    family.dloss(f, 0, K, y, yOff, dz, 0);
  } else {
    loss = family.loss(f[0], y[yOff]);
    dz[0] = scalarSlope(family, f[0], y[yOff]);
  }
  for (let j = 0; j < d; j++) g[gOff + j] = 0;
  for (let k = 0; k < K; k++) {
    const a = dz[k];
    if (a === 0) continue;
    const o = k * d;
    for (let j = 0; j < d; j++) g[gOff + j] += a * J[o + j];
  }
  return loss;
}

/** l(f(x), y) at x = x[xOff..xOff+d) (the scratch's f is overwritten). No allocation. */
export function lossAt(
  model: Model,
  family: Family,
  x: ArrayLike<number>,
  xOff: number,
  y: ArrayLike<number>,
  yOff: number,
  s: LossGradScratch,
): number {
  outputAt(model, x, xOff, s.f, 0);
  return family.vector ? family.loss(s.f, 0, model.K, y, yOff) : family.loss(s.f[0], y[yOff]);
}

/**
 * Shapes of a (data, model, family) problem for the robustness functions: d of the data = d of the model,
 * one label column and K = 1 for a scalar family, K label columns = K outputs for softmax. InputError otherwise.
 */
export function checkRobustProblem(ds: Dataset, model: Model, family: Family): void {
  const where = ds.source ?? "data";
  if (ds.d !== model.d) {
    throw new InputError(where, `${where}: ${ds.d} feature${ds.d === 1 ? "" : "s"}, the model expects d = ${model.d}`);
  }
  if (family.vector) {
    if (ds.K !== model.K) throw new InputError(where, `${where}: ${ds.K} label columns, the model has K = ${model.K} outputs`);
  } else if (model.K !== 1 || ds.K !== 1) {
    throw new InputError(where, `${where}: the ${family.name} loss needs one output and one label column (K = ${model.K}, ${ds.K} label columns)`);
  }
}
