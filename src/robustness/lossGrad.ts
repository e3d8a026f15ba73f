import type { Dataset } from "../core/dataset.js";
import { InputError } from "../core/errors.js";
import { sigmoid } from "../core/special.js";
import type { Family, ScalarFamily } from "../losses/types.js";
import { gradX, outputAt } from "../models/index.js";
import type { Model } from "../models/types.js";

/**
 * The loss at one input and its input gradient, the attacks' only use of the model (docs/theory.md §3.10):
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

/** Below this |∂l/∂f| the products with J_f may underflow coordinate by coordinate (2^-900 ≈ 1e-271). */
const TINY_SLOPE = 2 ** -900;

/**
 * The loss, and into g a positive multiple of ∇ₓl that does not underflow: what an attack needs, since
 * its step uses only the direction (sign(g) for ℓ∞, g/‖g‖₂ for ℓ2). Far on the correct side of a
 * confidently classified point (logistic |f| > ~745 with a hard label, Poisson f < −745 with y = 0) the
 * slope h'(f) − y underflows to 0 although it is not 0: PGD then stood still (at ε = 1000 on a linear model
 * it reached 1332 of the exact 1599). There the slope is replaced by its exact sign, and a tiny slope by
 * its sign too (a scalar family's ∇ₓl is slope·∇f, so the direction is unchanged). For softmax with a
 * one-hot label (class c) the slope p − y is formed as (p_k, k ≠ c; p_c − 1 = −Σ_{k≠c} p_k), rescaled by
 * 1/max_{k≠c} p_k in log space: p_c − 1 computed directly is 1 − 1 = 0 once p_c rounds to 1 (scores 40
 * apart), and the direction then lost its class-c part. Otherwise g is exactly ∇ₓl (as lossAndGradX).
 */
export function lossAndAscentDirection(
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
  const loss = lossAndGradX(model, family, x, xOff, y, yOff, s, g, gOff);
  const { d, K } = model;
  const { f, J, dz } = s;
  if (family.vector) {
    if (!oneHotSlope(f, K, y, yOff, dz)) return loss;
  } else {
    if (Math.abs(dz[0]) >= TINY_SLOPE) return loss;
    dz[0] = exactSlopeSign(family, dz[0], y[yOff]);
    if (dz[0] === 0) return loss;
  }
  for (let j = 0; j < d; j++) g[gOff + j] = 0;
  for (let k = 0; k < K; k++) {
    const a = dz[k];
    if (a === 0) continue;
    for (let j = 0; j < d; j++) g[gOff + j] += a * J[k * d + j];
  }
  return loss;
}

/**
 * sign(h'(f) − y) for a slope `v` that underflowed or is tiny: its own sign when non-zero; when 0, the sign
 * the true value has (logistic: σ(f) > 0 with y = 0, σ(f) − 1 < 0 with y = 1; Poisson: e^f > 0 with y = 0);
 * otherwise 0 (a true stationary point).
 */
function exactSlopeSign(family: ScalarFamily, v: number, y: number): number {
  if (v !== 0) return Math.sign(v);
  if (family.name === "logistic") return y === 0 ? 1 : y === 1 ? -1 : 0;
  if (family.name === "poisson") return y === 0 ? 1 : 0;
  return 0;
}

/**
 * For a one-hot label (class c), p − y rescaled by S/e^{z_m} (m the largest other class, S the softmax
 * denominator): e^{z_k − z_m} for k ≠ c and −Σ_{k≠c} e^{z_k − z_m} at c. Returns false for a soft label.
 */
function oneHotSlope(z: Float64Array, K: number, y: ArrayLike<number>, yOff: number, out: Float64Array): boolean {
  let c = -1;
  for (let k = 0; k < K; k++) {
    const v = y[yOff + k];
    if (v === 1 && c < 0) c = k;
    else if (v !== 0) return false;
  }
  if (c < 0) return false;
  let zm = -Infinity;
  for (let k = 0; k < K; k++) if (k !== c && z[k] > zm) zm = z[k];
  let rest = 0;
  for (let k = 0; k < K; k++) {
    if (k === c) continue;
    out[k] = Math.exp(z[k] - zm);
    rest += out[k];
  }
  out[c] = -rest;
  return true;
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
