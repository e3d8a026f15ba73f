/**
 * Constants shared across the toolkit, written once (docs/numerics.md).
 */
import { InputError } from "./errors.js";

/** Machine epsilon 2^-52: the spacing of doubles at 1; rounding allowances are multiples of it. */
export const EPS = 2.220446049250313e-16;

/** Unit roundoff 2^-53: the relative error bound of one correctly rounded operation. */
export const UNIT_ROUNDOFF = 2 ** -53;

/** Default relative accuracy of every exact quantity (loss, gradient, Taylor remainder). */
export const DEFAULT_TOL = 1e-10;

/**
 * The smallest tolerance accepted. Below ~1e-15 rounding alone keeps two quadrature rules of a piece
 * apart by more than the tolerance, so no piece can be accepted and the bisection runs into its limits
 * (docs/numerics.md, "Limits"); 1e-14 leaves a margin of ten.
 */
export const MIN_TOL = 1e-14;

/**
 * `tol` checked (default DEFAULT_TOL when undefined): a number with MIN_TOL ≤ tol < 1, else an InputError
 * naming `where` (an option such as "--tol", or the API field "tol").
 */
export function checkTol(tol: number | undefined, where = "tol"): number {
  if (tol === undefined) return DEFAULT_TOL;
  if (typeof tol !== "number" || !(tol >= MIN_TOL && tol < 1)) {
    throw new InputError(
      where,
      `${where}: ${String(tol)} is not a tolerance in [${MIN_TOL}, 1); below ${MIN_TOL} rounding alone exceeds the requested accuracy`,
    );
  }
  return tol;
}
