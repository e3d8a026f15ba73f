import type { Family } from "../losses/types.js";

/** h'(f) − y into gf (K) and h''(f) into Hf (K×K) at scores z[zOff..), labels y[yOff..) (docs/theory.md §3.1). */
export function lossDerivatives(
  family: Family,
  z: Float64Array,
  zOff: number,
  y: Float64Array,
  yOff: number,
  K: number,
  gf: Float64Array,
  Hf: Float64Array,
): void {
  if (family.vector) {
    family.dloss(z, zOff, K, y, yOff, gf, 0);
    family.h2(z, zOff, K, Hf, 0);
  } else {
    gf[0] = family.dloss(z[zOff], y[yOff]);
    Hf[0] = family.h2(z[zOff]);
  }
}
