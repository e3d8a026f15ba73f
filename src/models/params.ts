import { linearGetParams, linearParamCount, linearWithParams } from "./linear.js";
import { twoLayerGetParams, twoLayerParamCount, twoLayerWithParams } from "./twoLayer.js";
import type { Model } from "./types.js";

/**
 * Flattened parameter vectors, for training and finite-difference checks. Order:
 *   linear:    θ (K×d row-major), then bias (K) if present;
 *   two-layer: W (m×d row-major), b (m), V (K×m row-major), c (K), skipping absent biases.
 * An absent bias stays absent (it is not a zero parameter that training could move).
 */

/** Number of parameters. */
export function paramCount(model: Model): number {
  return model.kind === "linear" ? linearParamCount(model) : twoLayerParamCount(model);
}

/** The parameters, flattened in the order above (a fresh copy). */
export function getParams(model: Model): Float64Array {
  const out = new Float64Array(paramCount(model));
  if (model.kind === "linear") linearGetParams(model, out);
  else twoLayerGetParams(model, out);
  return out;
}

/** A new model of the same shape with parameters p (flattened in the order above; copied). */
export function withParams(model: Model, p: ArrayLike<number>): Model {
  const len = paramCount(model);
  if (p.length !== len) throw new RangeError(`withParams: ${p.length} parameters, the model has ${len}`);
  return model.kind === "linear" ? linearWithParams(model, p) : twoLayerWithParams(model, p);
}
