/** The part of ndarray-ops (no published types) that the toolkit uses: element-wise ops on ndarray views. */
declare module "ndarray-ops" {
  import type { NdArray } from "ndarray";
  type View = NdArray<Float64Array>;
  /** out = a·s */
  export function muls(out: View, a: View, s: number): View;
  /** out = out − a */
  export function subeq(out: View, a: View): View;
  /** out = a */
  export function assign(out: View, a: View): View;
}
