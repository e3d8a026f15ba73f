import { twoLayerPreactAt } from "./twoLayer.js";
import type { Model } from "./types.js";

/**
 * Kinks of a ReLU net along a Mixup segment (docs/theory.md §6.1). On x̃(λ) = λx_i + (1−λ)x_j the
 * pre-activations are linear in λ, u(λ) = λu_i + (1−λ)u_j, so hidden unit k switches on or off exactly
 * where λu_i,k + (1−λ)u_j,k = 0, i.e. at λ = u_j,k / (u_j,k − u_i,k), which lies in (0, 1) iff u_i,k and
 * u_j,k have strictly opposite signs. Between consecutive kinks f(x̃(λ)) is affine in λ, so a quadrature
 * that splits there integrates smooth pieces.
 */

/** Below this count an insertion sort beats the typed-array sort (and allocates nothing). */
const INSERTION_MAX = 32;

/**
 * The kinks in (0, 1) from the m pre-activations of the two end points, u_i = ui[uiOff..uiOff+m) (the
 * λ = 1 end) and u_j = uj[ujOff..ujOff+m) (the λ = 0 end), written into out[0..count), sorted ascending
 * and without duplicates; returns count. `out` needs room for m values. A unit with a zero end value
 * switches exactly at an end point, and a crossing that rounds to 0 or 1 is at an end point too: neither
 * splits the open interval, so both are left out. Allocates nothing for up to 32 kinks.
 */
export function kinksFromPreact(
  ui: ArrayLike<number>,
  uiOff: number,
  uj: ArrayLike<number>,
  ujOff: number,
  m: number,
  out: Float64Array,
): number {
  let count = 0;
  for (let k = 0; k < m; k++) {
    const a = ui[uiOff + k];
    const b = uj[ujOff + k];
    if ((a > 0 && b < 0) || (a < 0 && b > 0)) {
      // b/(b − a): b and −a have the same sign, so the denominator never cancels.
      const t = b / (b - a);
      if (t > 0 && t < 1) out[count++] = t;
    }
  }
  if (count <= 1) return count;
  if (count <= INSERTION_MAX) {
    for (let i = 1; i < count; i++) {
      const v = out[i];
      let j = i - 1;
      while (j >= 0 && out[j] > v) {
        out[j + 1] = out[j];
        j--;
      }
      out[j + 1] = v;
    }
  } else {
    out.subarray(0, count).sort();
  }
  // Two units can switch at the same λ (e.g. proportional rows of W): keep one.
  let w = 1;
  for (let i = 1; i < count; i++) if (out[i] !== out[w - 1]) out[w++] = out[i];
  return w;
}

/**
 * The sorted, distinct λ ∈ (0, 1) where λ ↦ f(λx_i + (1−λ)x_j) is not smooth: the ReLU switching points
 * of a ReLU net; empty for a linear model and for the smooth (softplus, tanh) nets.
 * x_i = xi[xiOff..xiOff+d), x_j = xj[xjOff..xjOff+d).
 */
export function kinksAlong(
  model: Model,
  xi: ArrayLike<number>,
  xiOff: number,
  xj: ArrayLike<number>,
  xjOff: number,
): Float64Array {
  if (model.kind !== "relu2" || model.activation !== "relu") return new Float64Array(0);
  const m = model.m;
  const ui = new Float64Array(m);
  const uj = new Float64Array(m);
  twoLayerPreactAt(model, xi, xiOff, ui, 0);
  twoLayerPreactAt(model, xj, xjOff, uj, 0);
  const out = new Float64Array(m);
  const count = kinksFromPreact(ui, 0, uj, 0, m, out);
  return out.slice(0, count);
}
