/**
 * Section 3 of the paper: Mixup and adversarial robustness (docs/theory.md §3). ε is always the paper's ε: the ℓ∞
 * radius is ε and the ℓ2 radius is ε√d; every output states the radius it used.
 */
export * from "./ball.js";
export * from "./result.js";
export * from "./lossGrad.js";
export * from "./exactAdversarial.js";
export * from "./attacks.js";
export * from "./certified.js";
export * from "./robustMetrics.js";
export * from "./assumptions.js";
export * from "./epsMix.js";
export * from "./secondOrder.js";
export * from "./tightest.js";
export * from "./theorem.js";
export * from "./summary.js";
