/**
 * Every proofs-check, in report order. `verify` runs them all; a test asserts that every module in
 * this folder is listed here.
 */
import type { Check } from "../src/verify/types.js";
import { rewriteIdentity } from "./rewrite-identity.js";
import { mcCoverage } from "./mc-coverage.js";
import { quadratureConvergence } from "./quadrature-convergence.js";
import { limitAlphaZero, limitAlphaInfinity } from "./limits.js";

export const checks: readonly Check[] = [rewriteIdentity, mcCoverage, quadratureConvergence, limitAlphaZero, limitAlphaInfinity];

/** Modules of this folder that are helpers, not checks. */
export const HELPER_MODULES = ["index", "instances", "util"];
