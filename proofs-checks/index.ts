/**
 * Every proofs-check, in report order. `verify` runs them all; a test asserts that every module in
 * this folder is listed here.
 */
import type { Check } from "../src/verify/types.js";
import { rewriteIdentity } from "./rewrite-identity.js";
import { mcCoverage } from "./mc-coverage.js";
import { quadratureConvergence } from "./quadrature-convergence.js";
import { limitAlphaZero, limitAlphaInfinity } from "./limits.js";
import { lemma31Identity } from "./lemma-3.1-identity.js";
import { lemma31Order } from "./lemma-3.1-order.js";
import { lemma31Relu } from "./lemma-3.1-relu.js";
import { lemma31Alpha } from "./lemma-3.1-alpha.js";
import { lemma31R1Identity } from "./lemma-3.1-r1-identity.js";
import { theorem31 } from "./theorem-3.1.js";
import { theorem32 } from "./theorem-3.2.js";
import { adversarialBounds } from "./adversarial-bounds.js";
import { fastExactAgrees } from "./fast-exact-agrees.js";
import { trainingMixupObjective } from "./training-mixup-objective.js";
import { theorem41 } from "./theorem-4.1.js";
import { theorem42 } from "./theorem-4.2.js";
import { regularizerFormsCheck } from "./regularizer-forms.js";
import { generalizationGap } from "./generalization-gap.js";

export const checks: readonly Check[] = [
  rewriteIdentity,
  mcCoverage,
  quadratureConvergence,
  limitAlphaZero,
  limitAlphaInfinity,
  lemma31Identity,
  lemma31Order,
  lemma31Relu,
  lemma31Alpha,
  lemma31R1Identity,
  theorem31,
  theorem32,
  adversarialBounds,
  fastExactAgrees,
  trainingMixupObjective,
  regularizerFormsCheck,
  theorem41,
  theorem42,
  generalizationGap,
];

/** Modules of this folder that are helpers, not checks. */
export const HELPER_MODULES = ["index", "instances", "util", "theorem-instances", "section4-instances"];
