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

/**
 * The Beta shapes α, β of the Mixup law that every exact method accepts (docs/numerics.md, "Extreme Beta
 * shapes"). Below MIN_SHAPE a product of two shapes (m2 = αβ/((α+β)(α+β+1)), the Taylor moments)
 * underflows; above MAX_SHAPE Beta(α, β) is narrower than 1e-8 around α/(α+β), beyond anything Mixup uses,
 * and the window pieces would approach the resolution of λ in doubles near 1/2 (~1e-16).
 */
export const MIN_SHAPE = 1e-100;
export const MAX_SHAPE = 1e15;
/** The accepted range, as messages print it. */
export const SHAPE_RANGE = "[1e-100, 1e15]";

/** One shape checked: a number in [MIN_SHAPE, MAX_SHAPE], else an InputError naming `where` (e.g. "--alpha"). */
export function checkShape(value: number, where: string): number {
  if (typeof value !== "number" || !(value >= MIN_SHAPE && value <= MAX_SHAPE)) {
    const why =
      typeof value === "number" && value > 0 && value < MIN_SHAPE
        ? `products of two shapes underflow below ${MIN_SHAPE}`
        : typeof value === "number" && value > MAX_SHAPE && Number.isFinite(value)
          ? "above 1e15 the standard deviation of Beta(α, β) is below 2e-8, a point mass for any loss"
          : "a Beta shape must be a positive number";
    throw new InputError(where, `${where}: ${String(value)} is not a shape in ${SHAPE_RANGE}: ${why}`);
  }
  return value;
}

/** α and β of the Mixup law checked (checkShape), naming them as the API does ("alpha", "beta"). */
export function checkAlphaBeta(alpha: number, beta: number): void {
  checkShape(alpha, "alpha");
  checkShape(beta, "beta");
}
